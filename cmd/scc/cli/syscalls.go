package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/stdlib"
)

func newSyscallsCmd() *cobra.Command {
	var arch string
	cmd := &cobra.Command{
		Use:   "syscalls [--arch A] [NAME|@group]",
		Short: "List groups, a group's members, or a syscall's number and signature per arch",
		Args:  wantArgs(0, 1, "at most one NAME or @group"),
		RunE: func(cmd *cobra.Command, args []string) error {
			w := cmd.OutOrStdout()
			switch {
			case len(args) == 0:
				return listGroups(w)
			case strings.HasPrefix(args[0], "@"):
				return listGroup(w, args[0], arch)
			}
			return showSyscall(w, args[0], arch)
		},
	}
	cmd.Flags().StringVar(&arch, "arch", "", "architecture (default: the host's for groups, all for a syscall)")
	return cmd
}

// newTable starts the columns of a listing: cells padded with two spaces, no rule lines.
func newTable(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 4, 2, ' ', 0) }

func listGroups(w io.Writer) error {
	tw := newTable(w)
	host := stdlib.HostArch().Name
	for _, g := range compiler.StdGroups() {
		members, err := compiler.ExpandStdGroup(g.Name, host)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\n", g.Name, len(members), g.Doc)
	}
	return tw.Flush()
}

func listGroup(w io.Writer, name, arch string) error {
	if arch == "" {
		arch = stdlib.HostArch().Name
	} else if _, err := lookupArch(arch); err != nil {
		return err
	}
	var names []string
	for _, g := range compiler.StdGroups() {
		names = append(names, g.Name)
	}
	if !slices.Contains(names, name) {
		return fmt.Errorf("unknown group %s%s", name, didYouMean(name, names))
	}
	members, err := compiler.ExpandStdGroup(name, arch)
	if err != nil {
		return err
	}
	for _, m := range members {
		fmt.Fprintln(w, m)
	}
	return nil
}

func showSyscall(w io.Writer, name, arch string) error {
	arches := stdlib.Arches()
	if arch != "" {
		a, err := lookupArch(arch)
		if err != nil {
			return err
		}
		arches = []stdlib.Arch{a}
	}
	tw := newTable(w)
	found := false
	for _, a := range arches {
		nr, ok := stdlib.SyscallNumber(a.Name, name)
		if !ok {
			continue
		}
		found = true
		fmt.Fprintf(tw, "%s\t%d\t%#x\t%s\n", a.Name, nr, nr, signatureText(a.Name, name))
	}
	if !found {
		return unknownSyscall(name, arches)
	}
	return tw.Flush()
}

// unknownSyscall explains why name is on none of arches: it exists on other arches (named),
// or it is unknown, with a close name (on the one arch asked for) when there is one. A name
// of other arches is no typo: no "did you mean" then (socketcall is not socketpair).
func unknownSyscall(name string, arches []stdlib.Arch) error {
	if others := stdlib.ArchesWith(name); len(others) > 0 {
		return fmt.Errorf("syscall %s does not exist on %s; it exists on %s", name, arches[0].Name, strings.Join(others, ", "))
	}
	candidates := stdlib.AllSyscallNames()
	if len(arches) == 1 {
		candidates = stdlib.SyscallNames(arches[0].Name)
	}
	return fmt.Errorf("unknown syscall %s%s", name, didYouMean(name, candidates))
}

// lookupArch finds an arch by name or alias, with a hint for a misspelt one.
func lookupArch(name string) (stdlib.Arch, error) {
	a, ok := stdlib.LookupArch(name)
	if ok {
		return a, nil
	}
	var names []string
	for _, a := range stdlib.Arches() {
		names = append(names, a.Name)
		names = append(names, a.Aliases...)
	}
	return a, fmt.Errorf("unknown arch %s%s", name, didYouMean(strings.ToLower(name), names))
}

// didYouMean is "; did you mean X?" for the candidate closest to name (diag.Suggest), or "".
func didYouMean(name string, candidates []string) string {
	if s := diag.Suggest(name, candidates); s != "" {
		return "; did you mean " + s + "?"
	}
	return ""
}

func signatureText(arch, name string) string {
	sig, ok := stdlib.LookupSignature(arch, name)
	if !ok {
		return name + "(?)"
	}
	var params []string
	for _, p := range sig.Params {
		params = append(params, fmt.Sprintf("%s %s /*%d*/", p.Type, p.Name, p.Bits))
	}
	return fmt.Sprintf("%s(%s)  [%s]", name, strings.Join(params, ", "), sig.Source)
}
