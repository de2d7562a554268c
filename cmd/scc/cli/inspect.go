package cli

import (
	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/stdlib"
)

// loadFilter reads a compiled filter, or compiles a policy, and returns it.
func loadFilter(cmd *cobra.Command, bf *buildFlags, path string) (*backend.Filter, error) {
	src, err := bf.load(cmd, path)
	if err != nil {
		return nil, err
	}
	if f := src.Filter; f != nil {
		if f.Names == nil {
			f.Names = allNames()
		}
		return f, nil
	}
	out, err := buildPolicy(cmd, src, bf.policy)
	if err != nil {
		return nil, err
	}
	bf.built = out
	return out.Filter, nil
}

// allNames maps every arch's syscall numbers to names, for disassembling a compiled filter.
func allNames() backend.Names {
	names := backend.Names{}
	for _, a := range stdlib.Arches() {
		names[a.Audit] = append(names[a.Audit], stdlib.SharedSyscallTable(a.Name))
	}
	return names
}

func newDisasmCmd() *cobra.Command {
	var bf buildFlags
	cmd := &cobra.Command{
		Use:   "disasm FILE",
		Short: "Disassemble a blob, a raw program, or the filter a policy compiles to",
		Args:  wantArgs(1, 1, "one FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := loadFilter(cmd, &bf, args[0])
			if err != nil {
				return err
			}
			return backend.Disasm(cmd.OutOrStdout(), backend.Instructions(f.Program), f.Names)
		},
	}
	bf.register(cmd)
	return cmd
}
