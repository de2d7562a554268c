package oci

import (
	"fmt"
	"slices"
	"strings"

	"github.com/scc-dev/scc/ir"
)

// line is one rule of the policy being written: an action for some syscalls, under the
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
	conflicts []string            // syscalls whose rules were ordered for libseccomp
	decisions map[string]decision // by syscall name
}

// plan turns the entries into lines: one per entry, with the names whose rules count there,
// grouped by action; syscalls with conflicting rules go to an ordered block at the end.
func (im *importer) plan() *plan {
	size := 0 // the names of all entries: room for every syscall
	for i := range im.r.Entries {
		size += len(im.r.Entries[i].Names)
	}
	pl := &plan{decisions: make(map[string]decision, size)}
	byName := make(map[string][]rule, size)
	var order []string
	for i := range im.r.Entries {
		rules := entryRules(i, &im.r.Entries[i]) // appended (copied) to each name's rules
		for _, name := range im.knownNames(i) {
			if byName[name] == nil {
				order = append(order, name)
			}
			byName[name] = append(byName[name], rules...)
		}
	}
	for _, name := range order {
		d := decide(byName[name], im.r.Default)
		pl.decisions[name] = d
		if d.conflict {
			pl.conflicts = append(pl.conflicts, name)
		}
	}
	for i := range im.r.Entries {
		if l, ok := im.entryLine(i, pl); ok {
			pl.lines = append(pl.lines, l)
		}
	}
	slices.SortStableFunc(pl.lines, func(a, b line) int { return actionRank(a.action) - actionRank(b.action) })
	pl.lines = mergeLines(pl.lines)
	return pl
}

// knownNames returns entry i's names that exist on the policy's arches, once each.
func (im *importer) knownNames(i int) []string {
	names := im.r.Entries[i].Names
	var out []string
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		if !seen[n] && im.exists(n) {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// entryLine builds the line of entry i, with comments for the names it leaves out.
func (im *importer) entryLine(i int, pl *plan) (line, bool) {
	e := &im.r.Entries[i]
	l := line{action: e.Action}
	if e.Comment != "" {
		l.comments = append(l.comments, e.Comment)
	}
	var missing, elsewhere, ordered []string
	seen := make(map[string]bool, len(e.Names)) // a name goes to one list, once
	for _, n := range e.Names {
		if seen[n] {
			continue
		}
		seen[n] = true
		d, known := pl.decisions[n]
		switch {
		case !known:
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
	rules := entryRules(i, e)
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
	for _, c := range append(slices.Clone(a.conds), b.conds...) {
		if len(c) != 1 || c[0].Index != idx {
			return false
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

func appendOnce(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

// conflicts adds the rules of the syscalls whose rules have different actions, in libseccomp's order.
func (im *importer) conflicts(pl *plan) {
	if len(pl.conflicts) == 0 {
		return
	}
	im.blank()
	im.comment("The profile gives these syscalls conditional rules with different actions. " +
		"libseccomp tries them in its own tree order, not the profile's: higher argument first, " +
		"then ==, masks and != before < and <=, before > and >=. They are written in that order.")
	for _, name := range pl.conflicts {
		for _, r := range pl.decisions[name].rules {
			im.line(line{action: r.action, names: []string{name}, conds: [][]Arg{r.args}})
		}
	}
}
