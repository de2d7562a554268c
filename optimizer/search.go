package optimizer

import (
	"github.com/scc-dev/scc/program"
)

// split makes the search node that sends numbers below spans[k].lo to lower and the others
// to upper. Where this test and the next one only carve a single number out of one decision
// on both sides of it, one equality test does the work of the two (passCarve, see carve).
func (b *builder) split(spans []span, k int, lower, upper *Node) *Node {
	v := spans[k].lo
	if !b.on(passCarve) {
		return b.mk(Node{Load: program.SeccompDataNrOffset, Op: JGE, K: uint32(v), True: upper, False: lower})
	}
	// lower decides D, upper is "A >= v+1 ? D : X": only v is X.
	if x, ok := carve(upper, v+1, lower, true); ok {
		return b.mk(Node{Load: program.SeccompDataNrOffset, Op: JEQ, K: uint32(v), True: x, False: lower})
	}
	// upper decides D, lower is "A >= v-1 ? X : D": only v-1 is X.
	if x, ok := carve(lower, v-1, upper, false); ok {
		return b.mk(Node{Load: program.SeccompDataNrOffset, Op: JEQ, K: uint32(v - 1), True: x, False: upper})
	}
	return b.mk(Node{Load: program.SeccompDataNrOffset, Op: JGE, K: uint32(v), True: upper, False: lower})
}

// carve reports whether n is the number test "A >= at" that, beside a parent test whose
// other side is other, leaves a single number to x: as the parent's upper side (the parent
// tests at-1), n must send the numbers from at on to other; as its lower side (the parent
// tests at+1), those below at. The parent and n together are then "A == v ? x : other",
// one comparison fewer on every path through both.
func carve(n *Node, at uint64, other *Node, upperSide bool) (x *Node, ok bool) {
	if n.Leaf || n.Load != program.SeccompDataNrOffset || n.HasMask || n.Op != JGE || uint64(n.K) != at || at >= numberLine {
		return nil, false
	}
	if upperSide && n.True == other {
		return n.False, true
	}
	if !upperSide && n.False == other {
		return n.True, true
	}
	return nil, false
}

// balanced builds a balanced search tree over spans: every span is decided after
// floor or ceil of log2(len(spans)) comparisons, and the comparisons pin each span's bounds,
// so no equality test is needed even for a single number.
func (b *builder) balanced(spans []span) *Node {
	b.noChains = true
	defer func() { b.noChains = false }()
	return b.fromRoots(spans, 0, len(spans)-1, 0, balancedRoot)
}

// splitChooser describes a search tree over leaves (spans) 0..n-1 by its splits: for the
// subtree over leaves i..j (i < j) whose root sits depth levels below the tree's root, it
// returns the first leaf k of the upper subtree, i < k <= j (the root tests "number >=
// spans[k].lo"). The tree algorithms (balanced, Garsia–Wachs, the height-limited program)
// all return one; fromRoots builds the tree it describes, and depthCost prices it.
type splitChooser func(i, j, depth int) int

// balancedRoot splits a range of leaves in the middle.
func balancedRoot(i, j, _ int) int { return i + (j-i+1)/2 }

// weighted builds the search tree over spans that minimizes the expected number of
// comparisons, the sum of weight × depth (see optimalRoots).
func (b *builder) weighted(spans []span) *Node {
	return b.fromRoots(spans, 0, len(spans)-1, 0, optimalRoots(spanWeights(spans)))
}

// profiled builds the tree of a profile-weighted audit value: profile holds the profile's
// weights by span, tables the syscalls of each arch of the audit value by span, hot indexing
// the profiled arch. The trees it considers are weighted by one of blends: the profile plus a
// share of the tables, from blendShares. For a blend it tries the trees up to profileSlack
// levels taller than the balanced one, then fewer, and takes the first that keeps the promise
// of a profile build:
//
//   - no syscall of any arch's table takes more steps than the most the balanced tree takes
//     for one of that arch (see stepBound);
//   - the profiled arch's syscalls take no more comparisons on average than under the
//     balanced tree, and the other arches' (x32 under x86_64's audit value) at most
//     profileTolerance more (see meanBound).
//
// It wants the blend of the least share with such a tree: it tries the least, then, since a
// larger share keeps the promise more easily, searches the others by bisection. No tree
// keeps it: the balanced tree.
func (b *builder) profiled(spans []span, profile []float64, tables [][]float64, hot int) *Node {
	defer func() { b.strictChains, b.fixed = false, nil }()
	balanced := b.balanced(spans)
	means := newMeanBound(tables, hot)
	built := newBuiltMeans(balanced, spans, tables, hot)
	// The candidates' chains may deepen only spans that no table or profile weighs: the
	// promises do not count them.
	b.fixed = make([]bool, len(spans))
	for i := range spans {
		b.fixed[i] = profile[i] > 0
		for _, t := range tables {
			b.fixed[i] = b.fixed[i] || t[i] > 0
		}
	}
	height := minHeight(len(spans)) + profileSlack
	steps := newStepBound(b.bigEndian, balanced, spans, tables)
	need := steps.need(height)
	weights := blends(profile, tables, hot)
	// One set of tables serves every blend: a tree is built from a blend's splits before the
	// next blend's program overwrites them.
	tab := dpSpare.take()
	defer tab.release()
	try := func(k int) *Node {
		for _, r := range profileCandidates(weights[k], height, need, tab) {
			if !means.keeps(r) {
				continue
			}
			// Chains as the default build makes them where they keep the promise, else
			// only those that deepen no span the promise counts.
			for _, strict := range []bool{false, true} {
				b.strictChains = strict
				if tree := b.fromRoots(spans, 0, len(spans)-1, 0, r); steps.keeps(tree) && built.keeps(tree) {
					return tree
				}
			}
		}
		return nil
	}
	if tree := try(0); tree != nil {
		return tree
	}
	found := balanced
	for lo, hi := 1, len(weights)-1; lo <= hi; {
		mid := (lo + hi) / 2
		if tree := try(mid); tree != nil {
			found, hi = tree, mid-1
		} else {
			lo = mid + 1
		}
	}
	return found
}

// profileCandidates returns the trees weighted by w that profiled tries: at most height
// levels high, then fewer down to the balanced tree's height (one program solves them all),
// with each leaf i at least need[i] levels above the bottom of the tallest (see
// limitedTrees), their splits kept in tab; or, above maxLimitedSpans, the optimal tree
// without a limit.
func profileCandidates(w []float64, height int, need []int, tab *dpTables) []splitChooser {
	n := len(w)
	if n <= 1 || n > maxLimitedSpans {
		return []splitChooser{optimalRoots(w)}
	}
	trees := limitedTrees(w, height, need, tab)
	var out []splitChooser
	for h := height; h >= minHeight(n); h-- {
		if r := trees(h); r != nil {
			out = append(out, r)
		}
	}
	return out
}

// stepBound is the worst-case promise of a profile build: no syscall of any of tables takes
// more steps than the most the balanced tree takes to decide one of the same table
// (comparisons on the number, then the span's own tests with arguments zero, counting a load
// where the word changes; see decideSteps).
type stepBound struct {
	bigEndian bool
	spans     []span
	tables    [][]float64
	most      []int // most[a]: the most steps the balanced tree takes for a syscall of tables[a]
}

// newStepBound measures the bound of each of tables on the balanced tree over spans.
func newStepBound(bigEndian bool, balanced *Node, spans []span, tables [][]float64) stepBound {
	most := make([]int, len(tables))
	for i, s := range spans {
		steps := decideSteps(balanced, uint32(s.lo), bigEndian)
		for a, t := range tables {
			if t[i] > 0 {
				most[a] = max(most[a], steps)
			}
		}
	}
	return stepBound{bigEndian: bigEndian, spans: spans, tables: tables, most: most}
}

// need returns, for each span, the levels of a tree at most height high that must stay
// unused below it so that it keeps the bound of every table that holds it, its own tests
// counted (see limitedTrees).
func (sb stepBound) need(height int) []int {
	need := make([]int, len(sb.spans))
	for i, s := range sb.spans {
		own := decideSteps(s.node, uint32(s.lo), sb.bigEndian)
		for a, t := range sb.tables {
			if t[i] > 0 {
				need[i] = max(need[i], height-(sb.most[a]-own))
			}
		}
	}
	return need
}

// keeps reports whether a built tree keeps the bound. The program's depths are those of the
// search after split's equality tests, which can only save comparisons, so a tree within
// need's depths keeps it; keeps checks what the program really does.
func (sb stepBound) keeps(tree *Node) bool {
	for i, s := range sb.spans {
		steps := -1
		for a, t := range sb.tables {
			if t[i] == 0 {
				continue
			}
			if steps < 0 {
				steps = decideSteps(tree, uint32(s.lo), sb.bigEndian)
			}
			if steps > sb.most[a] {
				return false
			}
		}
	}
	return true
}

// decideSteps counts the steps from n to a leaf for syscall number nr with arguments zero:
// a test per node, and a load where a node reads another word than the one before (the
// number is loaded on entry).
func decideSteps(n *Node, nr uint32, bigEndian bool) int {
	d := program.SeccompData{Nr: int32(nr)}
	steps, word := 0, uint32(program.SeccompDataNrOffset)
	for !n.Leaf {
		steps++
		if n.Load != word {
			steps, word = steps+1, n.Load
		}
		n = n.next(d, bigEndian)
	}
	return steps
}

// meanBound is the average promise of a profile build: a tree's mean depth over
// tables[hot] is at most the balanced tree's, and over each other table at most the balanced
// tree's plus profileTolerance.
type meanBound struct {
	tables [][]float64
	limits []float64 // limits[a]: the most sum of weight × depth tables[a] may have
}

// newMeanBound prices the balanced tree over each of tables, give or take meanSlack.
func newMeanBound(tables [][]float64, hot int) meanBound {
	limits := make([]float64, len(tables))
	for i, t := range tables {
		limits[i] = depthCost(t, balancedRoot) * (1 + meanSlack)
		if i != hot {
			limits[i] += profileTolerance * sum(t)
		}
	}
	return meanBound{tables: tables, limits: limits}
}

// keeps reports whether the tree root describes keeps the bound of every table.
func (mb meanBound) keeps(root splitChooser) bool {
	for i, t := range mb.tables {
		if depthCost(t, root) > mb.limits[i] {
			return false
		}
	}
	return true
}

// builtMeans is meanBound on built trees: the number tests a tree takes to each span, after
// carve and chains, which meanBound's prices on the splits do not see, against the balanced
// tree's, so that a profile build keeps the average promise against the balanced build as
// built.
type builtMeans struct {
	spans  []span
	tables [][]float64
	limits []float64
}

// newBuiltMeans prices the built balanced tree over each of tables (see meanBound).
func newBuiltMeans(balanced *Node, spans []span, tables [][]float64, hot int) builtMeans {
	bm := builtMeans{spans: spans, tables: tables}
	bm.limits = bm.costs(balanced)
	for i, t := range tables {
		bm.limits[i] *= 1 + meanSlack
		if i != hot {
			bm.limits[i] += profileTolerance * sum(t)
		}
	}
	return bm
}

// costs returns, for each table, the sum of weight × number tests over the spans of tree.
func (bm builtMeans) costs(tree *Node) []float64 {
	out := make([]float64, len(bm.tables))
	for k, sp := range bm.spans {
		steps := -1
		for a, t := range bm.tables {
			if t[k] == 0 {
				continue
			}
			if steps < 0 {
				steps = reachSteps(tree, sp)
			}
			out[a] += t[k] * float64(steps)
		}
	}
	return out
}

// keeps reports whether tree keeps the bound of every table.
func (bm builtMeans) keeps(tree *Node) bool {
	for a, c := range bm.costs(tree) {
		if c > bm.limits[a] {
			return false
		}
	}
	return true
}

// blends returns the weight vectors profiled tries, one per blendShares.
func blends(profile []float64, tables [][]float64, hot int) [][]float64 {
	own, others := make([]float64, len(profile)), make([]float64, len(profile))
	for a, t := range tables {
		for i, w := range t {
			if a == hot {
				own[i] += w
			} else {
				others[i] += w
			}
		}
	}
	p, own, others := normalized(profile), normalized(own), normalized(others)
	var out [][]float64
	for _, s := range blendShares {
		w := make([]float64, len(profile))
		for i := range w {
			w[i] = p[i] + s*own[i] + 2*s*others[i]
		}
		out = append(out, w)
	}
	return out
}

// normalized returns v scaled to sum 1, or v itself when it sums to 0.
func normalized(v []float64) []float64 {
	total := sum(v)
	if total == 0 {
		return v
	}
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x / total
	}
	return out
}

func spanWeights(spans []span) []float64 {
	w := make([]float64, len(spans))
	for i, s := range spans {
		w[i] = s.weight
	}
	return w
}

// optimalRoots returns the splits of the optimal alphabetic tree over leaves of weights w
// (Garsia–Wachs, see alphabeticDepths).
func optimalRoots(w []float64) splitChooser {
	if len(w) <= 1 {
		return balancedRoot
	}
	return depthRoots(alphabeticDepths(w))
}

// fromRoots builds the tree over spans[i..j], at depth depth, whose splits root(i, j, depth)
// gives: the index of the first span of the upper subtree.
func (b *builder) fromRoots(spans []span, i, j, depth int, root splitChooser) *Node {
	if i == j {
		return spans[i].node
	}
	k := root(i, j, depth)
	tree := b.split(spans, k, b.fromRoots(spans, i, k-1, depth+1, root), b.fromRoots(spans, k, j, depth+1, root))
	if !b.on(passChain) || b.noChains || j-i+1 > maxChainSpans {
		return tree
	}
	return b.numberChain(spans, i, j, tree)
}

// numberChain returns a chain of number tests over spans[i..j] (see searcher.chain) instead
// of tree, the search over them, when the chain takes fewer tests, and its most steps to a
// verdict (the spans' own argument tests, with arguments zero, counted) are at most
// chainSlack more than the tree's; while strictChains is set, only when it decides no span
// that counts (fixed) in more comparisons, so that the promises of a profile build hold.
func (b *builder) numberChain(spans []span, i, j int, tree *Node) *Node {
	s := searcher{b: b, w: word{load: program.SeccompDataNrOffset, mask: fullWord}, spans: spans}
	c, bg := s.chainCost(i, j)
	if c.size >= searchSize(tree, spans[i:j+1]) {
		return tree
	}
	chain := s.chain(i, j, bg)
	chainMost, treeMost := 0, 0   // comparisons on the number
	chainSteps, treeSteps := 0, 0 // and the spans' own tests
	for k, sp := range spans[i : j+1] {
		c, t := reachSteps(chain, sp), reachSteps(tree, sp)
		if b.strictChains && c > t && (b.fixed == nil || b.fixed[i+k]) {
			return tree
		}
		// A span's own tests count: a syscall with argument rules must not sink to the
		// bottom of a chain and take more steps than any span of the tree did.
		own := decideSteps(sp.node, uint32(sp.lo), b.bigEndian)
		chainMost, treeMost = max(chainMost, c), max(treeMost, t)
		chainSteps, treeSteps = max(chainSteps, c+own), max(treeSteps, t+own)
	}
	if chainMost > treeMost+chainSlack || chainSteps > treeSteps+chainSlack {
		return tree
	}
	return chain
}

// searchSize counts the number tests of the search n over spans: its nodes down to the
// spans' own.
func searchSize(n *Node, spans []span) int {
	seen := map[*Node]bool{}
	var walk func(n *Node) int
	walk = func(n *Node) int {
		if n.Leaf || seen[n] || n.Load != program.SeccompDataNrOffset || isSpanNode(n, spans) {
			return 0
		}
		seen[n] = true
		return 1 + walk(n.True) + walk(n.False)
	}
	return walk(n)
}

// isSpanNode tells whether n decides one of spans.
func isSpanNode(n *Node, spans []span) bool {
	for _, sp := range spans {
		if sp.node == n {
			return true
		}
	}
	return false
}

// reachSteps counts the number tests the search n takes to reach the node of span sp.
func reachSteps(n *Node, sp span) int {
	d := program.SeccompData{Nr: int32(uint32(sp.lo))}
	steps := 0
	for n != sp.node && !n.Leaf {
		n = n.next(d, false)
		steps++
	}
	return steps
}

// depthCost is sum of w[i] × depth of leaf i in the tree that root describes.
func depthCost(w []float64, root splitChooser) float64 {
	var walk func(i, j, depth int) float64
	walk = func(i, j, depth int) float64 {
		if i == j {
			return w[i] * float64(depth)
		}
		k := root(i, j, depth)
		return walk(i, k-1, depth+1) + walk(k, j, depth+1)
	}
	if len(w) == 0 {
		return 0
	}
	return walk(0, len(w)-1, 0)
}

// prefixSums returns p with p[i] = w[0] + … + w[i-1].
func prefixSums(w []float64) []float64 {
	p := make([]float64, len(w)+1)
	for i, x := range w {
		p[i+1] = p[i] + x
	}
	return p
}
