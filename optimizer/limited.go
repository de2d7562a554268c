package optimizer

import (
	"math"
	"math/bits"
	"sync"
)

// infeasible is the split limitedTreesIn records for a range that does not fit its level.
const infeasible = -1

// rootScratch holds the split tables of limitedTreesIn between profile builds.
var rootScratch = sync.Pool{New: func() any { return new([]int16) }}

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

// limitedTrees solves the optimal alphabetic search tree over leaves of weights w among the
// trees of height at most h, for every h from minHeight(len(w)) to limit:
//
//	cost(h, i, j) = W(i, j) + min over i < k <= j of cost(h-1, i, k-1) + cost(h-1, k, j),
//
// where a range of more than 2^h leaves is infeasible at height h. As without the limit, the
// best split is monotone within a level, root(h, i, j-1) <= root(h, i, j) <= root(h, i+1, j)
// (Wessner 1976; checked against the cubic program by the tests), so each level takes O(n²)
// time; a level only holds ranges of at most 2^h leaves. It returns the splits of the tree
// for a height limit, or nil when no tree of that height meets need. The levels below the
// top two are solved for every range; the top level, which only the tallest tree uses, for
// all the leaves alone; and the level below it, which only the tallest tree uses below its
// root (and the next one at its root), for the prefixes and suffixes of the leaves, trying
// every split.
//
// need, when not nil, bounds each leaf's depth on its own: in the tree for height limit h,
// leaf i sits at most h - need[i] deep (need[i] levels of the height budget left unused
// below it), so that a leaf whose decision takes more steps of its own can be kept higher.
// Such bounds break the monotonicity of the best split where a neighbouring range is
// infeasible, so there the program tries every split the leaf counts allow.
func limitedTrees(w []float64, limit int, need []int) func(height int) func(i, j, depth int) int {
	return limitedTreesIn(w, limit, need, new([]int16))
}

// limitedTreesIn is limitedTrees keeping the splits in *roots, grown as needed: the trees it
// returns read them, so they must not outlive its reuse (see rootScratch).
func limitedTreesIn(w []float64, limit int, need []int, rootsBuf *[]int16) func(height int) func(i, j, depth int) int {
	n := len(w)
	limit = max(limit, minHeight(n))
	p := prefixSums(w)
	t := newPairTable(n)
	// The costs of the level below and of this one, row by row.
	s := getScratch(2 * t.size)
	defer putScratch(s)
	prev, cur := (*s)[:t.size], (*s)[t.size:]
	inf := math.Inf(1)
	diagonal := func(costs []float64, h int) { // single leaves at level h
		for i := range n {
			c := 0.0
			if need != nil && h < need[i] {
				c = inf
			}
			costs[t.row[i]+i] = c
		}
	}
	// kraft holds the prefix sums of 2^need[k] (see fits below).
	var kraft []int64
	if need != nil {
		kraft = make([]int64, n+1)
		for i, x := range need {
			kraft[i+1] = kraft[i] + 1<<min(max(x, 0), 62)
		}
	}
	diagonal(prev, 0)
	// Every split the trees read is written below, so a reused buffer needs no clearing.
	if cap(*rootsBuf) < (limit+1)*t.size {
		*rootsBuf = make([]int16, (limit+1)*t.size)
	}
	roots := (*rootsBuf)[:(limit+1)*t.size]
	top := make([]float64, limit+1) // cost(h, 0, n-1)
	for h := 1; h <= limit; h++ {
		diagonal(cur, h)
		root := roots[h*t.size : (h+1)*t.size]
		widest := min(n-1, 1<<min(h, 30)-1) // j - i of the widest feasible range
		half := 1 << min(h-1, 30)           // leaves a subtree of height h-1 holds
		// best solves range i..j from level h-1 with splits lo..hi.
		pr, cr := prev, cur // fixed within the level, so best holds them by value
		rows := t.row
		best := func(i, j, lo, hi int) {
			c, k := inf, lo
			row := rows[i]
			for m := lo; m <= hi; m++ {
				if y := pr[row+m-1] + pr[rows[m]+j]; y < c {
					c, k = y, m
				}
			}
			c += p[j+1] - p[i]
			cr[row+j] = c
			root[row+j] = int16(k)
		}
		if h == limit {
			// The tallest tree splits only the whole range at the top level: solve that one
			// range, trying every split.
			if n > 1 {
				best(0, n-1, max(1, n-half), min(n-1, half))
			}
		} else if h == limit-1 && n > 1 {
			// Only the prefixes and suffixes of the leaves (see above).
			for j := 1; j < n; j++ {
				best(0, j, max(1, j+1-half), min(j, half))
			}
			for i := n - 2; i >= 1; i-- {
				best(i, n-1, max(i+1, n-half), min(n-1, i+half))
			}
		} else {
			fits := n - 1 // the last leaf j such that leaves i..j fit under h levels (Kraft)
			room := int64(1) << min(h, 62)
			for i := n - 2; i >= 0; i-- { // row by row, from the last
				row, last := t.row[i], min(n-1, i+widest)
				if need != nil {
					// kraft[i] is the sum of 2^need[k] for k < i: leaves i..j fit under h
					// levels only if kraft[j+1] - kraft[i] <= 2^h (Kraft's inequality on their
					// depths); fits only falls as i does.
					for fits > i && kraft[fits+1]-kraft[i] > room {
						fits--
					}
					last = min(last, fits)
				}
				// Row i of this level and the one below, and the splits of rows i and i+1.
				left, costs := pr[row:row+n], cr[row:row+n]
				splits, below := root[row:row+n], root[t.row[i+1]:t.row[i+1]+n]
				pi := p[i]
				for j := i + 1; j <= last; j++ {
					lo, hi := max(i+1, j+1-half), min(j, i+half)
					// Knuth's bounds, from the neighbouring ranges when both are feasible.
					if a, b := int(splits[j-1]), int(below[j]); j > i+1 && a >= 0 && b >= 0 {
						if klo, khi := max(lo, a), min(hi, b); klo <= khi {
							lo, hi = klo, khi
						}
					}
					c, k := inf, lo // the best cost and split
					for m := lo; m <= hi; m++ {
						if y := left[m-1] + pr[rows[m]+j]; y < c { // cost(h-1, m, j) right
							c, k = y, m
						}
					}
					if c == inf {
						k = infeasible
					}
					costs[j], splits[j] = c+p[j+1]-pi, int16(k)
				}
				for j := last + 1; j <= min(n-1, i+widest); j++ {
					costs[j], splits[j] = inf, infeasible
				}
			}
		}
		if n > 1 {
			top[h] = cur[t.row[0]+n-1]
		}
		prev, cur = cur, prev
	}
	return func(height int) func(i, j, depth int) int {
		height = min(max(height, minHeight(n)), limit)
		if top[height] == inf {
			return nil
		}
		return func(i, j, depth int) int { return int(roots[(height-depth)*t.size+t.row[i]+j]) }
	}
}

// scratch holds the cost tables of limitedTreesIn between builds, so that a build allocates
// (and the collector scans) only the splits it keeps.
var scratch = sync.Pool{New: func() any { return new([]float64) }}

// getScratch returns a buffer of n floats from scratch, with unspecified contents.
func getScratch(n int) *[]float64 {
	s := scratch.Get().(*[]float64)
	if cap(*s) < n {
		*s = make([]float64, n)
	}
	*s = (*s)[:n]
	return s
}

// putScratch gives s back to scratch.
func putScratch(s *[]float64) { scratch.Put(s) }
