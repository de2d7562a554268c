package optimizer

import (
	"errors"
	"fmt"
	"maps"
	"math"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
)

// Options tune Optimize. The zero value builds search trees weighted by the arches' syscall
// tables (see the package doc).
type Options struct {
	// Weights, when it holds a positive weight, gives syscall frequencies (number → count or
	// share) of one arch, WeightsArch: that arch's audit value is tested first, and its
	// number search tree minimizes the expected number of comparisons instead of being
	// balanced. Numbers the arch does not own are ignored. Verdicts are the same either way.
	Weights map[uint32]float64
	// WeightsArch names the arch (ir.Arch.Name) whose numbers Weights uses; empty means the
	// policy's first arch.
	WeightsArch string
	// Balanced, without Weights, builds trees balanced over the ranges of equal decision.
	// The default weighs every syscall of the arches' tables alike, which minimizes the mean
	// steps over real syscalls: the ranges of numbers no syscall has stay at the edges.
	Balanced bool
}

// Optimize compiles a policy into a decision DAG that decides exactly as p.Decide:
//
//   - the arch word is tested against each audit value of the policy (a chain of JEQ, the
//     first-declared or weighted arch first); any other value gets p.BadArch;
//   - under each audit value, the syscall number is dispatched by a search tree of JGE over
//     the maximal ranges of equal decision; the ranges span the whole 32-bit line, so an ABI
//     sharing the audit value (x32's numbers carry 0x40000000) and the numbers of no declared
//     ABI (bad arch) are just more ranges;
//   - a range's decision is a leaf, or for a syscall with argument conditions, a DAG of tests
//     on 32-bit argument words in first-match order.
//
// Argument words are only loaded below the number dispatch, so every syscall whose decision
// does not depend on its arguments is reached by arch and number loads and K-form jumps only,
// as the kernel's action cache needs. Nodes are hash-consed: equal sub-DAGs are shared. The
// package doc explains the search trees' objective and their tuning.
func Optimize(p *ir.Policy, opts Options) (*Program, error) {
	return optimize(p, opts, 0)
}

// optimize is Optimize with the passes off switched off (see pass).
func optimize(p *ir.Policy, opts Options, off pass) (*Program, error) {
	if p == nil {
		return nil, errors.New("optimizer: nil policy")
	}
	if err := checkAction(p.BadArch); err != nil {
		return nil, fmt.Errorf("bad-arch action: %w", err)
	}
	prog := &Program{Flags: p.Flags}
	for i, ap := range p.Arches {
		if ap == nil {
			return nil, fmt.Errorf("optimizer: arch %d is nil", i)
		}
		if i > 0 && ap.Arch.BigEndian != prog.BigEndian {
			return nil, fmt.Errorf("optimizer: arches %s and %s differ in byte order; build them as separate filters",
				p.Arches[0].Arch.Name, ap.Arch.Name)
		}
		prog.BigEndian = ap.Arch.BigEndian
		prog.Arches = append(prog.Arches, ap.Arch)
	}
	prog.Names = auditNames(p.Arches)
	hot, err := weightedArch(p, opts)
	if err != nil {
		return nil, err
	}
	b := takeBuilder(prog.BigEndian, expectedNodes(p), off)
	defer b.release()
	b.narrow = narrowByName(p)
	audits, groups, err := groupByAudit(b, p, hot)
	if err != nil {
		return nil, err
	}
	bad := b.leaf(p.BadArch)
	root := bad
	for i := len(audits) - 1; i >= 0; i-- {
		tree, err := b.numberTree(groups[i], bad, hot, opts)
		if err != nil {
			return nil, err
		}
		root = b.mk(Node{Load: program.SeccompDataArchOffset, Op: JEQ, K: audits[i], True: tree, False: root})
	}
	prog.Root = root
	return prog, nil
}

// expectedNodes guesses how many inner nodes a build of p makes, to size the builder (see
// baseNodes).
func expectedNodes(p *ir.Policy) int {
	n := baseNodes
	for _, ap := range p.Arches {
		n += len(ap.Rules) / numbersPerNode
	}
	return n
}

// auditNames gathers the name tables of arches by audit value, in policy order, sharing
// them.
func auditNames(arches []*ir.ArchPolicy) map[uint32]NameTables {
	out := make(map[uint32]NameTables, len(arches))
	for _, ap := range arches {
		if ap.Names != nil {
			out[ap.Arch.Audit] = append(out[ap.Arch.Audit], ap.Names)
		}
	}
	return out
}

// weightedArch returns the arch Options.Weights applies to, or nil when there are no
// positive weights.
func weightedArch(p *ir.Policy, opts Options) (*ir.ArchPolicy, error) {
	positive := false
	for nr, w := range opts.Weights {
		if w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("optimizer: weight %v of syscall %d is not a finite non-negative number", w, nr)
		}
		positive = positive || w > 0
	}
	if !positive || len(p.Arches) == 0 {
		return nil, nil
	}
	if opts.WeightsArch == "" {
		return p.Arches[0], nil
	}
	for _, ap := range p.Arches {
		if ap.Arch.Name == opts.WeightsArch {
			return ap, nil
		}
	}
	return nil, fmt.Errorf("optimizer: weights given for arch %q, which the policy does not name", opts.WeightsArch)
}

// groupByAudit gathers the arches by audit value, in order of first appearance except that
// the weighted arch's value comes first; within a value the policy's order is kept, since
// the first arch that owns a number decides it.
func groupByAudit(b *builder, p *ir.Policy, hot *ir.ArchPolicy) ([]uint32, [][]*archRules, error) {
	var audits []uint32
	var groups [][]*archRules
	index := make(map[uint32]int)
	if hot != nil {
		index[hot.Arch.Audit] = 0
		audits, groups = append(audits, hot.Arch.Audit), append(groups, nil)
	}
	for _, ap := range p.Arches {
		ar, err := b.prepare(ap)
		if err != nil {
			return nil, nil, err
		}
		i, ok := index[ap.Arch.Audit]
		if !ok {
			i = len(audits)
			index[ap.Arch.Audit] = i
			audits, groups = append(audits, ap.Arch.Audit), append(groups, nil)
		}
		groups[i] = append(groups[i], ar)
	}
	return audits, groups, nil
}

// numberTree builds the number dispatch of one audit value: weighted by the profile when the
// group holds the profiled arch and its weights fall on some span; else balanced when asked;
// else weighted by the arches' syscall tables.
func (b *builder) numberTree(group []*archRules, bad *Node, hot *ir.ArchPolicy, opts Options) (*Node, error) {
	spans, claims, err := b.groupSpans(group, bad)
	if err != nil {
		return nil, err
	}
	profile := make([]float64, len(spans))
	hotIndex := -1
	for i, ar := range group {
		if ar.ap == hot {
			addWeights(profile, spans, claims, ar, maps.Keys(opts.Weights), opts.Weights)
			hotIndex = i
		}
	}
	profiled := sum(profile) > 0
	if !profiled && opts.Balanced {
		return b.balanced(spans), nil
	}
	tables := make([][]float64, len(group))
	for i, ar := range group {
		tables[i] = make([]float64, len(spans))
		addTableWeights(tables[i], spans, claims, ar)
	}
	if profiled {
		return b.profiled(spans, profile, tables, hotIndex), nil
	}
	table := make([]float64, len(spans))
	for _, t := range tables {
		for i, w := range t {
			table[i] += w
		}
	}
	setWeights(spans, table)
	return b.weighted(spans), nil
}

// sum returns the sum of xs.
func sum(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s
}

// setWeights gives each span its share of weights (normalized to 1 - coldShare) plus an even
// share of coldShare; with no weights at all, every span weighs the same.
func setWeights(spans []span, weights []float64) {
	total := sum(weights)
	cold := coldShare / float64(len(spans))
	for i := range spans {
		spans[i].weight = cold
		if total > 0 {
			spans[i].weight += (1 - coldShare) * weights[i] / total
		}
	}
}

// narrowRules is a syscall's rules on an arch that compares no 64-bit argument, and the
// arch's default.
type narrowRules struct {
	rules []ir.Rule
	def   ir.Action
}

// narrowByName returns the rules of the syscalls on the arches of p that compare no 64-bit
// argument (32-bit ABIs), by name, or nil when p has no such arch or no arch that does.
func narrowByName(p *ir.Policy) map[string]narrowRules {
	var narrow []*ir.ArchPolicy
	wide := false
	for _, ap := range p.Arches {
		if comparesWide(ap) {
			wide = true
		} else {
			narrow = append(narrow, ap)
		}
	}
	if len(narrow) == 0 || !wide {
		return nil
	}
	out := map[string]narrowRules{}
	for _, ap := range narrow {
		for nr, rs := range ap.Rules {
			if name, ok := ap.Names[nr]; ok {
				if _, dup := out[name]; !dup {
					out[name] = narrowRules{rules: rs, def: ap.Default}
				}
			}
		}
	}
	return out
}

// sharesNarrow tells whether the rules rs of syscall nr on ap, with every argument that
// splitHigh would split taken as below 2^32, are the rules a 32-bit arch of the policy has
// for the same syscall, with the same default: the zero sides of the splits are then that
// arch's DAG, shared.
func (b *builder) sharesNarrow(ap *ir.ArchPolicy, nr uint32, rs []ir.Rule) bool {
	if b.narrow == nil {
		return false
	}
	name, ok := ap.Names[nr]
	if !ok {
		return false
	}
	n, ok := b.narrow[name]
	if !ok || n.def != ap.Default || len(n.rules) != len(rs) {
		return false
	}
	for range maxHighSplits {
		arg := highSplitArg(rs)
		if arg < 0 {
			break
		}
		rs = rewriteHigh(rs, arg, true)
	}
	for i, r := range rs {
		nr := n.rules[i]
		if r.Action != nr.Action || (r.Cond == nil) != (nr.Cond == nil) {
			return false
		}
		if r.Cond != nil && !sameCond(r.Cond, nr.Cond) {
			return false
		}
	}
	return true
}

// sameCond tells whether a and b are the same condition, comparisons compared by what they
// compare (keyOf), so that a 64-bit argument masked to its low word matches a 32-bit one.
func sameCond(a, b ir.Cond) bool {
	switch a := a.(type) {
	case ir.Cmp:
		c, ok := b.(ir.Cmp)
		return ok && checkCmp(a) == nil && checkCmp(c) == nil && keyOf(a) == keyOf(c) && a.Op == c.Op && a.Value == c.Value
	case ir.Const:
		c, ok := b.(ir.Const)
		return ok && a == c
	case ir.Not:
		c, ok := b.(ir.Not)
		return ok && a.X != nil && c.X != nil && sameCond(a.X, c.X)
	case ir.And:
		c, ok := b.(ir.And)
		return ok && sameTerms(a, c)
	case ir.Or:
		c, ok := b.(ir.Or)
		return ok && sameTerms(a, c)
	}
	return false
}

func sameTerms(a, b []ir.Cond) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameCond(a[i], b[i]) {
			return false
		}
	}
	return true
}

// comparesWide tells whether a rule of ap compares both words of a 64-bit argument.
func comparesWide(ap *ir.ArchPolicy) bool {
	wide := false
	for _, rs := range ap.Rules {
		for _, r := range rs {
			walkCmps(r.Cond, func(c ir.Cmp) { wide = wide || c.Width == 64 && c.Mask>>32 != 0 })
			if wide {
				return true
			}
		}
	}
	return false
}
