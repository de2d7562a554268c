package optimizer

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
)

// cubicLimited is the textbook O(n³ L) optimal alphabetic tree cost among trees of height at
// most limit, without monotonicity.
func cubicLimited(w []float64, limit int) float64 {
	return cubicLimitedNeed(w, limit, nil)
}

// cubicLimitedNeed is cubicLimited with leaf i at most limit - need[i] deep (need may be
// nil): infinite when no tree keeps the bounds.
func cubicLimitedNeed(w []float64, limit int, need []int) float64 {
	n := len(w)
	p := prefixSums(w)
	leaf := func(h, i int) float64 {
		if need != nil && h < need[i] {
			return math.Inf(1)
		}
		return 0
	}
	prev := make([][]float64, n)
	for i := range prev {
		prev[i] = make([]float64, n)
		prev[i][i] = leaf(0, i)
		for j := i + 1; j < n; j++ {
			prev[i][j] = math.Inf(1)
		}
	}
	for h := 1; h <= limit; h++ {
		cur := make([][]float64, n)
		for i := range cur {
			cur[i] = make([]float64, n)
			cur[i][i] = leaf(h, i)
		}
		for d := 1; d < n; d++ {
			for i := 0; i+d < n; i++ {
				j := i + d
				best := math.Inf(1)
				for k := i + 1; k <= j; k++ {
					best = min(best, prev[i][k-1]+prev[k][j])
				}
				cur[i][j] = best + p[j+1] - p[i]
			}
		}
		prev = cur
	}
	return prev[0][n-1]
}

// treeCost returns sum of w[i] × depth of leaf i in the tree root() describes, and its height.
func treeCost(w []float64, root splitChooser) (cost float64, height int) {
	var walk func(i, j, depth int)
	walk = func(i, j, depth int) {
		if i == j {
			cost += w[i] * float64(depth)
			height = max(height, depth)
			return
		}
		k := root(i, j, depth)
		if k <= i || k > j {
			panic("split out of range")
		}
		walk(i, k-1, depth+1)
		walk(k, j, depth+1)
	}
	walk(0, len(w)-1, 0)
	return cost, height
}

func randomWeights(r *rand.Rand, n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		switch r.IntN(4) {
		case 0:
			w[i] = 0
		case 1:
			w[i] = float64(r.IntN(1000))
		default:
			w[i] = float64(r.IntN(10))
		}
	}
	return w
}

func TestLimitedRootsMatchesCubicDP(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 2000 {
		n := 1 + r.IntN(40)
		w := randomWeights(r, n)
		limit := minHeight(n) + r.IntN(4)
		got, height := treeCost(w, limitedRoots(w, limit))
		want := cubicLimited(w, limit)
		if height > limit {
			t.Fatalf("weights %v, limit %d: height %d", w, limit, height)
		}
		if math.Abs(got-want) > 1e-6*max(1, want) {
			t.Fatalf("weights %v, limit %d: cost %v, optimum %v", w, limit, got, want)
		}
	}
}

func TestMinHeight(t *testing.T) {
	for n, want := range map[int]int{1: 0, 2: 1, 3: 2, 4: 2, 5: 3, 256: 8, 257: 9} {
		if got := minHeight(n); got != want {
			t.Errorf("minHeight(%d) = %d, want %d", n, got, want)
		}
	}
}

// TestProfiledNoWorseThanBalanced checks profiled's promise on random spans: under the tree it
// picks, the profiled arch's syscalls take no more comparisons on average than under the
// balanced tree, the other arch's at most profileTolerance more, and no syscall of either
// more than the most the balanced tree takes for one of its arch.
func TestProfiledNoWorseThanBalanced(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	b := newBuilder(false, 0)
	for range 300 {
		n := 2 + r.IntN(200)
		spans := make([]span, n)
		tables := [][]float64{make([]float64, n), make([]float64, n)}
		profile := randomWeights(r, n)
		for i := range spans {
			spans[i] = span{lo: uint64(i), hi: uint64(i + 1), node: b.leaf(ir.ErrnoAction(uint16(i)))}
			tables[r.IntN(2)][i] = float64(r.IntN(2))
		}
		if sum(profile) == 0 {
			profile[0] = 1
		}
		balanced := b.balanced(spans)
		root := b.profiled(spans, profile, tables, 0)
		for a, tab := range tables {
			got, bal := nodeDepthCost(root, tab), nodeDepthCost(balanced, tab)
			if a != 0 {
				bal += profileTolerance * sum(tab)
			}
			if got > bal+1e-9 {
				t.Fatalf("arch %d: depth cost %v, bound %v", a, got, bal)
			}
			if got, bal := nodeMaxDepth(root, tab), nodeMaxDepth(balanced, tab); got > bal {
				t.Fatalf("arch %d: most comparisons %d, balanced %d", a, got, bal)
			}
		}
	}
}

// nodeMaxDepth is the most comparisons the span tree root over numbers 0..len(w)-1 takes to
// decide a number of positive weight.
func nodeMaxDepth(root *Node, w []float64) int {
	most := 0
	for nr, x := range w {
		if x > 0 {
			_, steps := (&Program{Root: root}).Eval(program.SeccompData{Nr: int32(nr)})
			most = max(most, steps)
		}
	}
	return most
}

// nodeDepthCost is sum of w[nr] × comparisons to decide nr, for the span tree root over
// numbers 0..len(w)-1.
func nodeDepthCost(root *Node, w []float64) float64 {
	var c float64
	for nr, x := range w {
		_, steps := (&Program{Root: root}).Eval(program.SeccompData{Nr: int32(nr)})
		c += x * float64(steps)
	}
	return c
}

func TestDockerLikeProfileNoWorse(t *testing.T) {
	p := dockerLike()
	bal, err := Optimize(p, Options{Balanced: true})
	if err != nil {
		t.Fatal(err)
	}
	wt, err := Optimize(p, Options{Weights: hotMix})
	if err != nil {
		t.Fatal(err)
	}
	for _, ap := range p.Arches[:2] { // x86_64 and x32, which the profile's tree serves
		var sb, sw, hb, hw float64
		for nr := range ap.Names {
			d := program.SeccompData{Arch: ir.AuditArchX86_64, Nr: int32(nr)}
			_, b := bal.Eval(d)
			_, w := wt.Eval(d)
			sb, sw = sb+float64(b), sw+float64(w)
			if h := hotMix[nr]; h > 0 {
				hb, hw = hb+h*float64(b), hw+h*float64(w)
			}
		}
		if sw > sb {
			t.Errorf("%s: profile's tree takes %v comparisons in all, balanced %v", ap.Arch.Name, sw, sb)
		}
		if ap.Arch.Name == "x86_64" && hw >= 0.6*hb {
			t.Errorf("hot mix: %v weighted comparisons with the profile, %v balanced", hw, hb)
		}
	}
}

// BenchmarkTreeDP times the tree algorithms on n spans of random weights: the dynamic program
// with the height limit of a profile build (limited/n), and with per-leaf bounds too, mostly
// one or no level, as Docker's default profile has (need/n); and Garsia–Wachs without a limit
// (optimal/n, what default builds run). -benchmem shows their memory.
func BenchmarkTreeDP(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{161, 256, 512, 1536} {
		w := randomWeights(r, n)
		if n <= maxLimitedSpans {
			b.Run(fmt.Sprintf("limited/%d", n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					limitedRoots(w, minHeight(n)+profileSlack)
				}
			})
			need := make([]int, n)
			for i := range need {
				need[i] = [...]int{0, 0, 0, 1, 1, 1, 2, 3}[r.IntN(8)] * r.IntN(2)
			}
			b.Run(fmt.Sprintf("need/%d", n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					limitedTrees(w, minHeight(n)+profileSlack, need, new(dpTables))
				}
			})
		}
		b.Run(fmt.Sprintf("optimal/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				depthRoots(alphabeticDepths(w))
			}
		})
	}
}

// TestLimitedTreesNeed checks the per-leaf bounds of limitedTrees: every tree it returns
// for height limit h keeps leaf i within h - need[i] of the root at the least cost the cubic
// program finds under the same bounds, and without bounds it returns limitedRoots' trees.
func TestLimitedTreesNeed(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for range 1000 {
		n := 2 + r.IntN(40)
		w := randomWeights(r, n)
		limit := minHeight(n) + r.IntN(3)
		need := make([]int, n)
		for i := range need {
			if r.IntN(4) == 0 {
				need[i] = r.IntN(limit + 1)
			}
		}
		trees := limitedTrees(w, limit, need, new(dpTables))
		for h := minHeight(n); h <= limit; h++ {
			root := trees(h)
			want := cubicLimitedNeed(w, h, need)
			if root == nil {
				if !math.IsInf(want, 1) {
					t.Fatalf("n=%d limit=%d height %d need %v: no tree, optimum %v", n, limit, h, need, want)
				}
				continue
			}
			if got, _ := treeCost(w, root); math.Abs(got-want) > 1e-6*max(1, want) {
				t.Fatalf("n=%d limit=%d height %d need %v: cost %v, optimum %v", n, limit, h, need, got, want)
			}
			var walk func(i, j, depth int)
			walk = func(i, j, depth int) {
				if i == j {
					if depth > h-need[i] {
						t.Fatalf("n=%d limit=%d height %d: leaf %d at depth %d, need %d", n, limit, h, i, depth, need[i])
					}
					return
				}
				k := root(i, j, depth)
				walk(i, k-1, depth+1)
				walk(k, j, depth+1)
			}
			walk(0, n-1, 0)
		}
		free, _ := treeCost(w, limitedTrees(w, limit, nil, new(dpTables))(limit))
		want, _ := treeCost(w, limitedRoots(w, limit))
		if math.Abs(free-want) > 1e-9*want {
			t.Fatalf("n=%d: cost %v without bounds, limitedRoots %v", n, free, want)
		}
	}
}

// limitedRoots is the tree of limitedTrees for height limit, without per-leaf bounds.
func limitedRoots(w []float64, limit int) splitChooser {
	return limitedTrees(w, limit, nil, new(dpTables))(limit)
}
