package lint

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/lint/bdd"
	"github.com/scc-dev/scc/stdlib"
)

// sysInfo is one syscall's rules on one arch, with each condition as a decision diagram.
type sysInfo struct {
	ap    *ir.ArchPolicy
	nr    uint32
	name  string
	rules []ir.Rule
	m     *bdd.Manager
	conds []bdd.Node // conds[i]: when rule i's condition holds
	first []bdd.Node // first[i]: when rule i is the first that matches, so decides
}

// sys returns the analysis of syscall nr on ap, computed once.
func (l *linter) sys(ap *ir.ArchPolicy, nr uint32) *sysInfo {
	k := sysKey{ap.Arch.Name, nr}
	if s, ok := l.syscalls[k]; ok {
		return s
	}
	s := &sysInfo{ap: ap, nr: nr, name: ap.Names[nr], rules: ap.Rules[nr], m: bdd.New()}
	if s.name == "" {
		s.name = fmt.Sprintf("syscall %d", nr)
	}
	prior := bdd.False
	for _, r := range s.rules {
		c := s.m.Cond(r.Cond)
		s.conds = append(s.conds, c)
		s.first = append(s.first, s.m.Diff(c, prior))
		prior = s.m.Or(prior, c)
	}
	l.syscalls[k] = s
	return s
}

// sysByName returns the analysis of a syscall by name, if it exists on ap's arch.
func (l *linter) sysByName(ap *ir.ArchPolicy, name string) (*sysInfo, bool) {
	nr, ok := stdlib.SyscallNumber(ap.Arch.Name, name)
	if !ok {
		return nil, false
	}
	return l.sys(ap, nr), true
}

// region is where the syscall's decision satisfies pred, the default included.
func (s *sysInfo) region(pred func(ir.Action) bool) bdd.Node {
	r, any := bdd.False, bdd.False
	for i, rule := range s.rules {
		if pred(rule.Action) {
			r = s.m.Or(r, s.first[i])
		}
		any = s.m.Or(any, s.conds[i])
	}
	if pred(s.ap.Default) {
		r = s.m.Or(r, s.m.Not(any))
	}
	return r
}

// group gathers the (syscall, arch) occurrences of one finding about one place.
type group struct {
	check    string
	pos      diag.Pos
	syscalls []string
	arches   []string
	n        int
	extra    []string                              // what a check needs to write the message
	msg      func(g *group) (message, hint string) // "" skips the finding
}

// groups collects findings by key, in the order they are first seen.
type groups struct {
	keys []string
	m    map[string]*group
}

// note records one occurrence; msg is kept from the first.
func (gs *groups) note(key, check string, pos diag.Pos, sys, arch string, msg func(*group) (string, string)) *group {
	if gs.m == nil {
		gs.m = map[string]*group{}
	}
	key = check + "\x00" + pos.String() + "\x00" + key
	g, ok := gs.m[key]
	if !ok {
		g = &group{check: check, pos: pos, msg: msg}
		gs.m[key] = g
		gs.keys = append(gs.keys, key)
	}
	g.n++
	g.syscalls = appendNew(g.syscalls, sys)
	g.arches = appendNew(g.arches, arch)
	return g
}

// flush turns the groups into findings.
func (l *linter) flush(gs *groups) {
	for _, k := range gs.keys {
		g := gs.m[k]
		if msg, hint := g.msg(g); msg != "" {
			l.add(g.check, g.pos, hint, "%s", msg)
		}
	}
	*gs = groups{}
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// names writes a group's syscalls, and its arches when they are not all the policy's.
func (l *linter) names(g *group) string {
	s := list(g.syscalls)
	if len(g.arches) < len(l.res.Policy.Arches) {
		s += " on " + strings.Join(g.arches, ", ")
	}
	return s
}

// list joins names, eliding after the eighth.
func list(names []string) string {
	const most = 8
	if len(names) > most {
		return fmt.Sprintf("%s and %d more", strings.Join(names[:most], ", "), len(names)-most)
	}
	return strings.Join(names, ", ")
}

// plural picks the singular or plural form for n things.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// named tells whether a rule names the syscall itself, not through a group.
func (l *linter) named(r ir.Rule, name string) bool {
	if st, ok := l.rules[r.Pos]; ok {
		for _, id := range st.Syscalls {
			if id.Name == name {
				return true
			}
		}
	}
	return false
}

// rulePos is where a rule of the IR stands in the source.
func (l *linter) rulePos(r ir.Rule) diag.Pos {
	if st, ok := l.rules[r.Pos]; ok {
		return st.At
	}
	return parsePos(r.Pos)
}

// namePos is where a rule names a syscall; the rule's position when it names it in a group.
func (l *linter) namePos(r ir.Rule, name string) diag.Pos {
	if st, ok := l.rules[r.Pos]; ok {
		for _, id := range st.Syscalls {
			if id.Name == name {
				return id.At
			}
		}
	}
	return l.rulePos(r)
}

// parsePos reads "file:line:col" (the file may hold colons).
func parsePos(s string) diag.Pos {
	i := strings.LastIndexByte(s, ':')
	j := strings.LastIndexByte(s[:max(i, 0)], ':')
	if i < 0 || j < 0 {
		return diag.Pos{File: s}
	}
	line, _ := strconv.Atoi(s[j+1 : i])
	col, _ := strconv.Atoi(s[i+1:])
	return diag.Pos{File: s[:j], Line: line, Col: col}
}

// lineRef names position to as seen from a finding at from: "line 12", or "other.sc:12".
func lineRef(from, to diag.Pos) string {
	if from.File == to.File {
		return fmt.Sprintf("line %d", to.Line)
	}
	return fmt.Sprintf("%s:%d", to.File, to.Line)
}

func lineRefs(from diag.Pos, tos []diag.Pos) string {
	var out []string
	for _, to := range tos {
		out = appendNew(out, lineRef(from, to))
	}
	if len(out) > 1 {
		out[0] = strings.Replace(out[0], "line", "lines", 1)
		for i := 1; i < len(out); i++ {
			out[i] = strings.TrimPrefix(out[i], "line ")
		}
	}
	return strings.Join(out, ", ")
}

// ruleChecks are the groups of the per-rule checks, flushed after every syscall is seen.
type ruleChecks struct {
	unreachable, duplicate, constant, redundant groups
	occurrences                                 map[string]int  // rule position → (arch, syscall) pairs
	live                                        map[string]bool // rule position and arch → decides something
	pending                                     []func()        // group members to report if their rule is dead
}

// checkRules runs the checks about which rule decides on one syscall of one arch.
func (l *linter) checkRules(s *sysInfo, rc *ruleChecks) {
	for i, r := range s.rules {
		pos := l.rulePos(r)
		rc.occurrences[pos.String()]++
		if s.first[i] != bdd.False {
			rc.live[pos.String()+"\x00"+s.ap.Arch.Name] = true
		}
		if l.constantCondition(s, i, pos, &rc.constant) {
			continue
		}
		if s.first[i] == bdd.False {
			l.covered(s, i, pos, rc)
			continue
		}
		if r.Action == s.ap.Default && s.m.And(s.first[i], s.laterOverride(i)) == bdd.False {
			rc.redundant.note("", RedundantDefault, pos, s.name, s.ap.Arch.Name, l.redundantMsg(rc, l.res.ActionText(s.ap.Arch.Name, r.Action)))
		}
	}
}

// flushRules emits the per-rule findings.
func (l *linter) flushRules(rc *ruleChecks) {
	for _, f := range rc.pending {
		f()
	}
	l.flush(&rc.constant)
	l.flush(&rc.duplicate)
	l.flush(&rc.unreachable)
	l.flush(&rc.redundant)
}

// laterOverride is where a rule after i decides an action other than the default: what rule
// i, when it has the default's action, shields from the later rules.
func (s *sysInfo) laterOverride(i int) bdd.Node {
	r := bdd.False
	for j := len(s.rules) - 1; j > i; j-- {
		hit := bdd.False
		if s.rules[j].Action != s.ap.Default {
			hit = bdd.True
		}
		c := s.conds[j]
		r = s.m.Or(s.m.And(c, hit), s.m.Diff(r, c))
	}
	return r
}

func (l *linter) redundantMsg(rc *ruleChecks, act string) func(*group) (string, string) {
	return func(g *group) (string, string) {
		if g.n < rc.occurrences[g.pos.String()] {
			return "", "" // the rule matters for some of its syscalls or arches
		}
		return fmt.Sprintf("the rule's action %s is the policy's default, and no later rule for %s depends on it: removing it changes nothing", act, strings.Join(g.syscalls, ", ")),
			"remove the rule, or keep it as documentation: # scc:ignore redundant-default REASON"
	}
}

// covered reports rule i, which never decides: as a duplicate of an earlier rule with the
// same condition, or as unreachable, naming a minimal set of earlier rules that cover it.
//
// A syscall that the rule names only through a group is often decided earlier on purpose
// (deny a few, then allow a group): it is reported only when the whole rule decides nothing
// on that arch, or when the rule refuses what an earlier rule allows.
func (l *linter) covered(s *sysInfo, i int, pos diag.Pos, rc *ruleChecks) {
	r := s.rules[i]
	cover := s.cover(i)
	if !l.named(r, s.name) && !(denies(s.ap.Arch.Name)(r.Action) && anyAllows(s.rules, cover)) {
		key := pos.String() + "\x00" + s.ap.Arch.Name
		rc.pending = append(rc.pending, func() {
			if !rc.live[key] {
				l.noteDead(s, pos, cover, rc)
			}
		})
		return
	}
	l.noteCovered(s, i, pos, cover, rc)
}

func (l *linter) noteCovered(s *sysInfo, i int, pos diag.Pos, cover []int, rc *ruleChecks) {
	r := s.rules[i]
	for j := 0; j < i; j++ {
		if condText(s.rules[j].Cond) == condText(r.Cond) {
			first := l.rulePos(s.rules[j])
			rc.duplicate.note(first.String(), DuplicateRule, pos, s.name, s.ap.Arch.Name, func(g *group) (string, string) {
				return fmt.Sprintf("%s already %s a rule with the same condition at %s (%s): this one (%s) never decides",
					l.names(g), plural(len(g.syscalls), "has", "have"), lineRef(pos, first), l.res.ActionText(s.ap.Arch.Name, s.rules[j].Action), l.res.ActionText(s.ap.Arch.Name, r.Action)), "remove one of the two rules"
			})
			return
		}
	}
	var at []diag.Pos
	for _, j := range cover {
		at = append(at, l.rulePos(s.rules[j]))
	}
	refs := lineRefs(pos, at)
	rc.unreachable.note(refs, UnreachableRule, pos, s.name, s.ap.Arch.Name, func(g *group) (string, string) {
		return fmt.Sprintf("the rule never decides %s: the earlier %s at %s always %s first", l.names(g),
			plural(len(at), "rule", "rules"), refs, plural(len(at), "matches", "match")), "remove it, or move it above the rules that cover it"
	})
}

// noteDead records a syscall of a group rule that decides nothing at all.
func (l *linter) noteDead(s *sysInfo, pos diag.Pos, cover []int, rc *ruleChecks) {
	g := rc.unreachable.note("dead", UnreachableRule, pos, s.name, s.ap.Arch.Name, func(g *group) (string, string) {
		var at []diag.Pos
		for _, p := range g.extra {
			at = append(at, parsePos(p))
		}
		where := ""
		if len(g.arches) < len(l.res.Policy.Arches) {
			where = " on " + strings.Join(g.arches, ", ")
		}
		slices.SortFunc(at, func(a, b diag.Pos) int { return cmp.Or(strings.Compare(a.File, b.File), a.Line-b.Line) })
		return fmt.Sprintf("the rule decides nothing%s: the earlier %s at %s %s every syscall it names", where,
			plural(len(at), "rule", "rules"), lineRefs(pos, at), plural(len(at), "decides", "decide")), "remove it, or move it above the rules that cover it"
	})
	for _, j := range cover {
		g.extra = appendNew(g.extra, l.rulePos(s.rules[j]).String())
	}
}

// anyAllows tells whether any of the rules at indexes set allows.
func anyAllows(rules []ir.Rule, set []int) bool {
	for _, j := range set {
		if allows(rules[j].Action) {
			return true
		}
	}
	return false
}

// cover returns a minimal set of earlier rules whose conditions together cover rule i's.
func (s *sysInfo) cover(i int) []int {
	var set []int
	for j := 0; j < i; j++ {
		if s.m.And(s.conds[j], s.conds[i]) != bdd.False {
			set = append(set, j)
		}
	}
	for k := len(set) - 1; k >= 0; k-- {
		rest := bdd.False
		for _, j := range set {
			if j != set[k] {
				rest = s.m.Or(rest, s.conds[j])
			}
		}
		if s.m.Diff(s.conds[i], rest) == bdd.False {
			set = append(set[:k], set[k+1:]...)
		}
	}
	return set
}

func condText(c ir.Cond) string {
	if c == nil {
		return ""
	}
	return c.String()
}

// constantCondition reports rule i's condition when it, or a comparison in it, is constant.
// It tells whether the whole condition never holds (the rule is then not checked further).
func (l *linter) constantCondition(s *sysInfo, i int, pos diag.Pos, gs *groups) bool {
	r := s.rules[i]
	if r.Cond == nil {
		return false
	}
	switch s.conds[i] {
	case bdd.False:
		gs.note("never", ConstantCondition, pos, s.name, s.ap.Arch.Name, func(g *group) (string, string) {
			return fmt.Sprintf("the condition never holds for %s: the rule never applies", l.names(g)), "check the comparisons: they are unsigned and masked"
		})
		return true
	case bdd.True:
		gs.note("always", ConstantCondition, pos, s.name, s.ap.Arch.Name, func(g *group) (string, string) {
			return fmt.Sprintf("the condition always holds for %s", l.names(g)), "write the rule without a condition, or fix the comparison"
		})
		return false
	}
	for _, a := range atoms(r.Cond, nil) {
		text, verdict := l.constantAtom(s, a)
		if verdict != "" {
			gs.note(text, ConstantCondition, pos, s.name, s.ap.Arch.Name, func(g *group) (string, string) {
				return fmt.Sprintf("the comparison %s %s for %s", text, verdict, l.names(g)), "comparisons are unsigned, on the masked bits: fix or remove it"
			})
		}
	}
	return false
}

// constantAtom tells whether a comparison never or always holds, and writes it.
func (l *linter) constantAtom(s *sysInfo, a ir.Cond) (text, verdict string) {
	n := s.m.Cond(a)
	switch n {
	case bdd.False:
		verdict = "never holds"
	case bdd.True:
		verdict = "always holds"
	default:
		return "", ""
	}
	if c, ok := a.(ir.Cmp); ok {
		return cmpText(s.ap.Arch.Name, s.name, c), verdict
	}
	return "of two constants", verdict
}

// atoms appends the comparisons and constants of c.
func atoms(c ir.Cond, out []ir.Cond) []ir.Cond {
	switch c := c.(type) {
	case ir.And:
		for _, t := range c {
			out = atoms(t, out)
		}
	case ir.Or:
		for _, t := range c {
			out = atoms(t, out)
		}
	case ir.Not:
		out = atoms(c.X, out)
	case ir.Cmp, ir.Const:
		out = append(out, c)
	}
	return out
}

// cmpText writes a comparison with the syscall's parameter name: "fd < 0", "flags & 0x3 == 0x1".
func cmpText(arch, syscall string, c ir.Cmp) string {
	name := fmt.Sprintf("arg%d", c.Arg)
	if sig, ok := stdlib.LookupSignature(arch, syscall); ok && c.Arg < len(sig.Params) && sig.Params[c.Arg].Name != "" {
		name = sig.Params[c.Arg].Name
	}
	full := uint64(0xffffffff)
	if c.Width == 64 {
		full = ^uint64(0)
	}
	if c.Mask&full != full {
		name += " & " + num(c.Mask&full)
	}
	return fmt.Sprintf("`%s %s %s`", name, c.Op, num(c.Value))
}

func num(v uint64) string {
	if v < 10 {
		return strconv.FormatUint(v, 10)
	}
	return fmt.Sprintf("%#x", v)
}
