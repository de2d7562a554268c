package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/internal/plural"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/stdlib"
)

const simLong = `sim runs the filter in scc's emulator on one call and prints the action, and the
number of instructions executed; --trace prints the path. The call is written as in an
expect line:

  scc sim web.sc 'openat(AT_FDCWD, 0, O_RDONLY)'   a syscall by name, and its arguments
  scc sim web.sc 'nr=0x40000001'                   a raw syscall number (here x32's write)
  scc sim web.sc 'nr=999(1, 2)'                    any number, named or not, with arguments
  scc sim web.sc 'ioctl(1, 0xffffffff00005401)'    a full 64-bit register value

Arguments are constant expressions (numbers, named constants, | & ~ << + -). A value that
fits the argument's C type is passed as a program would (-1 for an int is 0xffffffff); any
other value that fits the register is passed as it stands, so a garbage high half of an int
argument reaches the filter as the kernel would pass it: the filter compares only the low
32 bits of int arguments, and sim shows that it does.`

func newSimCmd() *cobra.Command {
	var bf buildFlags
	var trace bool
	var arch string
	cmd := &cobra.Command{
		Use:   "sim POLICY|FILE 'CALL' [--arch A] [--trace]",
		Short: "Show what a filter decides for one call, and in how many steps",
		Long:  simLong,
		Args:  wantArgs(2, 2, "a POLICY or FILE and one CALL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := loadFilter(cmd, &bf, args[0])
			if err != nil {
				return err
			}
			if arch == "" {
				arch = stdlib.HostArch().Name
			}
			call := args[1]
			d, errs := compiler.ResolveCall(call, arch)
			src := diag.SourceMap{compiler.CallFile: []byte(call)}
			if err := reportDiags(cmd.ErrOrStderr(), errs, src); err != nil {
				return err
			}
			var res *compiler.Result
			if bf.built != nil {
				res = bf.built.Result
			}
			a, _ := stdlib.LookupArch(arch)
			return simulate(cmd.OutOrStdout(), f, d, trace, func(act ir.Action) string { return res.ActionText(a.Name, act) })
		},
	}
	bf.registerPolicy(cmd)
	cmd.Flags().StringVar(&arch, "arch", "", "the arch of the call (default: the host's)")
	cmd.Flags().BoolVar(&trace, "trace", false, "print the instructions executed")
	return cmd
}

// simulate runs the filter on one call and prints its decision, named by actionText.
func simulate(w io.Writer, f *backend.Filter, d program.SeccompData, trace bool, actionText func(ir.Action) string) error {
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
	fmt.Fprintf(w, "%s (%s) in %s\n", actionText(ir.ActionFromRet(ret)), backend.RetName(ret), plural.Count(len(pcs), "step", "steps"))
	return nil
}
