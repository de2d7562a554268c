package oci

import (
	"slices"

	"github.com/scc-dev/scc/ir"
)

// A profile's entries have no order: libseccomp merges every rule of a syscall into one
// decision tree. scc decides by the first matching rule, so the importer orders each
// syscall's rules to give libseccomp's answers (as built by runc, libseccomp 2.5):
//
//   - A rule whose action is the default's is left out by runc (libseccomp refuses it), so
//     it never hides another rule.
//   - An unconditional rule overrides every conditional rule of the syscall, whatever its
//     action and place; of several unconditional rules the first one added counts.
//   - Conditional rules with one action can stay in any order.
//   - Conditional rules with different actions are tried in libseccomp's tree order: at each
//     level higher argument indexes first, then ==/!=/masked before </<= before >/>=, then
//     larger values first (smaller first for </<=); a rule that is a prefix of another wins.
//     Where such rules overlap, the answer follows that order (best effort: libseccomp's
//     tree merging has more cases than this).

// rule is one libseccomp rule: an action and comparisons that must all hold.
type rule struct {
	entry  int // index of the entry in Resolved.Entries
	action ir.Action
	args   []Arg // sorted by argument index, as libseccomp chains them
}

// entryRules splits an entry into libseccomp rules the way runc adds them: all comparisons in
// one rule, except when two compare the same argument, when runc adds one rule for each
// comparison (so they are ORed).
func entryRules(i int, e *Entry) []rule {
	var seen uint8 // argument indexes, 0 to 5
	repeated := false
	for _, a := range e.Args {
		repeated = repeated || seen&(1<<a.Index) != 0
		seen |= 1 << a.Index
	}
	if !repeated {
		args := slices.Clone(e.Args)
		slices.SortStableFunc(args, func(a, b Arg) int { return int(a.Index) - int(b.Index) })
		return []rule{{entry: i, action: e.Action, args: args}}
	}
	out := make([]rule, len(e.Args))
	for j := range e.Args {
		out[j] = rule{entry: i, action: e.Action, args: e.Args[j : j+1 : j+1]}
	}
	return out
}

// decision is what the importer does with one syscall's rules.
type decision struct {
	rules    []rule // the rules that count, in first-match order
	conflict bool   // conditional rules with different actions: ordered for libseccomp
}

// decide orders one syscall's rules (in profile order) for first-match semantics. It may
// reorder rules, and the decision's rules may share its array.
func decide(rules []rule, dflt ir.Action) decision {
	var d decision
	live := rules
	if len(rules) > 1 && slices.ContainsFunc(rules, func(r rule) bool { return r.action == dflt }) {
		live = slices.DeleteFunc(slices.Clone(rules), func(r rule) bool { return r.action == dflt })
	}
	if len(live) == 0 {
		return d
	}
	if i := slices.IndexFunc(live, func(r rule) bool { return len(r.args) == 0 }); i >= 0 {
		d.rules = live[i : i+1 : i+1]
		return d
	}
	d.rules = live
	for _, r := range live[1:] {
		if r.action != live[0].action {
			d.conflict = true
		}
	}
	if d.conflict {
		slices.SortStableFunc(d.rules, func(a, b rule) int { return compareChains(a.args, b.args) })
	}
	return d
}

// compareChains orders two rules' comparison chains as libseccomp tries them.
func compareChains(a, b []Arg) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := compareNodes(a[i], b[i]); c != 0 {
			return c
		}
	}
	return len(a) - len(b) // a prefix comes first: the shorter rule wins
}

// compareNodes orders two comparisons on one tree level: negative when x is tried first.
func compareNodes(x, y Arg) int {
	if x.Index != y.Index {
		return int(y.Index) - int(x.Index)
	}
	if px, py := opPriority(x.Op), opPriority(y.Op); px != py {
		return py - px
	}
	vx, vy := datum(x), datum(y)
	switch {
	case vx == vy:
		return 0
	case (vx < vy) == (x.Op == opLT || x.Op == opLE):
		return -1
	}
	return 1
}

func opPriority(op string) int {
	switch op {
	case opLT, opLE:
		return 2
	case opGT, opGE:
		return 1
	}
	return 3
}

// datum is the value libseccomp compares the (masked) argument with.
func datum(a Arg) uint64 {
	if a.Op == opMaskedEQ {
		return a.ValueTwo
	}
	return a.Value
}
