package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/oci"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/record"
)

// recordFlags are scc record's options.
type recordFlags struct {
	output, defaultAction, name string
	args, force                 bool
	// format is the output's: "sc" or "oci" (default: oci for a .json output, else sc).
	format string
	// base is a policy or profile to extend; append extends the output file when it exists.
	base   string
	append bool
}

func newRecordCmd() *cobra.Command {
	var rf recordFlags
	cmd := &cobra.Command{
		Use:   "record [-o OUT.sc|OUT.json] [--format sc|oci] [--base POLICY|PROFILE | --append] [--force] [--default ACTION] [--args] [--name NAME] -- CMD [ARG…]",
		Short: "Run a command and write the policy that allows the syscalls it made",
		Long: "record runs CMD, its threads and its children under a seccomp filter that reports\n" +
			"every system call (user notification), and writes a policy that allows what they\n" +
			"called: whole standard groups where every member was called, the other syscalls by\n" +
			"name, and with --args conditions on the argument values seen for socket, socketpair,\n" +
			"ioctl, clone, personality, prctl and fcntl. Other calls get --default (errno(EPERM)).\n" +
			"The policy goes to NAME.sc unless -o says otherwise (-o - for stdout); that file\n" +
			"is checked to be writable before CMD runs, and an existing one is replaced only with\n" +
			"--force (never when it is CMD itself). NAME is made an identifier (my-prog: my_prog).\n" +
			"An output ending in .json (or --format oci) is written as an OCI seccomp profile.\n" +
			"--base extends a policy or profile: its rules stay first, and the calls it does not\n" +
			"decide are allowed after them; --append does the same to the output file when it\n" +
			"exists, so that several runs add up to one policy. The exit status is the command's\n" +
			"(the policy is written regardless), or 2 if it could not start. See docs/record.md.",
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return rf.run(cmd, args)
		},
	}
	cmd.Flags().SetInterspersed(false)
	cmd.Flags().StringVarP(&rf.output, "output", "o", "", "policy file (default NAME.sc; - for stdout)")
	cmd.Flags().StringVar(&rf.defaultAction, "default", record.DefaultAction, "the policy's default action")
	cmd.Flags().BoolVar(&rf.args, "args", false, "turn argument values seen into conditions")
	cmd.Flags().BoolVar(&rf.force, "force", false, "replace the output file if it exists")
	cmd.Flags().StringVar(&rf.name, "name", "", "the policy's name, made an identifier (default: the command's base name)")
	cmd.Flags().StringVar(&rf.format, "format", "", "output format: sc or oci (default: oci for a .json output, else sc)")
	cmd.Flags().StringVar(&rf.base, "base", "", "a policy (.sc) or Docker/OCI profile to extend")
	cmd.Flags().BoolVar(&rf.append, "append", false, "extend the output file when it exists (several runs, one policy)")
	return cmd
}

// run records the command, writes the policy and passes the command's exit status on.
func (rf *recordFlags) run(cmd *cobra.Command, args []string) error {
	stderr := cmd.ErrOrStderr()
	if len(args) == 0 {
		return errors.New("record: no command given (scc record -- CMD ARGS…)")
	}
	name := policyName(stderr, rf.name, args)
	if err := checkPolicyOptions(name, rf.defaultAction); err != nil {
		return err
	}
	path := rf.outputPath(name)
	format, err := rf.outputFormat(path)
	if err != nil {
		return err
	}
	base, err := rf.readBase(cmd, path)
	if err != nil {
		return err
	}
	if err := checkRecordOutput(path, args[0], rf.force || rf.append && base != nil); err != nil {
		return err
	}
	rec, err := record.Run(record.Options{
		Argv:     args,
		Stdin:    cmd.InOrStdin(),
		Stdout:   cmd.OutOrStdout(),
		Stderr:   stderr,
		Progress: progressPrinter(stderr),
		Forward:  []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT},
	})
	if err != nil {
		return fmt.Errorf("record: %w", err)
	}
	if err := rf.writePolicy(cmd, rec, recordOutput{name: name, path: path, format: format, base: base}); err != nil {
		return err
	}
	if rec.ExitStatus != 0 {
		return exitError{rec.ExitStatus}
	}
	return nil
}

// outputPath is where the policy goes: -o, else NAME.sc.
func (rf *recordFlags) outputPath(name string) string {
	if rf.output != "" {
		return rf.output
	}
	return name + ".sc"
}

// checkRecordOutput makes sure, before the command runs, that its policy can be written to
// path: the directory takes a new file, an existing file is replaced only with force, and
// never when it is the command's own program.
func checkRecordOutput(path, command string, force bool) error {
	if path == "-" {
		return nil
	}
	st, err := os.Stat(path)
	switch {
	case err == nil && st.IsDir():
		return fmt.Errorf("cannot write %s: it is a directory", path)
	case err == nil && st.Mode().IsRegular():
		if bin, lerr := exec.LookPath(command); lerr == nil {
			if bi, serr := os.Stat(bin); serr == nil && os.SameFile(bi, st) {
				return fmt.Errorf("cannot write %s: it is the command %s itself", path, command)
			}
		}
		if !force {
			return fmt.Errorf("%s exists: pass --force to replace it, or name another file with -o", path)
		}
	case err == nil:
		return nil // a device or a pipe, written in place
	}
	target, err := fileTarget(path)
	if err != nil {
		return err
	}
	probe, err := os.CreateTemp(filepath.Dir(target), ".scc-record-*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, plainError(err))
	}
	probe.Close()
	return os.Remove(probe.Name())
}

// recordOutput is what scc record writes: the policy's name, the file, its format ("sc" or
// "oci") and the policy it extends (nil: none).
type recordOutput struct {
	name, path, format string
	base               *record.Base
}

// writePolicy generates the policy, checks that it builds, writes it to path and the summary.
func (rf *recordFlags) writePolicy(cmd *cobra.Command, rec *record.Recording, out recordOutput) error {
	opts := record.PolicyOptions{Name: out.name, Default: rf.defaultAction, Args: rf.args}
	var src []byte
	var err error
	if out.base != nil {
		src, err = record.Extend(*out.base, rec, opts)
	} else {
		src, err = record.Generate(rec, opts)
	}
	if err != nil {
		return err
	}
	built, errs := pipeline.BuildSource(out.path, src, pipeline.Options{})
	if errs.HasErrors() {
		return fmt.Errorf("record: the recorded policy does not build: %w", errs.Err())
	}
	path := out.path
	if out.format == "oci" {
		data, misfits, err := oci.Export(built.Policy)
		if err != nil {
			return fmt.Errorf("record: %w", err)
		}
		for _, m := range misfits {
			fmt.Fprintf(cmd.ErrOrStderr(), "scc: warning: %s: does not fit an OCI profile: %s\n", path, m)
		}
		src = data
	}
	if err := writeOutput(cmd.OutOrStdout(), path, src); err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	if err := record.WriteSummary(stderr, rec, 10); err != nil {
		return err
	}
	if path != "-" {
		fmt.Fprintf(stderr, "scc record: wrote %s\n", path)
	}
	return nil
}

// policyName is the recorded policy's name: --name made an identifier (my-prog is
// my_prog, said on stderr), or one made from the command.
func policyName(stderr io.Writer, name string, argv []string) string {
	if name == "" {
		return record.PolicyName(argv)
	}
	id := record.Identifier(name)
	if id != name {
		fmt.Fprintf(stderr, "scc record: --name %q is not an identifier: the policy is named %s\n", name, id)
	}
	return id
}

// checkPolicyOptions refuses a policy name or default action the language does not accept,
// before anything runs.
func checkPolicyOptions(name, defaultAction string) error {
	if err := buildsAs(fmt.Sprintf("policy %s {\n}\n", name)); err != nil {
		return fmt.Errorf("record: bad --name %q: %v", name, err)
	}
	if err := buildsAs(fmt.Sprintf("policy p {\n    default %s\n}\n", defaultAction)); err != nil {
		return fmt.Errorf("record: bad --default %q: %v", defaultAction, err)
	}
	return nil
}

// buildsAs returns the error of building a policy's source, if any.
func buildsAs(src string) error {
	_, errs := pipeline.BuildSource("record.sc", []byte(src), pipeline.Options{})
	return errs.Err()
}

// progressPrinter returns the progress callback: on a terminal a line rewritten in place with
// \r, else the final line only.
func progressPrinter(w io.Writer) func(record.Progress) {
	tty := isTerminal(w)
	return func(p record.Progress) {
		switch {
		case tty && p.Final:
			fmt.Fprintf(w, "\r%s\x1b[K\n", p)
		case tty:
			fmt.Fprintf(w, "\r%s\x1b[K", p)
		case p.Final:
			fmt.Fprintln(w, p)
		}
	}
}

// isTerminal tells whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	return record.IsTerminal(f.Fd())
}

// recordFormats are the values of scc record's --format.
var recordFormats = []string{"sc", "oci"}

// outputFormat is --format, else oci for a .json output and sc for any other.
func (rf *recordFlags) outputFormat(path string) (string, error) {
	switch rf.format {
	case "sc", "oci":
		return rf.format, nil
	case "":
		if strings.EqualFold(filepath.Ext(path), ".json") {
			return "oci", nil
		}
		return "sc", nil
	}
	return "", fmt.Errorf("record: unknown --format %q (sc or oci)", rf.format)
}

// readBase reads the policy the recording extends, before anything runs: --base, or with
// --append the output file when it exists; nil when there is none. A Docker or OCI profile
// is imported first (for this machine and its running kernel, as scc build does).
func (rf *recordFlags) readBase(cmd *cobra.Command, output string) (*record.Base, error) {
	path := rf.base
	if rf.append {
		if path != "" {
			return nil, errors.New("record: --base and --append exclude each other")
		}
		if output == "-" {
			return nil, errors.New("record: --append needs an output file (-o FILE)")
		}
		if _, err := os.Stat(output); err != nil {
			return nil, nil // the first run: nothing to extend yet
		}
		path = output
	}
	if path == "" {
		return nil, nil
	}
	in, err := pipeline.Read(path, cmd.InOrStdin(), pipeline.Auto)
	if err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	base := &record.Base{Name: in.Name, Source: in.Data}
	switch in.Kind {
	case pipeline.Policy:
	case pipeline.Profile:
		src, err := oci.Import(in.Data, oci.ImportOptions{Source: filepath.Base(in.Name)})
		if err != nil {
			return nil, fmt.Errorf("record: %s: %w", in.Name, err)
		}
		base.Name, base.Source = in.Name+".sc", src
	default:
		return nil, fmt.Errorf("record: %s is a %s; --base takes a policy or a Docker/OCI profile", in.Name, in.Kind)
	}
	if _, errs := pipeline.BuildSource(base.Name, base.Source, pipeline.Options{}); errs.HasErrors() {
		return nil, fmt.Errorf("record: the base %s does not build: %w", in.Name, errs.Err())
	}
	return base, nil
}
