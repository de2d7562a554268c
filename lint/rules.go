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
	ap      *ir.ArchPolicy
	nr      uint32
	name    string
	rules   []ir.Rule
	m       *bdd.Manager
	conds   []bdd.Node // conds[i]: when rule i's condition holds
	prior   []bdd.Node // prior[i]: when a rule before i matches (conds[0] ∨ … ∨ conds[i-1])
	decides []bool     // decides[i]: rule i is the first that matches for some calls
	first   []bdd.Node // first[i]: when rule i decides (conds[i] ∧ ¬prior[i]); unknown until asked
	any     bdd.Node   // when some rule matches

	texts map[string]int // a condition's text → the first rule with it; nil until needed

	// exceeded is set once the budget finding for the syscall is made.
	exceeded bool
}

// unknown marks a diagram not built yet.
const unknown bdd.Node = -1

// analysed tells whether every rule's diagrams were built within the budget.
func (s *sysInfo) analysed() bool { return len(s.decides) == len(s.rules) }

// sys returns the analysis of syscall nr on ap, computed once. When the diagrams pass the
// budget, the analysis holds the rules before the one that passed it (s.analysed is false).
//
// The union of the rules so far grows one rule at a time, and only by the rules that decide
// something: a rule that the union already covers leaves it as it is.
func (l *linter) sys(ap *ir.ArchPolicy, nr uint32) *sysInfo {
	k := sysKey{ap.Arch.Name, nr}
	if s, ok := l.syscalls[k]; ok {
		return s
	}
	s := &sysInfo{ap: ap, nr: nr, name: ap.Names[nr], rules: ap.Rules[nr], m: l.tables.NewBudget(limits.nodes, limits.steps, l.work)}
	if s.name == "" {
		s.name = fmt.Sprintf("syscall %d", nr)
	}
	s.m.Do(func() {
		prior := bdd.False
		for _, r := range s.rules {
			c := s.m.Cond(r.Cond)
			decides := !s.m.Implies(c, prior)
			s.conds = append(s.conds, c)
			s.prior = append(s.prior, prior)
			s.first = append(s.first, unknown)
			s.decides = append(s.decides, decides)
			if decides {
				prior = s.m.Or(prior, c)
			}
		}
		s.any = prior
	})
	l.syscalls[k] = s
	return s
}

// release drops s's decision diagrams and its manager, whose tables go to pool for the next
// syscall's, keeping what the findings already noted refer to (name, arch, rules, which
// rules decide). The diagrams
// held are then those of the syscall being checked and of the few the later checks look at,
// not of every syscall; the run's budget is unchanged, since it counts the work done, not
// the nodes held.
func (s *sysInfo) release(pool *bdd.Pool) {
	pool.Put(s.m)
	s.m, s.conds, s.prior, s.first, s.any, s.texts = nil, nil, nil, nil, bdd.False, nil
}

// neededLater is the syscalls of ap whose diagrams the checks after the per-rule ones use
// (checkDangerous, checkSiblings, checkMultiplexers): they are not released.
func neededLater(ap *ir.ArchPolicy) map[uint32]bool {
	out := map[uint32]bool{}
	add := func(name string) {
		if nr, ok := stdlib.SyscallNumber(ap.Arch.Name, name); ok {
			out[nr] = true
		}
	}
	for nr, name := range ap.Names {
		if _, ok := dangerous[name]; ok {
			out[nr] = true
		}
	}
	for _, fam := range families {
		for _, name := range fam {
			add(name)
		}
	}
	if ap.Arch.Name == "i386" {
		for _, calls := range []map[string]uint64{socketCalls, ipcCalls} {
			for name := range calls {
				add(name)
			}
		}
		add("socketcall")
		add("ipc")
	}
	return out
}

// firstOf returns when rule i decides.
func (s *sysInfo) firstOf(i int) bdd.Node {
	if s.first[i] == unknown {
		s.first[i] = bdd.False
		if s.decides[i] {
			s.first[i] = s.m.Diff(s.conds[i], s.prior[i])
		}
	}
	return s.first[i]
}

// limits bound lint's decision diagrams: nodes and steps for each syscall on each arch, and
// for the whole run (so that many large syscalls still finish in seconds). Tests lower them.
var limits = struct{ nodes, steps, runNodes, runSteps int64 }{
	nodes: bdd.DefaultMaxNodes, steps: bdd.DefaultMaxSteps,
	runNodes: 3 * bdd.DefaultMaxNodes, runSteps: 2 * bdd.DefaultMaxSteps,
}

// analyse runs f on s's decision diagrams. When they pass the budget (now, or before), it
// reports once that s is not analysed, at rule i (-1: the syscall's first rule), and returns
// false; what f found before that stands, since every result within the budget is exact.
func (l *linter) analyse(s *sysInfo, i int, f func()) bool {
	if s.m == nil {
		panic("lint: the decision diagrams of " + s.name + " on " + s.ap.Arch.Name + " were released before a check that needs them")
	}
	if s.analysed() && s.m.Do(f) == nil {
		return true
	}
	if !s.analysed() {
		i = len(s.decides)
	}
	l.noteExceeded(s, i)
	return false
}

// noteExceeded records, once per syscall and arch, that the analysis of s stopped at rule i.
func (l *linter) noteExceeded(s *sysInfo, i int) {
	if s.exceeded || len(s.rules) == 0 {
		return
	}
	s.exceeded = true
	pos := s.rules[max(i, 0)].Pos
	l.budgetGroups.note(s.name, NotAnalysed, pos, s.name, s.ap.Arch.Name, func(g *group) (string, string) {
		return fmt.Sprintf("not analysed: budget exceeded: the analysis of %s passes lint's bound on work at this rule: which of its rules decide is not checked from here on", l.names(g)),
			"the policy is compiled as written; to have it checked, simplify these conditions or split them across fewer overlapping rules"
	})
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
	r := bdd.False
	for i, rule := range s.rules {
		if pred(rule.Action) {
			r = s.m.Or(r, s.firstOf(i))
		}
	}
	if pred(s.ap.Default) {
		r = s.m.Or(r, s.m.Not(s.any))
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
	extra    []diag.Pos                            // the places a check's message names
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

func appendNew[T comparable](list []T, s T) []T {
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

// namePos is where a rule names a syscall; the rule's position when it names it in a group.
func (l *linter) namePos(r ir.Rule, name string) diag.Pos {
	if st, ok := l.rules[r.Pos]; ok {
		for _, id := range st.Syscalls {
			if id.Name == name {
				return id.At
			}
		}
	}
	return r.Pos
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
		pos := r.Pos.String()
		rc.occurrences[pos]++
		if i >= len(s.decides) || s.decides[i] { // a rule not analysed may decide
			rc.live[pos+"\x00"+s.ap.Arch.Name] = true
		}
	}
	for i := range s.rules {
		if !l.analyse(s, i, func() { l.checkRule(s, i, rc) }) {
			return
		}
	}
}

// checkRule runs the checks about which rule decides on rule i of s.
func (l *linter) checkRule(s *sysInfo, i int, rc *ruleChecks) {
	r := s.rules[i]
	pos := r.Pos
	if l.constantCondition(s, i, pos, &rc.constant) {
		return
	}
	if !s.decides[i] {
		l.covered(s, i, pos, rc)
		return
	}
	if r.Action == s.ap.Default && s.shieldsNothing(i) {
		rc.redundant.note("", RedundantDefault, pos, s.name, s.ap.Arch.Name, l.redundantMsg(rc, l.res.ActionText(s.ap.Arch.Name, r.Action)))
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

// shieldsNothing tells whether rule i, which has the default's action, can be removed with
// nothing changed: on the calls it decides, the rules after it decide the default too (or
// none of them matches). It follows those calls down the later rules, dropping the calls each
// later rule with the default's action decides, until a rule with another action matches one
// of them or none are left.
func (s *sysInfo) shieldsNothing(i int) bool {
	calls := s.firstOf(i)
	for j := i + 1; j < len(s.rules) && calls != bdd.False; j++ {
		if s.rules[j].Action != s.ap.Default {
			if !s.m.Disjoint(calls, s.conds[j]) {
				return false
			}
			continue
		}
		calls = s.m.Diff(calls, s.conds[j])
	}
	return true
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
	if j := s.sameCondition(i); j < i {
		first := s.rules[j].Pos
		rc.duplicate.note(first.String(), DuplicateRule, pos, s.name, s.ap.Arch.Name, func(g *group) (string, string) {
			return fmt.Sprintf("%s already %s a rule with the same condition at %s (%s): this one (%s) never decides",
				l.names(g), plural(len(g.syscalls), "has", "have"), lineRef(pos, first), l.res.ActionText(s.ap.Arch.Name, s.rules[j].Action), l.res.ActionText(s.ap.Arch.Name, r.Action)), "remove one of the two rules"
		})
		return
	}
	var at []diag.Pos
	for _, j := range cover {
		at = append(at, s.rules[j].Pos)
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
		at := slices.Clone(g.extra)
		where := ""
		if len(g.arches) < len(l.res.Policy.Arches) {
			where = " on " + strings.Join(g.arches, ", ")
		}
		slices.SortFunc(at, func(a, b diag.Pos) int { return cmp.Or(strings.Compare(a.File, b.File), a.Line-b.Line) })
		return fmt.Sprintf("the rule decides nothing%s: the earlier %s at %s %s every syscall it names", where,
			plural(len(at), "rule", "rules"), lineRefs(pos, at), plural(len(at), "decides", "decide")), "remove it, or move it above the rules that cover it"
	})
	for _, j := range cover {
		g.extra = appendNew(g.extra, s.rules[j].Pos)
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

// cover returns a minimal set of earlier rules whose conditions together cover rule i's,
// which the rules before it cover. It is the set that dropping the earlier rules one by one,
// from the last, leaves: rule j is dropped when rule i is covered without it, by the rules
// before j and those kept after it.
//
// The rule kept last is then the last rule that decides some of rule i's calls: the union of
// the rules before it (prior) does not cover those calls. The rule kept before it is the last
// that decides some of the calls the rules kept leave, and so on. So each rule kept is found
// among the rules that decide something, by where their prior stops covering the calls left.
func (s *sysInfo) cover(i int) []int {
	deciders := s.decidersBefore(i)
	left := s.conds[i] // rule i's calls that the rules kept leave
	var set []int
	for left != bdd.False {
		k := s.lastUncovered(left, deciders)
		set = append(set, deciders[k])
		left = s.m.Diff(left, s.conds[deciders[k]])
		deciders = deciders[:k]
	}
	slices.Reverse(set)
	return set
}

// lastUncovered returns the last position k in deciders whose prior does not cover calls,
// which the union of all of deciders covers. prior grows with k, so the search gallops up
// from the first rule (the rules that cover are most often early ones, whose unions are
// small), then halves the interval. First, though, it looks for the first of the rules that
// covers calls alone, with a few cheap checks of small diagrams: when its prior does not
// cover calls, that is the answer; when it does, it bounds the search.
func (s *sysInfo) lastUncovered(calls bdd.Node, deciders []int) int {
	lo, hi := 0, len(deciders) // prior[deciders[lo]] does not cover calls; the rules before hi do
	if k, ok := s.firstCovering(calls, deciders); ok {
		if !s.m.Implies(calls, s.prior[deciders[k]]) {
			return k
		}
		hi = k
	}
	for step := 1; lo+step < hi; step *= 2 {
		if s.m.Implies(calls, s.prior[deciders[lo+step]]) {
			hi = lo + step
			break
		}
		lo += step
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if s.m.Implies(calls, s.prior[deciders[mid]]) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return lo
}

// scanSteps bounds the work of firstCovering, a shortcut: past it, the search goes on without.
const scanSteps = 8192

// firstCovering returns the position of the first rule in deciders whose condition alone
// covers calls, if a few checks find it.
func (s *sysInfo) firstCovering(calls bdd.Node, deciders []int) (int, bool) {
	start := s.m.Steps()
	for k, j := range deciders {
		if s.m.Implies(calls, s.conds[j]) {
			return k, true
		}
		if s.m.Steps()-start > scanSteps {
			break
		}
	}
	return 0, false
}

// decidersBefore returns the rules before i that decide something, in order.
func (s *sysInfo) decidersBefore(i int) []int {
	var out []int
	for j := range i {
		if s.decides[j] {
			out = append(out, j)
		}
	}
	return out
}

// sameCondition returns the first rule with rule i's condition, written the same.
func (s *sysInfo) sameCondition(i int) int {
	if s.texts == nil {
		s.texts = map[string]int{}
		for j := len(s.rules) - 1; j >= 0; j-- {
			s.texts[condText(s.rules[j].Cond)] = j
		}
	}
	return s.texts[condText(s.rules[i].Cond)]
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
