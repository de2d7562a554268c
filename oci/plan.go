package oci

import (
	"fmt"
	"slices"
	"strings"

	"github.com/scc-dev/scc/ir"
)

// line is one rule of the policy being built: an action for some syscalls, under the
// alternatives in conds (ORed; each an AND of comparisons; none: unconditional).
type line struct {
	comments []string
	action   ir.Action
	names    []string
	conds    [][]Arg
}

// plan is the body of the imported policy.
type plan struct {
	lines     []line
	conflicts []int      // the syscalls (by id) whose rules were ordered for libseccomp
	decisions []decision // by syscall id; a name of no arch of the policy has none
}

// plan turns the entries into lines: one per entry, with the names whose rules count there,
// grouped by action; syscalls with conflicting rules go to an ordered block at the end.
func (im *importer) plan() *plan {
	entries, names := im.r.Entries, &im.names
	rules := make([][]rule, len(entries))
	count := make([]int, len(names.list)) // rules per syscall id
	total := 0
	for i := range entries {
		rules[i] = entryRules(i, &entries[i])
		for _, id := range im.entryIDs[i] {
			if names.known[id] {
				count[id] += len(rules[i])
				total += len(rules[i])
			}
		}
	}
	// Each syscall's rules, in profile order, have their part of one array.
	all := make([]rule, total)
	byID := make([][]rule, len(count))
	at := 0
	for id, n := range count {
		byID[id] = all[at : at : at+n]
		at += n
	}
	for i := range entries {
		for _, id := range im.entryIDs[i] {
			if names.known[id] {
				byID[id] = append(byID[id], rules[i]...)
			}
		}
	}
	pl := &plan{decisions: make([]decision, len(count)), lines: make([]line, 0, len(entries))}
	for id, rs := range byID { // ids run in the order the names first appear
		if len(rs) == 0 {
			continue
		}
		d := decide(rs, im.r.Default)
		pl.decisions[id] = d
		if d.conflict {
			pl.conflicts = append(pl.conflicts, id)
		}
	}
	for i := range entries {
		if l, ok := im.entryLine(i, rules[i], pl); ok {
			pl.lines = append(pl.lines, l)
		}
	}
	slices.SortStableFunc(pl.lines, func(a, b line) int { return actionRank(a.action) - actionRank(b.action) })
	pl.lines = mergeLines(pl.lines)
	return pl
}

// entryLine builds the line of entry i, with comments for the names it leaves out.
func (im *importer) entryLine(i int, rules []rule, pl *plan) (line, bool) {
	e := &im.r.Entries[i]
	l := line{action: e.Action, names: make([]string, 0, len(im.entryIDs[i]))}
	if e.Comment != "" {
		l.comments = append(l.comments, e.Comment)
	}
	var missing, elsewhere, ordered []string
	for _, id := range im.entryIDs[i] { // a name goes to one list, once
		n, d := im.names.list[id], pl.decisions[id]
		switch {
		case !im.names.known[id]:
			missing = append(missing, n)
		case d.conflict:
			ordered = append(ordered, n)
		case slices.ContainsFunc(d.rules, func(r rule) bool { return r.entry == i }):
			l.names = append(l.names, n)
		default:
			elsewhere = append(elsewhere, n)
		}
	}
	l.comments = append(l.comments, im.leftOut(missing, elsewhere, ordered)...)
	for _, r := range rules {
		if len(r.args) > 0 {
			l.conds = append(l.conds, r.args)
		}
	}
	if len(rules) > 1 {
		l.comments = append(l.comments, "runc adds comparisons of the same argument as separate rules: they are ORed.")
	}
	return l, len(l.names) > 0 || len(l.comments) > 0
}

// leftOut explains the names an entry's line does not carry.
func (im *importer) leftOut(missing, elsewhere, ordered []string) []string {
	var out []string
	if len(missing) > 0 {
		out = append(out, fmt.Sprintf("Not a syscall on %s: %s.", strings.Join(im.arches, ", "), strings.Join(missing, ", ")))
	}
	if len(elsewhere) > 0 {
		out = append(out, fmt.Sprintf("Decided by another rule under libseccomp (an unconditional rule wins; "+
			"a rule with the default action is left out): %s.", strings.Join(elsewhere, ", ")))
	}
	if len(ordered) > 0 {
		out = append(out, fmt.Sprintf("In the ordered rules at the end: %s.", strings.Join(ordered, ", ")))
	}
	return out
}

// mergeLines joins adjacent uncommented lines for the same syscalls and action whose
// conditions are alternatives on one argument (Docker writes one entry per socket family).
func mergeLines(lines []line) []line {
	var out []line
	for _, l := range lines {
		if n := len(out); n > 0 && mergeable(out[n-1], l) {
			out[n-1].conds = append(out[n-1].conds, l.conds...)
			continue
		}
		out = append(out, l)
	}
	return out
}

func mergeable(a, b line) bool {
	if len(b.comments) > 0 || a.action != b.action || !slices.Equal(a.names, b.names) || len(a.names) == 0 {
		return false
	}
	if len(a.conds) == 0 || len(b.conds) == 0 {
		return false
	}
	idx := a.conds[0][0].Index
	for _, conds := range [][][]Arg{a.conds, b.conds} {
		for _, c := range conds {
			if len(c) != 1 || c[0].Index != idx {
				return false
			}
		}
	}
	return true
}

// actionRank orders the groups of lines: allowed first, refused last.
func actionRank(a ir.Action) int {
	switch a.Kind {
	case ir.Allow:
		return 0
	case ir.Log:
		return 1
	case ir.UserNotif:
		return 2
	case ir.Trace:
		return 3
	case ir.Errno:
		return 4
	case ir.Trap:
		return 5
	}
	return 6
}

// conflicts adds the rules of the syscalls whose rules have different actions, in
// libseccomp's order.
func (im *importer) conflicts(pl *plan) {
	if len(pl.conflicts) == 0 {
		return
	}
	im.blank()
	im.comment("The profile gives these syscalls conditional rules with different actions. " +
		"libseccomp tries them in its own tree order, not the profile's: higher argument first, " +
		"then ==, masks and != before < and <=, before > and >=. They are written in that order.")
	for _, id := range pl.conflicts {
		for _, r := range pl.decisions[id].rules {
			im.line(line{action: r.action, names: []string{im.names.list[id]}, conds: [][]Arg{r.args}})
		}
	}
}
