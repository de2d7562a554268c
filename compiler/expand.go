package compiler

import (
	"math/bits"
	"strings"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/stdlib"
)

// syscallSet is a set of the syscalls of an arch, by their index in archCtx.syscalls: a
// bit each, so that a group's expansion takes a few words, however many groups nest.
type syscallSet []uint64

func (s *syscallSet) add(i int) {
	for len(*s) <= i/64 {
		*s = append(*s, 0)
	}
	(*s)[i/64] |= 1 << (i % 64)
}

func (s *syscallSet) union(o syscallSet) {
	for len(*s) < len(o) {
		*s = append(*s, 0)
	}
	for i, w := range o {
		(*s)[i] |= w
	}
}

// each calls f with each member, in increasing order.
func (s syscallSet) each(f func(i int)) {
	for wi, w := range s {
		for w != 0 {
			b := bits.TrailingZeros64(w)
			f(wi*64 + b)
			w &^= 1 << b
		}
	}
}

// groupExpansion is a group's syscalls on one arch, nested groups expanded.
type groupExpansion struct {
	set   syscallSet
	busy  bool // being expanded: meeting it again is a cycle
	depth int  // while busy, its index in the stack of groups being expanded
}

// syscallIndex returns the index of a syscall in ac.syscalls, adding it on first sight.
func (ac *archCtx) syscallIndex(name string, nr uint32) int {
	if i, ok := ac.sysIndex[nr]; ok {
		return i
	}
	ac.sysIndex[nr] = len(ac.syscalls)
	ac.syscalls = append(ac.syscalls, syscall{name, nr})
	return len(ac.syscalls) - 1
}

// groupSet returns the syscalls of group id that exist on this arch, nested groups
// expanded: a syscall named twice is in it once. Each group is expanded once per arch, its
// set shared by every rule and group that names it, so that a group naming the one before
// it twice, a hundred times over, costs a hundred unions of a few words. Members that exist
// on no arch at all are errors; members of other arches only are skipped. stack holds the
// groups being expanded, for the message of a cycle.
func (ac *archCtx) groupSet(id *lang.Ident, stack []string) syscallSet {
	if ge, ok := ac.groups[id.Name]; ok {
		if ge.busy {
			ac.errorf(id.At, "group cycle: %s", cyclePath(stack[ge.depth:], id.Name))
		}
		return ge.set
	}
	g, ok := ac.sc.group(id.Name)
	if !ok {
		d := ac.errorf(id.At, "unknown group %s", id.Name)
		d.SetHintFunc(func() string {
			if s := diag.Suggest(id.Name, ac.sc.groupNames()); s != "" {
				return "did you mean " + s + "?"
			}
			return ""
		})
		return nil
	}
	ge := &groupExpansion{busy: true, depth: len(stack)}
	ac.groups[id.Name] = ge
	stack = append(stack, id.Name)
	for _, m := range g.Members {
		switch {
		case strings.HasPrefix(m.Name, "@"):
			ge.set.union(ac.groupSet(m, stack))
		case stdlib.KnownSyscall(m.Name):
			if nr, ok := stdlib.SyscallNumber(ac.arch.Name, m.Name); ok {
				ge.set.add(ac.syscallIndex(m.Name, nr))
			}
		default:
			ac.unknownSyscall(m)
		}
	}
	ge.busy = false
	return ge.set
}

// maxCyclePath is the most names a cycle's message shows.
const maxCyclePath = 10

// cyclePath writes a cycle of uses or groups, "a → b → a", from the names on the stack
// that form it and the name met again; a long cycle is shown by its ends, so that the
// message costs the same however long the cycle.
func cyclePath(cycle []string, again string) string {
	if len(cycle) > maxCyclePath {
		head, tail := cycle[:maxCyclePath/2], cycle[len(cycle)-maxCyclePath/2:]
		return strings.Join(head, " → ") + " → … → " + strings.Join(tail, " → ") + " → " + again
	}
	return strings.Join(cycle, " → ") + " → " + again
}
