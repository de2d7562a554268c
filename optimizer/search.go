package optimizer

import (
	"math"

	"github.com/scc-dev/scc/ir"
)

// split makes the search node that sends numbers below spans[k].lo to lower and the others
// to upper.
func (b *builder) split(spans []span, k int, lower, upper *Node) *Node {
	return b.mk(Node{Load: ir.SeccompDataNrOffset, Op: JGE, K: uint32(spans[k].lo), True: upper, False: lower})
}

// balanced builds a balanced search tree over spans: every span is decided after
// floor or ceil of log2(len(spans)) comparisons, and the comparisons pin each span's bounds,
// so no equality test is needed even for a single number.
func (b *builder) balanced(spans []span) *Node {
	if len(spans) == 1 {
		return spans[0].node
	}
	m := len(spans) / 2
	return b.split(spans, m, b.balanced(spans[:m]), b.balanced(spans[m:]))
}

// maxOptimalSpans bounds the spans for which the weighted tree is computed exactly (the
// dynamic program takes quadratic time and memory); above it a weight-balanced split is used.
const maxOptimalSpans = 256

// weighted builds a search tree over spans that minimizes (or, above maxOptimalSpans, nearly
// minimizes) the expected number of comparisons, sum of weight × depth.
func (b *builder) weighted(spans []span) *Node {
	w := make([]float64, len(spans))
	for i, s := range spans {
		w[i] = s.weight
	}
	if len(spans) > maxOptimalSpans {
		return b.fromRoots(spans, 0, len(spans)-1, weightBalancedRoot(prefixSums(w)))
	}
	return b.fromRoots(spans, 0, len(spans)-1, optimalRoots(w))
}

// fromRoots builds the tree over spans[i..j] whose splits root(i, j) gives: the index of the
// first span of the upper subtree.
func (b *builder) fromRoots(spans []span, i, j int, root func(i, j int) int) *Node {
	if i == j {
		return spans[i].node
	}
	k := root(i, j)
	return b.split(spans, k, b.fromRoots(spans, i, k-1, root), b.fromRoots(spans, k, j, root))
}

// prefixSums returns p with p[i] = w[0] + … + w[i-1].
func prefixSums(w []float64) []float64 {
	p := make([]float64, len(w)+1)
	for i, x := range w {
		p[i+1] = p[i] + x
	}
	return p
}

// optimalRoots solves the optimal alphabetic search tree over leaves of weights w: cost(i, j)
// = W(i, j) + min over i < k <= j of cost(i, k-1) + cost(k, j). Knuth's monotonicity of the
// best split, root(i, j-1) <= root(i, j) <= root(i+1, j), makes it O(n²).
func optimalRoots(w []float64) func(i, j int) int {
	n := len(w)
	p := prefixSums(w)
	// The tables hold the pairs i <= j only, row by row: (i, j) is at at(i) + j.
	at := func(i int) int { return i*n - i*(i-1)/2 - i }
	cost := make([]float64, at(n)+n)
	root := make([]int32, at(n)+n)
	for d := 1; d < n; d++ {
		for i := 0; i+d < n; i++ {
			j := i + d
			lo, hi := i+1, j
			if d > 1 {
				lo, hi = int(root[at(i)+j-1]), int(root[at(i+1)+j])
			}
			best, bestK := math.Inf(1), lo
			for k := lo; k <= hi; k++ {
				if c := cost[at(i)+k-1] + cost[at(k)+j]; c < best {
					best, bestK = c, k
				}
			}
			cost[at(i)+j] = best + p[j+1] - p[i]
			root[at(i)+j] = int32(bestK)
		}
	}
	return func(i, j int) int { return int(root[at(i)+j]) }
}

// weightBalancedRoot splits each range of leaves where the weights on both sides are closest
// to equal (Mehlhorn's rule: within two comparisons of the optimum's entropy bound).
func weightBalancedRoot(p []float64) func(i, j int) int {
	return func(i, j int) int {
		half := (p[i] + p[j+1]) / 2
		// First k in (i, j] with p[k] >= half, by binary search; then the closer of k-1, k.
		lo, hi := i+1, j
		for lo < hi {
			m := (lo + hi) / 2
			if p[m] < half {
				lo = m + 1
			} else {
				hi = m
			}
		}
		if k := lo - 1; k > i && half-p[k] < p[lo]-half {
			return k
		}
		return lo
	}
}
