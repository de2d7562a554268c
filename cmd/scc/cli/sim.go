package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/stdlib"
)

func newSimCmd() *cobra.Command {
	var bf buildFlags
	var trace bool
	var arch string
	cmd := &cobra.Command{
		Use:   "sim POLICY|FILE 'CALL' [--arch A] [--trace]",
		Short: "Show what a filter decides for one call, and in how many steps",
		Long: "sim runs the filter in scc's emulator on one call, written as in an expect line:\n" +
			"  scc sim web.sc 'openat(AT_FDCWD, 0, O_RDONLY)'\n" +
			"It prints the action and the instructions executed; --trace prints the path.",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := loadFilter(cmd, &bf, args[0])
			if err != nil {
				return err
			}
			if arch == "" {
				arch = stdlib.HostArch().Name
			}
			d, errs := compiler.ResolveCall(args[1], arch)
			if err := reportDiags(cmd.ErrOrStderr(), errs, nil); err != nil {
				return err
			}
			return simulate(cmd.OutOrStdout(), f, d, trace)
		},
	}
	bf.registerPolicy(cmd)
	cmd.Flags().StringVar(&arch, "arch", "", "the arch of the call (default: the host's)")
	cmd.Flags().BoolVar(&trace, "trace", false, "print the instructions executed")
	return cmd
}

func simulate(w io.Writer, f *backend.Filter, d program.SeccompData, trace bool) error {
	vm, err := program.NewVM(f.Program, f.BigEndian)
	if err != nil {
		return err
	}
	ret, pcs := vm.Trace(d)
	if trace {
		lines := f.DisasmLines()
		for _, pc := range pcs {
			fmt.Fprintf(w, " %04d: %s\n", pc, lines[pc])
		}
	}
	fmt.Fprintf(w, "%s (%s) in %d steps\n", ir.ActionFromRet(ret), backend.RetName(ret), len(pcs))
	return nil
}
