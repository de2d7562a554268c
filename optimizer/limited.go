package optimizer

import (
	"math"
	"math/bits"
)

// minHeight is the least height of a binary tree with n leaves, ceil(log2 n): the height of
// the balanced tree.
func minHeight(n int) int {
	if n <= 1 {
		return 0
	}
	return bits.Len(uint(n - 1))
}

// pairTable indexes the pairs i <= j of n leaves, row by row: (i, j) is at row[i] + j.
type pairTable struct {
	row  []int
	size int
}

func newPairTable(n int) pairTable {
	t := pairTable{row: make([]int, n)}
	for i := range n {
		t.row[i] = t.size - i
		t.size += n - i
	}
	return t
}

// limitedRoots solves the optimal alphabetic search tree over leaves of weights w among the
// trees of height at most limit (limit >= minHeight(len(w))):
//
//	cost(h, i, j) = W(i, j) + min over i < k <= j of cost(h-1, i, k-1) + cost(h-1, k, j),
//
// where a range of more than 2^h leaves is infeasible at height h. As without the limit, the
// best split is monotone within a level, root(h, i, j-1) <= root(h, i, j) <= root(h, i+1, j)
// (Wessner 1976; checked against the cubic program by the tests), so each level takes O(n²)
// time; a level only holds ranges of at most 2^h leaves. The returned function gives the split of leaves i..j at depth d from the root.
func limitedRoots(w []float64, limit int) func(i, j, depth int) int {
	return limitedTrees(w, limit)(limit)
}

// limitedTrees runs limitedRoots' program once for the heights up to limit and returns the
// splits of the optimal tree for any height limit from minHeight(len(w)) to limit: all the
// levels below the top are already solved for every range.
func limitedTrees(w []float64, limit int) func(height int) func(i, j, depth int) int {
	n := len(w)
	limit = max(limit, minHeight(n))
	p := prefixSums(w)
	t := newPairTable(n)
	prev, cur := make([]float64, t.size), make([]float64, t.size)
	roots := make([][]int16, limit+1)
	for h := 1; h <= limit; h++ {
		roots[h] = make([]int16, t.size)
		root := roots[h]
		widest := min(n-1, 1<<min(h, 30)-1) // j - i of the widest feasible range
		half := 1 << min(h-1, 30)           // leaves a subtree of height h-1 holds
		for i := n - 2; i >= 0; i-- {       // row by row, as optimalRoots
			row := t.row[i]
			for j := i + 1; j <= min(n-1, i+widest); j++ {
				lo, hi := max(i+1, j+1-half), min(j, i+half)
				if j > i+1 {
					klo, khi := max(lo, int(root[row+j-1])), min(hi, int(root[t.row[i+1]+j]))
					if klo <= khi {
						lo, hi = klo, khi
					}
				}
				best, bestK := math.Inf(1), lo
				for k := lo; k <= hi; k++ {
					if c := prev[row+k-1] + prev[t.row[k]+j]; c < best {
						best, bestK = c, k
					}
				}
				cur[row+j] = best + p[j+1] - p[i]
				root[row+j] = int16(bestK)
			}
		}
		prev, cur = cur, prev
	}
	return func(height int) func(i, j, depth int) int {
		height = min(max(height, minHeight(n)), limit)
		return func(i, j, depth int) int { return int(roots[height-depth][t.row[i]+j]) }
	}
}
