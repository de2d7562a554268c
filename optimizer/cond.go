package optimizer

import (
	"fmt"
	"math/bits"
	"slices"
	"strconv"

	"github.com/scc-dev/scc/program"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/ir"
)

// rules compiles one syscall's rules, in first-match order, into a decision DAG that ends in
// def when no rule matches. narrow tells that a 32-bit arch of the policy has the same
// rules for the syscall once its 64-bit arguments are taken as below 2^32 (see
// sharesNarrow, splitHigh).
func (b *builder) rules(rs []ir.Rule, def *Node, narrow bool) (*Node, error) {
	if b.on(passArgSearch) {
		return b.cheapestRules(rs, def, narrow)
	}
	return b.linearRules(rs, def)
}

// cheapestRules compiles rs with the argument search (see argRulesSplit) and, for a few
// rules, also with at most one copy of each rule's rest and one test after the other in
// first-match order, and returns the one of fewest instructions (see dagCost); the rules
// tested one after the other only when that takes no more tests on any path.
func (b *builder) cheapestRules(rs []ir.Rule, def *Node, narrow bool) (*Node, error) {
	key := ruleListKey{def: def, narrow: narrow, rules: ruleListText(rs)}
	if n, ok := b.compiled[key]; ok {
		return n, nil
	}
	depth := 0
	if !narrow {
		depth = maxHighSplits
	}
	b.restCopies, b.copiedRest = maxRestCopies, false
	best, err := b.argRulesSplit(rs, def, depth)
	if err != nil {
		return nil, err
	}
	if len(rs) >= 2 && len(rs) <= maxAltRules {
		bestCost, bestHeight := dagCost(best)
		if b.copiedRest {
			b.restCopies = 1
			if n, err := b.argRulesSplit(rs, def, depth); err == nil {
				if c, h := dagCost(n); c < bestCost || c == bestCost && h < bestHeight {
					best, bestCost, bestHeight = n, c, h
				}
			}
		}
		if n, err := b.linearRules(rs, def); err == nil {
			if c, h := dagCost(n); c < bestCost && h <= bestHeight {
				best = n
			}
		}
	}
	if b.compiled == nil {
		b.compiled = make(map[ruleListKey]*Node)
	}
	b.compiled[key] = best
	return best, nil
}

// ruleListKey identifies what cheapestRules compiles: rules, by their text, and what they
// fall through to.
type ruleListKey struct {
	def    *Node
	narrow bool
	rules  string
}

// ruleListText writes rules as a key: each action and condition, one per line, every
// field of every comparison and the kind of every junction written out. It is made for
// every syscall of every arch, so it appends numbers rather than format them.
func ruleListText(rs []ir.Rule) string {
	var buf [64]byte
	key := buf[:0]
	for _, r := range rs {
		key = strconv.AppendUint(key, uint64(r.Action.Kind), 10)
		key = append(key, '/')
		key = strconv.AppendUint(key, uint64(r.Action.Data), 10)
		if r.Cond != nil {
			key = append(key, ' ')
			key = appendCondKey(key, r.Cond)
		}
		key = append(key, '\n')
	}
	return string(key)
}

// appendCondKey appends c so that two conditions append the same text only if they are
// equal.
func appendCondKey(key []byte, c ir.Cond) []byte {
	switch c := c.(type) {
	case ir.Cmp:
		key = append(key, 'c')
		key = strconv.AppendInt(key, int64(c.Arg), 10)
		key = append(key, ',')
		key = strconv.AppendInt(key, int64(c.Width), 10)
		key = append(key, ',')
		key = strconv.AppendUint(key, c.Mask, 16)
		key = append(key, ',')
		key = strconv.AppendInt(key, int64(c.Op), 10)
		key = append(key, ',')
		return strconv.AppendUint(key, c.Value, 16)
	case ir.Const:
		return strconv.AppendBool(append(key, 'k'), bool(c))
	case ir.Not:
		key = append(key, "!("...)
		if c.X != nil {
			key = appendCondKey(key, c.X)
		}
		return append(key, ')')
	case ir.And, ir.Or:
		terms, isOr := junctionTerms(c)
		if isOr {
			key = append(key, "|("...)
		} else {
			key = append(key, "&("...)
		}
		for _, t := range terms {
			key = append(appendCondKey(key, t), ',')
		}
		return append(key, ')')
	}
	return fmt.Appendf(key, "?%T%v", c, c)
}

// linearRules compiles rs one rule after the other, in first-match order.
func (b *builder) linearRules(rs []ir.Rule, def *Node) (*Node, error) {
	node := def
	for i := len(rs) - 1; i >= 0; i-- {
		if err := checkAction(rs[i].Action); err != nil {
			return nil, ruleError(rs[i], err)
		}
		act := b.leaf(rs[i].Action)
		if rs[i].Cond == nil {
			node = act
			continue
		}
		var err error
		if node, err = b.cond(rs[i].Cond, act, node); err != nil {
			return nil, ruleError(rs[i], err)
		}
	}
	return node, nil
}

// ruleError places err at rule r when the IR says where r stands.
func ruleError(r ir.Rule, err error) error {
	if r.Pos == (diag.Pos{}) {
		return err
	}
	return fmt.Errorf("%s: %w", r.Pos, err)
}

// cond compiles c with continuations: the result goes to t when c holds and to f otherwise.
// Each term is compiled once against nodes, so the DAG grows linearly with the condition.
func (b *builder) cond(c ir.Cond, t, f *Node) (*Node, error) {
	switch c := c.(type) {
	case ir.Const:
		if c {
			return t, nil
		}
		return f, nil
	case ir.Not:
		if c.X == nil {
			return nil, fmt.Errorf("optimizer: nil condition under !")
		}
		return b.cond(c.X, f, t)
	case ir.Cmp:
		if err := checkCmp(c); err != nil {
			return nil, err
		}
		return b.cmp(c, t, f), nil
	case ir.And:
		return b.junction(c, ir.NE, t, f)
	case ir.Or:
		return b.junction(c, ir.EQ, t, f)
	case nil:
		return nil, fmt.Errorf("optimizer: nil condition")
	}
	return nil, fmt.Errorf("optimizer: unsupported condition type %T", c)
}

// junction compiles an And (setOp NE) or an Or (setOp EQ). Nested junctions of the same kind
// are flattened, and comparisons setOp on the same masked argument become one set test
// (`x in {…}` for Or, `x not in {…}` for And); terms are pure, so their order is free.
func (b *builder) junction(c ir.Cond, setOp ir.CmpOp, t, f *Node) (*Node, error) {
	isOr := setOp == ir.EQ
	items, err := groupTerms(flatten(c, isOr, nil), setOp)
	if err != nil {
		return nil, err
	}
	// An Or goes to t on the first term that holds, an And to f on the first that fails.
	node := f
	if !isOr {
		node = t
	}
	for i := len(items) - 1; i >= 0; i-- {
		it := items[i]
		switch {
		case it.vals != nil && isOr:
			node = b.inSet(it.key, it.vals, t, node)
		case it.vals != nil:
			node = b.inSet(it.key, it.vals, f, node)
		case isOr:
			node, err = b.cond(it.c, t, node)
		default:
			node, err = b.cond(it.c, node, f)
		}
		if err != nil {
			return nil, err
		}
	}
	return node, nil
}

// flatten appends the terms of c (an And when !isOr, an Or when isOr) to out, splicing nested
// junctions of the same kind and turning !(cmp) into the negated comparison.
func flatten(c ir.Cond, isOr bool, out []ir.Cond) []ir.Cond {
	var terms []ir.Cond
	switch c := c.(type) {
	case ir.And:
		if isOr {
			return append(out, c)
		}
		terms = c
	case ir.Or:
		if !isOr {
			return append(out, c)
		}
		terms = c
	case ir.Not:
		if x, ok := c.X.(ir.Cmp); ok && x.Op <= ir.GE {
			x.Op = negate[x.Op]
			return append(out, x)
		}
		return append(out, c)
	default:
		return append(out, c)
	}
	for _, t := range terms {
		out = flatten(t, isOr, out)
	}
	return out
}

// negate maps a comparison to its complement.
var negate = [...]ir.CmpOp{ir.EQ: ir.NE, ir.NE: ir.EQ, ir.LT: ir.GE, ir.GE: ir.LT, ir.LE: ir.GT, ir.GT: ir.LE}

// setKey is a masked argument that several equality tests look at.
type setKey struct {
	arg, width int
	mask       uint64
}

// item is a term of a junction: a condition, or (vals != nil) a set of values of one key.
type item struct {
	c    ir.Cond
	key  setKey
	vals []uint64
}

// groupTerms gathers the comparisons op that share a key into one set item placed where the
// first of them stood; keys with a single comparison stay as they are. Junctions are short,
// so keys are matched by a linear scan.
func groupTerms(terms []ir.Cond, op ir.CmpOp) ([]item, error) {
	items := make([]item, 0, len(terms))
	keys := make([]setKey, 0, len(terms)) // keys[i]: key of items[i] when it is a comparison op
	isSet := make([]bool, 0, len(terms))
	for _, c := range terms {
		x, ok := c.(ir.Cmp)
		if !ok || x.Op != op {
			items, keys, isSet = append(items, item{c: c}), append(keys, setKey{}), append(isSet, false)
			continue
		}
		if err := checkCmp(x); err != nil {
			return nil, err
		}
		k := setKey{arg: x.Arg, width: x.Width, mask: x.Mask}
		if x.Width == 32 {
			k.mask &= uint64(fullWord)
		}
		i := -1
		for j := range items {
			if isSet[j] && keys[j] == k {
				i = j
				break
			}
		}
		if i < 0 {
			items, keys, isSet = append(items, item{c: c, key: k, vals: []uint64{x.Value}}), append(keys, k), append(isSet, true)
			continue
		}
		items[i].vals = append(items[i].vals, x.Value)
	}
	for i := range items {
		if len(items[i].vals) == 1 { // a lone comparison stays one
			items[i].vals = nil
		}
	}
	return items, nil
}

// checkCmp rejects comparisons the kernel cannot make.
func checkCmp(c ir.Cmp) error {
	switch {
	case c.Arg < 0 || c.Arg > 5:
		return fmt.Errorf("optimizer: argument %d out of range 0..5", c.Arg)
	case c.Width != 32 && c.Width != 64:
		return fmt.Errorf("optimizer: argument width %d is neither 32 nor 64", c.Width)
	case c.Op > ir.GE:
		return fmt.Errorf("optimizer: unknown comparison %d", c.Op)
	}
	return nil
}

// cmp compiles one comparison. A 64-bit comparison is split into its halves: the high word
// decides unless it equals the value's, then the low word does.
func (b *builder) cmp(c ir.Cmp, t, f *Node) *Node {
	lo := ir.ArgOffset(c.Arg, false, b.bigEndian)
	if c.Width == 32 {
		return b.test(lo, uint32(c.Mask), c.Op, c.Value, t, f)
	}
	hi := ir.ArgOffset(c.Arg, true, b.bigEndian)
	mh, ml := uint32(c.Mask>>32), uint32(c.Mask)
	vh, vl := uint64(c.Value>>32), uint64(uint32(c.Value))
	op := c.Op
	switch op {
	case ir.NE, ir.LT, ir.LE:
		op, t, f = negate[op], f, t
	}
	if op == ir.EQ {
		return b.test(hi, mh, ir.EQ, vh, b.test(lo, ml, ir.EQ, vl, t, f), f)
	}
	// GT or GE: hi > vh → t; else hi <= vh, and hi == vh iff hi >= vh (free when vh is 0).
	low := b.test(lo, ml, op, vl, t, f)
	return b.test(hi, mh, ir.GT, vh, t, b.test(hi, mh, ir.GE, vh, low, f))
}

// test compiles (word at load & mask) op v on one 32-bit word, folding the tests whose outcome
// is known from x = word & mask lying in [0, mask], and using JSET where it spares the AND
// (passJSET).
func (b *builder) test(load, mask uint32, op ir.CmpOp, v uint64, t, f *Node) *Node {
	switch op {
	case ir.NE, ir.LT, ir.LE:
		op, t, f = negate[op], f, t
	}
	m := uint64(mask)
	switch {
	case op == ir.EQ && v&^m != 0, op == ir.GT && v >= m, op == ir.GE && v > m:
		return f
	case op == ir.GE && v == 0, op == ir.EQ && m == 0:
		return t
	}
	pick := func(ok bool) *Node {
		if ok {
			return t
		}
		return f
	}
	jset := func(bits uint32, onSet, onClear *Node) *Node {
		return b.mk(Node{Load: load, Op: JSET, K: bits, True: onSet, False: onClear})
	}
	switch {
	case !b.on(passJSET):
	case bits.OnesCount32(mask) == 1:
		// x is 0 or mask: one JSET tells them apart (the constant cases are folded above).
		return jset(mask, pick(holds(op, m, v)), pick(holds(op, 0, v)))
	case mask != fullWord && op == ir.EQ && v == 0:
		return jset(mask, f, t)
	case mask != fullWord && (op == ir.GT && v == 0 || op == ir.GE && v == 1):
		return jset(mask, t, f)
	}
	jop := JGE
	switch op {
	case ir.EQ:
		jop = JEQ
	case ir.GT:
		jop = JGT
	}
	return b.mk(Node{Load: load, HasMask: true, Mask: mask, Op: jop, K: uint32(v), True: t, False: f})
}

// holds evaluates x op v for op EQ, GT or GE.
func holds(op ir.CmpOp, x, v uint64) bool {
	switch op {
	case ir.EQ:
		return x == v
	case ir.GT:
		return x > v
	}
	return x >= v
}

// inSet compiles `key in vals`: to in when the masked argument is one of vals, else to out.
// A 64-bit key tests the high word once per distinct high value, then the low words.
func (b *builder) inSet(k setKey, vals []uint64, in, out *Node) *Node {
	lo := ir.ArgOffset(k.arg, false, b.bigEndian)
	if k.width == 32 {
		return b.wordSet(lo, uint32(k.mask), vals, in, out)
	}
	hi := ir.ArgOffset(k.arg, true, b.bigEndian)
	byHigh := make(map[uint64][]uint64)
	var highs []uint64
	for _, v := range vals {
		h := v >> 32
		if _, ok := byHigh[h]; !ok {
			highs = append(highs, h)
		}
		byHigh[h] = append(byHigh[h], uint64(uint32(v)))
	}
	slices.Sort(highs)
	node := out
	for i := len(highs) - 1; i >= 0; i-- {
		h := highs[i]
		lows := b.wordSet(lo, uint32(k.mask), byHigh[h], in, out)
		node = b.test(hi, uint32(k.mask>>32), ir.EQ, h, lows, node)
	}
	return node
}

// wordSet compiles `(word & mask) in vals` on one word. The values are sorted and cut into
// runs of consecutive numbers; the runs are tested in ascending order, a single value with a
// JEQ, a longer run [a, b] with JGT b (above: next run) then JGE a.
func (b *builder) wordSet(load, mask uint32, vals []uint64, in, out *Node) *Node {
	var vs []uint64
	for _, v := range vals {
		if v&^uint64(mask) == 0 { // other values can never equal the masked word
			vs = append(vs, v)
		}
	}
	slices.Sort(vs)
	vs = slices.Compact(vs)
	type run struct{ a, b uint64 }
	var runs []run
	for _, v := range vs {
		if n := len(runs); n > 0 && runs[n-1].b+1 == v {
			runs[n-1].b = v
			continue
		}
		runs = append(runs, run{v, v})
	}
	node := out
	for i := len(runs) - 1; i >= 0; i-- {
		r := runs[i]
		if r.a == r.b {
			node = b.test(load, mask, ir.EQ, r.a, in, node)
			continue
		}
		node = b.test(load, mask, ir.GT, r.b, node, b.test(load, mask, ir.GE, r.a, in, out))
	}
	return node
}

// checkAction rejects action kinds the kernel does not know.
func checkAction(a ir.Action) error {
	if a.Kind > ir.Allow {
		return fmt.Errorf("optimizer: unknown action kind %d", a.Kind)
	}
	return nil
}

// dagCost prices the argument DAG below n as the backend lays it out: a jump per test, a
// load where the word a test reads is not in the accumulator on every way in (the number is
// on the way into n), an AND where its mask is not applied yet; and its height, the most
// tests on a path.
func dagCost(n *Node) (cost, height int) {
	type acc struct {
		valid      bool
		load, mask uint32
	}
	exit := func(m *Node) acc {
		a := acc{valid: true, load: m.Load, mask: fullWord}
		if m.HasMask {
			a.mask = m.Mask
		}
		return a
	}
	entry := map[*Node]acc{n: {valid: true, load: program.SeccompDataNrOffset, mask: fullWord}}
	heights := map[*Node]int{}
	var order []*Node
	var walk func(m *Node) int
	walk = func(m *Node) int {
		if m.Leaf {
			return 0
		}
		if h, ok := heights[m]; ok {
			return h
		}
		order = append(order, m)
		h := 1 + max(walk(m.True), walk(m.False))
		heights[m] = h
		return h
	}
	height = walk(n)
	for _, m := range order {
		for _, c := range [2]*Node{m.True, m.False} {
			if c.Leaf {
				continue
			}
			if e, ok := entry[c]; !ok {
				entry[c] = exit(m)
			} else if e != exit(m) {
				entry[c] = acc{}
			}
		}
	}
	for _, m := range order {
		have, want := entry[m], exit(m)
		cost++
		if have.valid && have.load == want.load && want.mask&have.mask == want.mask {
			if want.mask != have.mask {
				cost++
			}
			continue
		}
		cost++
		if want.mask != fullWord {
			cost++
		}
	}
	return cost, height
}
