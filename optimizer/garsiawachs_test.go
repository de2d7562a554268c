package optimizer

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAlphabeticDepthsOptimal checks Garsia–Wachs against Knuth's program: the tree its
// depths give holds every leaf in order and costs what the optimal tree costs, on random
// weights with zeros, ties and wide ranges.
func TestAlphabeticDepthsOptimal(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 13))
	for iter := range 5000 {
		n := 1 + r.IntN(60)
		if iter%50 == 0 {
			n = 200 + r.IntN(400)
		}
		w := randomWeights(r, n)
		if iter%3 == 0 {
			for i := range w {
				w[i] = math.Exp(r.NormFloat64() * 4)
			}
		}
		depths := alphabeticDepths(w)
		got, _ := treeCost(w, depthRoots(depths))
		var want float64
		if n > 1 {
			want, _ = treeCost(w, ignoreDepth(knuthRoots(w)))
		}
		if math.Abs(got-want) > 1e-9*math.Max(1, want) {
			t.Fatalf("n=%d %v: Garsia–Wachs costs %v, optimum %v", n, w, got, want)
		}
		var direct float64
		for i, d := range depths {
			direct += w[i] * float64(d)
		}
		if math.Abs(direct-got) > 1e-9*math.Max(1, got) {
			t.Fatalf("n=%d: depths cost %v, their tree %v", n, direct, got)
		}
	}
}

// knuthRoots, the reference for alphabeticDepths, solves the optimal alphabetic search
// tree over leaves of weights w: cost(i, j) = W(i, j) + min over i < k <= j of cost(i, k-1) + cost(k, j). Knuth's monotonicity of the
// best split, root(i, j-1) <= root(i, j) <= root(i+1, j), makes it O(n²). The ranges are
// solved row by row from the last (i descending, j ascending): row i's costs are read from a
// single row, and the costs cost(k, j) of the rows below from column j, stored column by
// column, so that the inner loop reads both sequentially.
func knuthRoots(w []float64) func(i, j int) int {
	n := len(w)
	p := prefixSums(w)
	t := newPairTable(n)
	root := make([]int16, t.size)
	cols, row := make([]float64, n*(n+1)/2), make([]float64, n)
	for j := range n {
		cols[column(j)+j] = 0 // cost(j, j); every other cost is written before it is read
	}
	for i := n - 2; i >= 0; i-- {
		r := t.row[i]
		row[i] = 0
		for j := i + 1; j < n; j++ {
			lo, hi := i+1, j
			if j > i+1 {
				lo, hi = int(root[r+j-1]), int(root[t.row[i+1]+j])
			}
			col := cols[column(j) : column(j)+j+1]
			best, bestK := math.Inf(1), lo
			for k := lo; k <= hi; k++ {
				if c := row[k-1] + col[k]; c < best {
					best, bestK = c, k
				}
			}
			c := best + p[j+1] - p[i]
			row[j], col[i] = c, c
			root[r+j] = int16(bestK)
		}
	}
	return func(i, j int) int { return int(root[t.row[i]+j]) }
}

// ignoreDepth adapts a split function that does not depend on the depth.
func ignoreDepth(root func(i, j int) int) splitChooser {
	return func(i, j, _ int) int { return root(i, j) }
}

// column is where column j of a lower-triangular table stored column by column starts:
// (k, j), k <= j, is at column(j) + k.
func column(j int) int { return j * (j + 1) / 2 }
