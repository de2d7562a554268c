package optimizer

import (
	"container/heap"
	"slices"

	"github.com/scc-dev/scc/ir"
)

// This file turns runs of rules on one argument into a decision over the argument's value
// (passArgSearch). Read backwards, from the last rule to the first, a syscall's rules build
// a piecewise function from the value of one masked argument (an argKey) to the node that
// decides the rest; each rule on that argument rewrites the function on the values its
// condition holds for. When a rule looks at another argument, or at several in a way that
// does not factor, the function is laid out as a search over the value (argSearch), and the
// rule continues from there.

// argKey is a masked argument whose value rules compare: (args[arg] & mask), the low 32 bits
// only when width is 32. A 64-bit argument whose mask keeps no high bit is keyed as a 32-bit
// one: both compare the same value.
type argKey struct {
	arg, width int
	mask       uint64
}

// keyOf returns the key c compares.
func keyOf(c ir.Cmp) argKey {
	k := argKey{arg: c.Arg, width: c.Width, mask: c.Mask}
	if k.width == 32 || k.mask>>32 == 0 {
		k.width, k.mask = 32, k.mask&uint64(fullWord)
	}
	return k
}

// top is the largest value of the key's domain.
func (k argKey) top() uint64 {
	if k.width == 32 {
		return uint64(fullWord)
	}
	return ^uint64(0)
}

// interval is the values [lo, hi] (inclusive) of a key.
type interval struct{ lo, hi uint64 }

// ivSet is a set of values as sorted, disjoint, non-adjacent intervals.
type ivSet []interval

// cmpSet is the set of values x of the key's domain for which x op v holds.
func cmpSet(op ir.CmpOp, v, top uint64) ivSet {
	switch op {
	case ir.EQ:
		if v <= top {
			return ivSet{{v, v}}
		}
		return nil
	case ir.NE:
		return cmpSet(ir.EQ, v, top).complement(top)
	case ir.LT:
		if v == 0 {
			return nil
		}
		return ivSet{{0, min(v-1, top)}}
	case ir.LE:
		return ivSet{{0, min(v, top)}}
	case ir.GT:
		if v >= top {
			return nil
		}
		return ivSet{{v + 1, top}}
	}
	// GE
	if v > top {
		return nil
	}
	return ivSet{{v, top}}
}

// complement returns the values of [0, top] not in s.
func (s ivSet) complement(top uint64) ivSet {
	var out ivSet
	next := uint64(0)
	for _, iv := range s {
		if iv.lo > next {
			out = append(out, interval{next, iv.lo - 1})
		}
		if iv.hi == top {
			return out
		}
		next = iv.hi + 1
	}
	return append(out, interval{next, top})
}

// union returns the values in s or t.
func (s ivSet) union(t ivSet) ivSet {
	all := append(slices.Clone(s), t...)
	slices.SortFunc(all, func(a, b interval) int {
		switch {
		case a.lo < b.lo:
			return -1
		case a.lo > b.lo:
			return 1
		}
		return 0
	})
	var out ivSet
	for _, iv := range all {
		if n := len(out); n > 0 && (out[n-1].hi == ^uint64(0) || iv.lo <= out[n-1].hi+1) {
			out[n-1].hi = max(out[n-1].hi, iv.hi)
			continue
		}
		out = append(out, iv)
	}
	return out
}

// intersect returns the values in both s and t.
func (s ivSet) intersect(t ivSet) ivSet {
	var out ivSet
	for i, j := 0, 0; i < len(s) && j < len(t); {
		lo, hi := max(s[i].lo, t[j].lo), min(s[i].hi, t[j].hi)
		if lo <= hi {
			out = append(out, interval{lo, hi})
		}
		if s[i].hi < t[j].hi {
			i++
		} else {
			j++
		}
	}
	return out
}

// pureSet returns the values of key k for which c holds, when c looks at nothing but k
// (comparisons of k and constants, under And, Or and Not).
func pureSet(c ir.Cond, k argKey) (ivSet, bool, error) {
	top := k.top()
	switch c := c.(type) {
	case ir.Const:
		if c {
			return ivSet{{0, top}}, true, nil
		}
		return nil, true, nil
	case ir.Cmp:
		if err := checkCmp(c); err != nil {
			return nil, false, err
		}
		if keyOf(c) != k {
			return nil, false, nil
		}
		return cmpSet(c.Op, c.Value, top), true, nil
	case ir.Not:
		if c.X == nil {
			return nil, false, nil
		}
		s, ok, err := pureSet(c.X, k)
		if !ok || err != nil {
			return nil, ok, err
		}
		return s.complement(top), true, nil
	case ir.And, ir.Or:
		terms, isOr := junctionTerms(c)
		var acc ivSet
		if !isOr {
			acc = ivSet{{0, top}}
		}
		for _, t := range terms {
			s, ok, err := pureSet(t, k)
			if !ok || err != nil {
				return nil, ok, err
			}
			if isOr {
				acc = acc.union(s)
			} else {
				acc = acc.intersect(s)
			}
		}
		return acc, true, nil
	}
	return nil, false, nil
}

// junctionTerms returns the terms of an And or an Or, and which it is.
func junctionTerms(c ir.Cond) ([]ir.Cond, bool) {
	if o, ok := c.(ir.Or); ok {
		return o, true
	}
	return c.(ir.And), false
}

// keysOf appends the keys that the comparisons in c compare to out, depth first, leaving
// out keys whose mask keeps no bit (their value is always 0).
func keysOf(c ir.Cond, out []argKey) []argKey {
	switch c := c.(type) {
	case ir.Cmp:
		if k := keyOf(c); checkCmp(c) == nil && k.mask != 0 && !slices.Contains(out, k) {
			out = append(out, k)
		}
	case ir.Not:
		if c.X != nil {
			out = keysOf(c.X, out)
		}
	case ir.And, ir.Or:
		terms, _ := junctionTerms(c)
		for _, t := range terms {
			out = keysOf(t, out)
		}
	}
	return out
}

// chooseKey picks the key to factor rule i of rs on: of the keys its condition compares,
// one the rule before it factors on too, so that the run goes on; else the first.
func chooseKey(rs []ir.Rule, i int) (argKey, bool) {
	keys := keysOf(rs[i].Cond, nil)
	if len(keys) == 0 {
		return argKey{}, false
	}
	if i > 0 && rs[i-1].Cond != nil && len(keys) > 1 {
		for _, k := range keys {
			if shape, _, _, err := factor(rs[i-1].Cond, k); err == nil && shape != shapeNone {
				return k, true
			}
		}
	}
	return keys[0], true
}

// ruleShape is how a rule's condition factors on a key: pure (the condition is `key in
// set`), and (`key in set && rest`) or or (`key in set || rest`).
type ruleShape uint8

const (
	shapeNone ruleShape = iota
	shapePure
	shapeAnd
	shapeOr
)

// factor splits condition c on key k into a set of k's values and the rest of the
// condition (see ruleShape).
func factor(c ir.Cond, k argKey) (ruleShape, ivSet, ir.Cond, error) {
	s, ok, err := pureSet(c, k)
	if err != nil {
		return shapeNone, nil, nil, err
	}
	if ok {
		return shapePure, s, nil, nil
	}
	switch c.(type) {
	case ir.And, ir.Or:
	default:
		return shapeNone, nil, nil, nil
	}
	_, isOr := junctionTerms(c)
	terms := flatten(c, isOr, nil)
	var set ivSet
	var rest []ir.Cond
	found := false
	for _, t := range terms {
		s, ok, err := pureSet(t, k)
		if err != nil {
			return shapeNone, nil, nil, err
		}
		switch {
		case !ok:
			rest = append(rest, t)
		case !found:
			set, found = s, true
		case isOr:
			set = set.union(s)
		default:
			set = set.intersect(s)
		}
	}
	if !found {
		return shapeNone, nil, nil, nil
	}
	if isOr {
		return shapeOr, set, ir.Or(rest), nil
	}
	return shapeAnd, set, ir.And(rest), nil
}

// piece is the values of a key from lo up to the next piece's lo (or the domain's top), and
// the node that decides them.
type piece struct {
	lo   uint64
	node *Node
}

// argFn is a piecewise function from the values of key to nodes: pieces ascending from 0,
// neighbours differing. With keyed false it is the constant pieces[0].node.
type argFn struct {
	key    argKey
	keyed  bool
	pieces []piece
}

// constFn is the function that is n everywhere.
func constFn(n *Node) argFn { return argFn{pieces: []piece{{0, n}}} }

// end returns the last value of piece i.
func (f *argFn) end(i int) uint64 {
	if i+1 < len(f.pieces) {
		return f.pieces[i+1].lo - 1
	}
	return f.key.top()
}

// rewrite returns f with the values in s mapped through g (f's node there in, the new node
// out); the other values keep theirs.
func (f argFn) rewrite(s ivSet, g func(*Node) *Node) argFn {
	out := make([]piece, 0, len(f.pieces)+2*len(s))
	memo := map[*Node]*Node{}
	mapped := func(n *Node) *Node {
		m, ok := memo[n]
		if !ok {
			m = g(n)
			memo[n] = m
		}
		return m
	}
	add := func(lo uint64, n *Node) {
		if k := len(out); k > 0 && out[k-1].node == n {
			return
		}
		out = append(out, piece{lo, n})
	}
	j := 0 // the interval of s at or after the current value
	for i := range f.pieces {
		lo, hi, n := f.pieces[i].lo, f.end(i), f.pieces[i].node
		for lo <= hi {
			for j < len(s) && s[j].hi < lo {
				j++
			}
			if j == len(s) || s[j].lo > hi {
				add(lo, n)
				break
			}
			if s[j].lo > lo {
				add(lo, n)
				lo = s[j].lo
			}
			e := min(hi, s[j].hi)
			add(lo, mapped(n))
			if e == hi {
				break
			}
			lo = e + 1
		}
	}
	f.pieces = out
	return f
}

// targets counts the distinct nodes of f, up to limit.
func (f *argFn) targets(limit int) int {
	var seen []*Node
	for _, p := range f.pieces {
		if !slices.Contains(seen, p.node) {
			if seen = append(seen, p.node); len(seen) >= limit {
				break
			}
		}
	}
	return len(seen)
}

// argRulesSplit compiles one syscall's rules, in first-match order, with passArgSearch:
// see the top of this file.
// argRulesSplit compiles rs below depth high-word splits (see splitHigh); at
// maxHighSplits, with none.
func (b *builder) argRulesSplit(rs []ir.Rule, def *Node, depth int) (*Node, error) {
	if n, ok, err := b.splitHigh(rs, def, depth); ok || err != nil {
		return n, err
	}
	rs = clusterRules(rs)
	f := constFn(def)
	for i := len(rs) - 1; i >= 0; i-- {
		r := rs[i]
		if err := checkAction(r.Action); err != nil {
			return nil, ruleError(r, err)
		}
		act := b.leaf(r.Action)
		if r.Cond == nil {
			f = constFn(act)
			continue
		}
		next, err := b.argRule(f, rs, i, act)
		if err != nil {
			return nil, ruleError(r, err)
		}
		f, i = next.fn, next.first
	}
	return b.materialize(f), nil
}

// clusterRules returns rs without the rules that never match, a rule whose condition is an
// Or split into one rule per term (the first term that holds decides, as the Or does), and
// each run of neighbouring conditional rules of one action ordered by the argument they
// compare, stably: the first of them that matches decides the same action in any order, and
// rules on one argument next to each other make one search. rs itself is left alone.
func clusterRules(rs []ir.Rule) []ir.Rule {
	out := make([]ir.Rule, 0, len(rs))
	for _, r := range rs {
		if r.Cond != nil {
			r.Cond = negationNormal(r.Cond, false)
		}
		if c, ok := r.Cond.(ir.Const); ok && !bool(c) {
			continue
		}
		if o, ok := r.Cond.(ir.Or); ok {
			for _, t := range flatten(o, true, nil) {
				if c, ok := t.(ir.Const); ok && !bool(c) {
					continue
				}
				out = append(out, ir.Rule{Cond: t, Action: r.Action, Pos: r.Pos})
			}
			continue
		}
		out = append(out, r)
	}
	for i := 0; i < len(out); {
		j := i + 1
		for j < len(out) && out[j].Cond != nil && out[i].Cond != nil && out[j].Action == out[i].Action {
			j++
		}
		if j-i > 1 {
			clusterRun(out[i:j])
		}
		i = j
	}
	return out
}

// negationNormal returns c (or !c when neg) with every Not pushed down to the comparisons
// and turned into the opposite comparison (De Morgan), so that an Or under a Not shows as
// one. Malformed conditions are returned as they are, for the compiler to report.
func negationNormal(c ir.Cond, neg bool) ir.Cond {
	switch c := c.(type) {
	case ir.Not:
		if c.X == nil {
			return c
		}
		return negationNormal(c.X, !neg)
	case ir.Cmp:
		if neg && c.Op <= ir.GE {
			c.Op = negate[c.Op]
		} else if neg {
			return ir.Not{X: c}
		}
		return c
	case ir.Const:
		return ir.Const(bool(c) != neg)
	case ir.And:
		terms := make([]ir.Cond, len(c))
		for i, t := range c {
			terms[i] = negationNormal(t, neg)
		}
		if neg {
			return ir.Or(terms)
		}
		return ir.And(terms)
	case ir.Or:
		terms := make([]ir.Cond, len(c))
		for i, t := range c {
			terms[i] = negationNormal(t, neg)
		}
		if neg {
			return ir.And(terms)
		}
		return ir.Or(terms)
	}
	if neg {
		return ir.Not{X: c}
	}
	return c
}

// clusterRun orders a run of rules of one action by argument, stably: each rule goes with
// the argument it compares that the run compares most often, the arguments in order of
// first appearance.
func clusterRun(run []ir.Rule) {
	keys := make([][]argKey, len(run))
	count := map[argKey]int{}
	var order []argKey
	for i, r := range run {
		keys[i] = keysOf(r.Cond, nil)
		for _, k := range keys[i] {
			if count[k] == 0 {
				order = append(order, k)
			}
			count[k]++
		}
	}
	ranks := make([]int, len(run))
	for i, ks := range keys {
		ranks[i] = -1
		best := 0
		for _, k := range ks {
			if count[k] > best {
				best, ranks[i] = count[k], slices.Index(order, k)
			}
		}
	}
	idx := make([]int, len(run))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return ranks[a] - ranks[b] })
	sorted := make([]ir.Rule, len(run))
	for i, k := range idx {
		sorted[i] = run[k]
	}
	copy(run, sorted)
}

// ruleStep is what argRule did: the function after the rules from first on.
type ruleStep struct {
	fn    argFn
	first int
}

// argRule applies rule i (and, for a run of pure rules on one key, the ones before it) to f.
func (b *builder) argRule(f argFn, rs []ir.Rule, i int, act *Node) (ruleStep, error) {
	c := rs[i].Cond
	if f.keyed {
		shape, set, rest, err := factor(c, f.key)
		if err != nil {
			return ruleStep{}, err
		}
		if shape != shapeNone && (shape == shapePure || f.targets(b.restCopies+1) <= b.restCopies) {
			b.copiedRest = b.copiedRest || shape != shapePure && f.targets(2) > 1
			return b.applyRule(f, rs, i, act, shape, set, rest)
		}
		f = constFn(b.materialize(f))
	}
	k, ok := chooseKey(rs, i)
	if !ok {
		n, err := b.cond(c, act, f.pieces[0].node)
		return ruleStep{fn: constFn(n), first: i}, err
	}
	shape, set, rest, err := factor(c, k)
	if err != nil {
		return ruleStep{}, err
	}
	if shape == shapeNone {
		n, err := b.cond(c, act, f.pieces[0].node)
		return ruleStep{fn: constFn(n), first: i}, err
	}
	f.key, f.keyed = k, true
	return b.applyRule(f, rs, i, act, shape, set, rest)
}

// applyRule applies rule i, factored on f's key, to f; a pure rule takes the pure rules
// before it on the same key along (see paint).
func (b *builder) applyRule(f argFn, rs []ir.Rule, i int, act *Node, shape ruleShape, set ivSet, rest ir.Cond) (ruleStep, error) {
	switch shape {
	case shapePure:
		sets := []ivSet{set}
		acts := []*Node{act}
		first := i
		for first > 0 {
			r := rs[first-1]
			if r.Cond == nil || checkAction(r.Action) != nil {
				break
			}
			s, ok, err := pureSet(r.Cond, f.key)
			if err != nil || !ok {
				break
			}
			sets, acts, first = append(sets, s), append(acts, b.leaf(r.Action)), first-1
		}
		slices.Reverse(sets)
		slices.Reverse(acts)
		return ruleStep{fn: paint(f, sets, acts), first: first}, nil
	case shapeAnd:
		var err error
		fn := f.rewrite(set, func(n *Node) *Node {
			m, e := b.cond(rest, act, n)
			if e != nil {
				err = e
			}
			return m
		})
		return ruleStep{fn: fn, first: i}, err
	}
	// shapeOr: the set decides act, the other values try the rest.
	var err error
	out := f.rewrite(set.complement(f.key.top()), func(n *Node) *Node {
		m, e := b.cond(rest, act, n)
		if e != nil {
			err = e
		}
		return m
	})
	out = out.rewrite(set, func(*Node) *Node { return act })
	return ruleStep{fn: out, first: i}, err
}

// paint returns f under the pure rules whose sets and actions are given, in first-match
// order: a value in some set gets the action of the first set that holds it, the others keep
// f's node. A sweep over the sets' ends keeps it O(n log n) in the number of intervals.
func paint(f argFn, sets []ivSet, acts []*Node) argFn {
	type event struct {
		at   uint64
		rule int
	}
	var starts []event
	for r, s := range sets {
		for _, iv := range s {
			starts = append(starts, event{iv.lo, r})
		}
	}
	slices.SortFunc(starts, func(a, b event) int {
		switch {
		case a.at < b.at:
			return -1
		case a.at > b.at:
			return 1
		}
		return a.rule - b.rule
	})
	// The painted pieces: where no rule holds, node is nil.
	var painted []piece
	active := &ruleHeap{}
	ends := make([]int, len(sets)) // ends[r]: index of the interval of rule r now open
	for i := range ends {
		ends[i] = -1
	}
	top := f.key.top()
	emit := func(lo uint64, n *Node) {
		if k := len(painted); k > 0 && painted[k-1].node == n {
			return
		}
		painted = append(painted, piece{lo, n})
	}
	pos, si := uint64(0), 0
	for {
		// Drop the rules whose interval ended before pos, and open those starting at pos.
		for si < len(starts) && starts[si].at <= pos {
			r := starts[si].rule
			ends[r]++
			heap.Push(active, ruleAt{rule: r, end: sets[r][ends[r]].hi})
			si++
		}
		for active.Len() > 0 && (*active)[0].end < pos {
			heap.Pop(active)
		}
		var n *Node
		next := top // the last value with the same first rule
		if active.Len() > 0 {
			n = acts[(*active)[0].rule]
			next = (*active)[0].end
			// A rule of higher priority starting sooner cuts the piece.
		}
		if si < len(starts) && starts[si].at-1 < next {
			next = starts[si].at - 1
		}
		// A lower-priority rule ending doesn't change the first rule, but the first one's
		// end does, and is next already.
		emit(pos, n)
		if next == top {
			break
		}
		pos = next + 1
	}
	// Merge the painting with f: nil pieces keep f's nodes.
	out := argFn{key: f.key, keyed: true}
	add := func(lo uint64, n *Node) {
		if k := len(out.pieces); k > 0 && out.pieces[k-1].node == n {
			return
		}
		out.pieces = append(out.pieces, piece{lo, n})
	}
	j := 0
	for i, p := range painted {
		if p.node != nil {
			add(p.lo, p.node)
			continue
		}
		hi := top
		if i+1 < len(painted) {
			hi = painted[i+1].lo - 1
		}
		for j+1 < len(f.pieces) && f.pieces[j+1].lo <= p.lo {
			j++
		}
		add(p.lo, f.pieces[j].node)
		for k := j + 1; k < len(f.pieces) && f.pieces[k].lo <= hi; k++ {
			add(f.pieces[k].lo, f.pieces[k].node)
		}
	}
	return out
}

// ruleAt is a rule whose interval is open, until end.
type ruleAt struct {
	rule int
	end  uint64
}

// ruleHeap keeps the open intervals, the first rule on top.
type ruleHeap []ruleAt

func (h ruleHeap) Len() int           { return len(h) }
func (h ruleHeap) Less(i, j int) bool { return h[i].rule < h[j].rule }
func (h ruleHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *ruleHeap) Push(x any)        { *h = append(*h, x.(ruleAt)) }
func (h *ruleHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
