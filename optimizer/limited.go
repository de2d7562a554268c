package optimizer

import (
	"math"
	"math/bits"
)

// infeasible is the split limitedTrees records for a range that does not fit its level.
const infeasible = -1

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
// root (and the next one at its root), for the prefixes and suffixes of the leaves, with the
// one bound each has: a prefix splits no lower than the one a leaf shorter, a suffix no
// higher than the one a leaf shorter.
//
// need, when not nil, bounds each leaf's depth on its own: in the tree for height limit h,
// leaf i sits at most h - need[i] deep (need[i] levels of the height budget left unused
// below it), so that a leaf whose decision takes more steps of its own can be kept higher.
// A range that fits a level within these bounds still fits it without its first or last
// leaf (the removed leaf's sibling moves up; nothing goes deeper), so a range one of whose
// neighbours i..j-1 and i+1..j does not fit does not fit either, and where both fit the
// bounds on the split hold (checked against the cubic program too).
//
// The program works in tab, growing its tables as needed; the trees returned read its
// splits, so they must not outlive tab's next use.
func limitedTrees(w []float64, limit int, need []int, tab *dpTables) func(height int) splitChooser {
	n := len(w)
	limit = max(limit, minHeight(n))
	p := prefixSums(w)
	t := newPairTable(n)
	// The costs of the level below and of this one, each an n×n matrix with cost(i, j) at
	// i*n + j and again at j*n + i, so that both the left parts of a range (row i) and its
	// right parts (column j) lie side by side. Every cost and split read is written first,
	// so reused tables need no clearing.
	costs := grow(&tab.costs, 2*n*n)
	prev, cur := costs[:n*n], costs[n*n:]
	inf := math.Inf(1)
	diagonal := func(costs []float64, h int) { // single leaves at level h
		for i := range n {
			c := 0.0
			if need != nil && h < need[i] {
				c = inf
			}
			costs[i*n+i] = c
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
	roots := grow(&tab.roots, (limit+1)*t.size)
	top := make([]float64, limit+1) // cost(h, 0, n-1)
	for h := 1; h <= limit; h++ {
		diagonal(cur, h)
		root := roots[h*t.size : (h+1)*t.size]
		widest := min(n-1, 1<<min(h, 30)-1) // j - i of the widest feasible range
		half := 1 << min(h-1, 30)           // leaves a subtree of height h-1 holds
		// best solves range i..j from level h-1 with splits lo..hi.
		pr, cr := prev, cur // fixed within the level, so best holds them by value
		best := func(i, j, lo, hi int) {
			c, k := inf, lo
			for m := lo; m <= hi; m++ {
				if y := pr[i*n+m-1] + pr[j*n+m]; y < c {
					c, k = y, m
				}
			}
			if c == inf {
				k = infeasible
			}
			c += p[j+1] - p[i]
			cr[i*n+j], cr[j*n+i] = c, c
			root[t.row[i]+j] = int16(k)
		}
		if h == limit {
			// The tallest tree splits only the whole range at the top level: solve that one
			// range, trying every split.
			if n > 1 {
				best(0, n-1, max(1, n-half), min(n-1, half))
			}
		} else if h == limit-1 && n > 1 {
			// Only the prefixes and suffixes of the leaves (see above), each split no lower
			// than the prefix one leaf shorter, or no higher than the suffix one leaf
			// shorter, where that one fits.
			for j := 1; j < n; j++ {
				lo, hi := max(1, j+1-half), min(j, half)
				if k := int(root[t.row[0]+j-1]); j > 1 && lo < k && k <= hi {
					lo = k
				}
				best(0, j, lo, hi)
			}
			for i := n - 2; i >= 1; i-- {
				lo, hi := max(i+1, n-half), min(n-1, i+half)
				if k := int(root[t.row[i+1]+n-1]); i < n-2 && lo <= k && k < hi {
					hi = k
				}
				best(i, n-1, lo, hi)
			}
		} else {
			fits := n - 1 // the last leaf j such that leaves i..j fit under h levels (Kraft)
			room := int64(1) << min(h, 62)
			for i := n - 2; i >= 0; i-- { // row by row, from the last
				last := min(n-1, i+widest)
				if need != nil {
					// kraft[i] is the sum of 2^need[k] for k < i: leaves i..j fit under h
					// levels only if kraft[j+1] - kraft[i] <= 2^h (Kraft's inequality on their
					// depths); fits only falls as i does.
					for fits > i && kraft[fits+1]-kraft[i] > room {
						fits--
					}
					last = min(last, fits)
				}
				solveRow(pr, cr, root[t.row[i]:t.row[i]+n], root[t.row[i+1]:t.row[i+1]+n], p, i, last, half, widest)
			}
		}
		if n > 1 {
			top[h] = cur[n-1]
		}
		prev, cur = cur, prev
	}
	return func(height int) splitChooser {
		height = min(max(height, minHeight(n)), limit)
		if top[height] == inf {
			return nil
		}
		return func(i, j, depth int) int { return int(roots[(height-depth)*t.size+t.row[i]+j]) }
	}
}

// solveRow solves row i of a level of limitedTrees from the level below: every range i..j
// for j up to last, from the costs pr of the level below into cr (n×n matrices, see
// limitedTrees), and the splits of the row, with below the splits of row i+1 for Knuth's
// bounds. A subtree of the level below holds at most half leaves; the ranges past last, up
// to i+widest, do not fit the level.
func solveRow(pr, cr []float64, splits, below []int16, p []float64, i, last, half, widest int) {
	n := len(splits)
	inf := math.Inf(1)
	left := pr[i*n : i*n+n]
	pi := p[i]
	k := infeasible  // the split of range i..j-1
	if i+1 <= last { // two leaves, one split
		c := left[i] + pr[(i+1)*n+i+1]
		if c < inf {
			k = i + 1
		}
		c += p[i+2] - pi
		cr[i*n+i+1], cr[(i+1)*n+i], splits[i+1] = c, c, int16(k)
	}
	for j := i + 2; j <= last; j++ {
		lo, hi := 1, 0 // no split: a neighbouring range does not fit, nor does this one
		if b := int(below[j]); k >= 0 && b >= 0 {
			lo, hi = max(k, j+1-half), min(b, i+half)
			if lo > hi { // rounding broke the bounds: try every split
				lo, hi = max(i+1, j+1-half), min(j, i+half)
			}
		}
		c, jn := inf, j*n // cost(m, j) of the level below is at jn + m
		k = infeasible
		for m := lo; m <= hi; m++ {
			if y := left[m-1] + pr[jn+m]; y < c {
				c, k = y, m
			}
		}
		c += p[j+1] - pi
		cr[i*n+j], cr[jn+i], splits[j] = c, c, int16(k)
	}
	for j := last + 1; j <= min(n-1, i+widest); j++ {
		cr[i*n+j], cr[j*n+i], splits[j] = inf, inf, infeasible
	}
}

// dpTables is the memory of the height-limited program: its two levels of costs and its
// splits, kept between profile builds by dpSpare.
type dpTables struct {
	costs []float64
	roots []int16
}

// dpSpare keeps the tables of the last profile build for the next (see spare).
var dpSpare spare[dpTables]

// release gives t to dpSpare, without a table longer than spareLen.
func (t *dpTables) release() {
	if cap(t.costs) > spareLen {
		t.costs = nil
	}
	if cap(t.roots) > spareLen {
		t.roots = nil
	}
	dpSpare.give(t)
}

// grow returns (*buf)[:n], reallocating *buf when it is shorter; the contents are
// unspecified.
func grow[T any](buf *[]T, n int) []T {
	if cap(*buf) < n {
		*buf = make([]T, n)
	}
	return (*buf)[:n]
}
