package compiler

import (
	"fmt"
	"sort"
	"strings"

	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/stdlib"
)

// StdGroup describes a group of the standard library.
type StdGroup struct {
	Name string // with its '@'
	Doc  string // the comment above the group's declaration, without '#'
}

// StdGroups lists the standard library's groups, sorted by name.
func StdGroups() []StdGroup {
	set := stdGroups()
	var out []StdGroup
	for name, g := range set.groups {
		out = append(out, StdGroup{Name: name, Doc: set.docs[g]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ExpandStdGroup returns the members of a standard group that exist on arch, nested groups
// expanded, sorted.
func ExpandStdGroup(name, arch string) ([]string, error) {
	a, ok := stdlib.LookupArch(arch)
	if !ok {
		return nil, fmt.Errorf("unknown arch %s", arch)
	}
	if _, ok := stdGroups().groups[name]; !ok {
		return nil, fmt.Errorf("unknown group %s", name)
	}
	sc := &scope{}
	ac := newArchCtx(sc, a)
	var out []string
	ac.groupSet(&lang.Ident{Name: name}, nil).each(func(i int) {
		out = append(out, ac.syscalls[i].name)
	})
	if err := sc.errs.Err(); err != nil {
		return nil, err
	}
	sort.Strings(out)
	return out, nil
}

// groupDoc is the text of the comment lines right above a declaration.
func groupDoc(f *lang.File, g *lang.GroupDecl) string {
	var lines []string
	want := g.At.Line - 1
	for i := len(f.Comments) - 1; i >= 0; i-- {
		c := f.Comments[i]
		if c.At.Line > want {
			continue
		}
		if c.At.Line < want {
			break
		}
		lines = append([]string{strings.TrimSpace(strings.TrimPrefix(c.Text, "#"))}, lines...)
		want--
	}
	return strings.Join(lines, " ")
}
