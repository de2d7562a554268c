package lint

import (
	"slices"
	"strings"

	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/stdlib"
)

// checkPartialArch reports syscall names written in the policy's rules that exist on only
// some of its arches.
func (l *linter) checkPartialArch() {
	arches := l.archNames()
	for _, st := range l.usedRules() {
		for _, id := range st.Syscalls {
			if strings.HasPrefix(id.Name, "@") {
				continue
			}
			var missing []string
			for _, a := range arches {
				if !compiler.RuleApplies(st, a) {
					continue // the rule's arch condition leaves the arch out
				}
				if _, ok := stdlib.SyscallNumber(a, id.Name); !ok {
					missing = append(missing, a)
				}
			}
			if len(missing) == 0 || len(missing) == len(l.appliesOn(st, arches)) {
				continue
			}
			l.add(PartialArch, id.At, "it exists on "+strings.Join(stdlib.ArchesWith(id.Name), ", ")+"; check that those arches have what they need",
				"%s does not exist on %s: the rule does not apply there", id.Name, strings.Join(missing, ", "))
		}
	}
}

// appliesOn returns the arches among arches on which rule st can apply.
func (l *linter) appliesOn(st *lang.RuleStmt, arches []string) []string {
	var out []string
	for _, a := range arches {
		if compiler.RuleApplies(st, a) {
			out = append(out, a)
		}
	}
	return out
}

// checkArchNever reports the rules whose arch condition holds on none of the policy's arches.
func (l *linter) checkArchNever() {
	for _, pos := range l.res.ArchNever {
		l.add(ArchNever, pos, "the policy's arches are "+strings.Join(l.archNames(), ", ")+"; fix the arch names, or remove the rule",
			"the rule's arch condition holds on none of the policy's arches: the rule never applies")
	}
}

// usedRules returns the rule statements that the compiled policy holds (its own, and those
// spliced by use), in source order.
func (l *linter) usedRules() []*lang.RuleStmt {
	seen := map[diag.Pos]bool{}
	for _, ap := range l.res.Policy.Arches {
		for _, rs := range ap.Rules {
			for _, r := range rs {
				seen[r.Pos] = true
			}
		}
	}
	var out []*lang.RuleStmt
	for _, name := range sortedKeys(l.files) {
		lang.Inspect(l.files[name], func(n lang.Node) bool {
			r, ok := n.(*lang.RuleStmt)
			if ok && seen[r.At] {
				out = append(out, r)
			}
			return !ok
		})
	}
	return out
}

// checkActions reports kill_thread, errno(0) and user_notif without a listener, in rules and
// defaults.
func (l *linter) checkActions() {
	data := map[diag.Pos]int{} // rule position → its errno value
	for _, ap := range l.res.Policy.Arches {
		for _, rs := range ap.Rules {
			for _, r := range rs {
				if r.Action.Kind == ir.Errno {
					data[r.Pos] = int(r.Action.Data)
				}
			}
		}
	}
	for _, st := range l.usedRules() {
		if v, ok := data[st.At]; ok || st.Action.Name != "errno" {
			l.checkAction(st.Action, v)
		}
	}
	if l.root == nil || len(l.res.Policy.Arches) == 0 {
		return
	}
	for _, st := range l.root.Body {
		if d, ok := st.(*lang.DefaultStmt); ok {
			l.checkAction(d.Action, defaultData(l.res.Policy, d))
		}
	}
}

// checkAction checks one action as written; errno is its value when it is errno(N).
func (l *linter) checkAction(a *lang.Action, errno int) {
	switch {
	case a.Name == "kill_thread":
		l.add(KillThread, a.At, "use kill (kill_process)",
			"kill_thread ends only the calling thread: the rest of the process runs on, in a state it does not expect")
	case a.Name == "user_notif" && l.res.Policy.Flags&program.FlagNewListener == 0:
		l.add(NotifNoListener, a.At, "add `flags new_listener` and hand the listener to a supervisor",
			"user_notif without flags new_listener: no supervisor gets the listener, so the kernel fails these calls with ENOSYS")
	case a.Name == "errno" && errno == 0:
		l.add(ErrnoZero, a.At, "refuse with a real error, such as errno(EPERM)",
			"errno(0) does not refuse the call: it is skipped and returns 0, so the program believes it succeeded")
	}
}

// defaultData is the errno of a default statement's action on the policy's first arch, or -1.
func defaultData(p *ir.Policy, d *lang.DefaultStmt) int {
	ap := p.Arches[0]
	act := ap.Default
	switch {
	case d.Foreign:
		act = p.BadArch
	case d.Newer:
		if ap.Newer == nil {
			return -1
		}
		act = *ap.Newer
	}
	if act.Kind != ir.Errno {
		return -1
	}
	return int(act.Data)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
