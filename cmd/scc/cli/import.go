package cli

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/internal/plural"
	"github.com/scc-dev/scc/oci"
	"github.com/scc-dev/scc/pipeline"
)

// importFlags are scc import's flags.
type importFlags struct {
	arch, kernel, name, output string
	caps, capAdd               []string
	strict, noENOSYS           bool
}

// noENOSYSUsage is the help of --no-enosys, for import and for building a profile.
const noENOSYSUsage = "for a Docker/OCI profile: leave out runc's ENOSYS for syscalls newer than every one the profile names"

func newImportCmd() *cobra.Command {
	var f importFlags
	cmd := &cobra.Command{
		Use:   "import [--strict] [--arch A] [--caps LIST] [--cap-add LIST] [--kernel X.Y] [--no-enosys] [-o OUT.sc] PROFILE.json",
		Short: "Turn a Docker or OCI seccomp profile into a policy",
		Long: "import reads a Docker seccomp profile (archMap, includes/excludes), an OCI\n" +
			"linux.seccomp object or a whole OCI config.json, evaluates it as Docker does for the\n" +
			"host arch (--arch, Docker's names: amd64, arm64, …; default: this machine's), the\n" +
			"container's capabilities (--caps, default: Docker's default set; --cap-add adds to it)\n" +
			"and the kernel (--kernel, default: the running one), and writes it as a .sc policy\n" +
			"that decides every call as libseccomp does (docs/docker.md), and as runc does a\n" +
			"syscall newer than every one the profile names: ENOSYS (--no-enosys: the default\n" +
			"action). PROFILE - reads stdin.\n" +
			"The policy goes to stdout unless -o is given; the file is written atomically, and\n" +
			"never over the profile.\n\n" +
			"Every name the policy cannot place is a warning on stderr: a syscall no arch of scc's\n" +
			"tables has, the syscalls of other arches than the filter's, an arch scc has no tables\n" +
			"for. With --strict any such warning is an error: nothing is written, exit status 2.",
		Args: wantArgs(1, 1, "one PROFILE file (- for stdin)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			in, err := pipeline.Read(args[0], cmd.InOrStdin(), pipeline.Profile)
			if err != nil {
				return err
			}
			src, warnings, err := f.importProfile(in)
			if err != nil {
				return err
			}
			if err := f.warn(cmd, in.Name, warnings); err != nil {
				return err
			}
			if err := checkImported(cmd, in.Name, src); err != nil {
				return err
			}
			inputs := []compiler.Input{{Name: in.Name, Info: in.Info}}
			return writeOutputOf(cmd.OutOrStdout(), textOutput(f.output), src, inputs)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.strict, "strict", false, "fail (exit 2, nothing written) when the policy leaves out a name of the profile")
	fl.StringVar(&f.arch, "arch", "", "the host arch, in Docker's names (amd64, arm64, x86, …)")
	fl.StringSliceVar(&f.caps, "caps", nil, "the container's capabilities (default: Docker's default set)")
	fl.StringSliceVar(&f.capAdd, "cap-add", nil, "capabilities to add to the set, as docker run --cap-add")
	fl.StringVar(&f.kernel, "kernel", "", "the host's kernel version for minKernel, e.g. 6.1 (default: the running kernel's)")
	fl.BoolVar(&f.noENOSYS, "no-enosys", false, noENOSYSUsage)
	fl.StringVar(&f.name, "name", "", "the policy's name (default: from the file's name)")
	fl.StringVarP(&f.output, "output", "o", "", "output file (default: stdout)")
	return cmd
}

// warn prints the import's warnings on stderr; with --strict they are an error.
func (f *importFlags) warn(cmd *cobra.Command, name string, warnings []string) error {
	kind := "warning"
	if f.strict {
		kind = "error"
	}
	printWarnings(cmd.ErrOrStderr(), kind, name, warnings)
	if f.strict && len(warnings) > 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "scc: %s: %s with --strict; nothing written\n", name, plural.Count(len(warnings), "error", "errors"))
		return exitError{exitBadInput}
	}
	return nil
}

// printWarnings prints what an import leaves out, one line each, as kind (warning or error).
func printWarnings(w io.Writer, kind, name string, warnings []string) {
	for _, text := range warnings {
		fmt.Fprintf(w, "scc: %s: %s: %s\n", kind, name, text)
	}
}

// importProfile imports the profile read, and says what it leaves out.
func (f *importFlags) importProfile(in *pipeline.Input) ([]byte, []string, error) {
	opts := oci.ImportOptions{Name: f.name, Source: filepath.Base(in.Name)}
	if in.Name == pipeline.StdinName {
		opts.Source = "stdin"
	}
	opts.Arch, opts.Kernel, opts.Caps = f.arch, f.kernel, capSet(f.caps, f.capAdd)
	opts.NoNewerENOSYS = f.noENOSYS
	src, warnings, err := oci.ImportWithWarnings(in.Data, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", in.Name, err)
	}
	return src, warnings, nil
}

// capSet is --caps (nil: Docker's default) plus --cap-add, for scc import and for the
// commands that build a .json profile.
func capSet(caps, capAdd []string) []string {
	if len(capAdd) == 0 {
		return caps
	}
	base := caps
	if base == nil {
		base = oci.DefaultCaps
	}
	return append(slices.Clone(base), capAdd...)
}

// checkImported compiles the imported policy, so that a policy scc cannot build is never
// written; that would be a bug of the importer.
func checkImported(cmd *cobra.Command, path string, src []byte) error {
	name := path + ".sc"
	_, errs := compiler.CompileSource(name, src, compiler.Options{})
	if !errs.HasErrors() {
		return nil
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "scc: the policy imported from %s does not compile (a bug in scc import):\n", path)
	return reportDiags(cmd.ErrOrStderr(), errs, diag.SourceMap{name: src})
}

// textOutput is where a command that prints text writes: -o, else stdout.
func textOutput(output string) string {
	if output == "" {
		return "-"
	}
	return output
}
