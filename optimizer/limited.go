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
	return limitedTrees(w, limit, nil)(limit)
}

// limitedTrees runs limitedRoots' program once for the heights up to limit and returns the
// splits of the optimal tree for any height limit from minHeight(len(w)) to limit, or nil
// when no tree of that height meets need: the levels below the top are solved for every
// range, and the top level, which only the tallest tree uses, for all the leaves alone. The
// cost tables come from scratch, laid out as optimalRoots' (row by row, and a copy column by
// column), so that the inner loop reads both in order.
//
// need, when not nil, bounds each leaf's depth on its own: in the tree for height limit h,
// leaf i sits at most h - need[i] deep (need[i] levels of the height budget left unused
// below it), so that a leaf whose decision takes more steps of its own can be kept higher. Such bounds break the
// monotonicity of the best split where a neighbouring range is infeasible, so there the
// program tries every split the leaf counts allow.
func limitedTrees(w []float64, limit int, need []int) func(height int) func(i, j, depth int) int {
	n := len(w)
	limit = max(limit, minHeight(n))
	p := prefixSums(w)
	t := newPairTable(n)
	// The costs of a level, twice: row by row for the left parts of the splits of a range,
	// column by column (see column) for the right parts, so that both are read in order.
	s := getScratch(4 * t.size)
	defer putScratch(s)
	prev, cur := (*s)[:t.size], (*s)[t.size:2*t.size]
	prevCol, curCol := (*s)[2*t.size:3*t.size], (*s)[3*t.size:]
	inf := math.Inf(1)
	diagonal := func(costs, cols []float64, h int) { // single leaves at level h
		for i := range n {
			c := 0.0
			if need != nil && h < need[i] {
				c = inf
			}
			costs[t.row[i]+i], cols[column(i)+i] = c, c
		}
	}
	diagonal(prev, prevCol, 0)
	roots := make([]int16, (limit+1)*t.size)
	top := make([]float64, limit+1) // cost(h, 0, n-1)
	for h := 1; h <= limit; h++ {
		diagonal(cur, curCol, h)
		root := roots[h*t.size : (h+1)*t.size]
		widest := min(n-1, 1<<min(h, 30)-1) // j - i of the widest feasible range
		half := 1 << min(h-1, 30)           // leaves a subtree of height h-1 holds
		// best solves range i..j from level h-1 with splits lo..hi.
		best := func(i, j, lo, hi int) {
			left, right := prev[t.row[i]:], prevCol[column(j):]
			c, k := inf, lo
			for m := lo; m <= hi; m++ {
				if x := left[m-1] + right[m]; x < c {
					c, k = x, m
				}
			}
			c += p[j+1] - p[i]
			cur[t.row[i]+j], curCol[column(j)+i] = c, c
			root[t.row[i]+j] = int16(k)
		}
		if h == limit {
			// The tallest tree splits only the whole range at the top level: solve that one
			// range, trying every split.
			if n > 1 {
				best(0, n-1, max(1, n-half), min(n-1, half))
			}
		} else {
			for i := n - 2; i >= 0; i-- { // row by row, as optimalRoots
				row := t.row[i]
				for j := i + 1; j <= min(n-1, i+widest); j++ {
					lo, hi := max(i+1, j+1-half), min(j, i+half)
					if j > i+1 && cur[row+j-1] < inf && cur[t.row[i+1]+j] < inf {
						klo, khi := max(lo, int(root[row+j-1])), min(hi, int(root[t.row[i+1]+j]))
						if klo <= khi {
							lo, hi = klo, khi
						}
					}
					best(i, j, lo, hi)
				}
			}
		}
		if n > 1 {
			top[h] = cur[t.row[0]+n-1]
		}
		prev, cur, prevCol, curCol = cur, prev, curCol, prevCol
	}
	return func(height int) func(i, j, depth int) int {
		height = min(max(height, minHeight(n)), limit)
		if top[height] == inf {
			return nil
		}
		return func(i, j, depth int) int { return int(roots[(height-depth)*t.size+t.row[i]+j]) }
	}
}
