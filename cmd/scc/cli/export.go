package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/internal/plural"
	"github.com/scc-dev/scc/oci"
)

// exportFlags are scc export's flags.
type exportFlags struct {
	bf     buildFlags
	output string
	strict bool
}

func newExportCmd() *cobra.Command {
	var f exportFlags
	cmd := &cobra.Command{
		Use:   "export [--strict] [--arch A] [--policy NAME] [-o OUT.json] POLICY.sc",
		Short: "Write a policy as an OCI seccomp profile",
		Long: "export compiles POLICY and writes it as an OCI seccomp profile (the runtime-spec's\n" +
			"linux.seccomp object, which docker run --security-opt seccomp=FILE also takes). Each\n" +
			"syscall's first-match rules become disjoint entries, so libseccomp's lack of order\n" +
			"cannot change them. What the format cannot say exactly is printed on stderr, one\n" +
			"warning a line (docs/docker.md); the profile is still written and the exit status is\n" +
			"0. With --strict, any such warning makes export write nothing and exit 1. A policy\n" +
			"that does not compile, or that no profile can carry, exits 2. The profile goes to\n" +
			"stdout unless -o is given; the file is written atomically, and never over an input.\n" +
			"POLICY - reads stdin.",
		Args: wantArgs(1, 1, "one POLICY file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return f.run(cmd, args[0])
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.strict, "strict", false, "exit 1 and write nothing when the policy does not fit the format exactly")
	f.bf.registerArch(cmd)
	f.bf.registerPolicy(cmd)
	fl.Lookup("arch").Usage = "export for these arches instead of the policy's own"
	fl.StringVarP(&f.output, "output", "o", "", "output file (default: stdout)")
	return cmd
}

// run compiles and exports the policy at path ("-": stdin).
func (f *exportFlags) run(cmd *cobra.Command, path string) error {
	src, err := f.bf.load(cmd, path)
	if err != nil {
		return err
	}
	path = src.Input.Name
	res, errs := src.Compile(f.bf.policy)
	if err := reportDiags(cmd.ErrOrStderr(), errs, res.Sources); err != nil {
		return err
	}
	data, misfits, err := oci.Export(res.Policy)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for _, m := range misfits {
		fmt.Fprintf(cmd.ErrOrStderr(), "scc: warning: %s: does not fit an OCI profile: %s\n", path, m)
	}
	if len(misfits) > 0 && f.strict {
		fmt.Fprintf(cmd.ErrOrStderr(), "scc: %s: %s with --strict; nothing written\n", path, plural.Count(len(misfits), "warning", "warnings"))
		return exitError{exitFindings}
	}
	return writeOutputOf(cmd.OutOrStdout(), textOutput(f.output), data, src.Inputs())
}
