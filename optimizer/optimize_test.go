package optimizer

import (
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
)

// checkEquivalent optimizes p (balanced, and weighted by a random profile) and compares
// Program.Eval with p.Decide on n generated inputs.
func checkEquivalent(t *testing.T, g *gen, p *ir.Policy, n int) {
	t.Helper()
	for _, o := range randomOptions(g, p) {
		prog, err := Optimize(p, o)
		if err != nil {
			t.Fatalf("Optimize: %v", err)
		}
		checkShape(t, prog)
		for range n {
			d := g.input(p)
			got, _ := prog.Eval(d)
			if want := p.Decide(d); got != want {
				t.Fatalf("weighted=%v: arch %#x nr %#x args %#x: got %v, want %v\npolicy:\n%s",
					o.Weights != nil, d.Arch, uint32(d.Nr), d.Args, got, want, dump(p))
			}
		}
	}
}

// randomOptions returns the options checkEquivalent builds p with: the default, and weights
// of a random profile on one of its arches.
func randomOptions(g *gen, p *ir.Policy) []Options {
	opts := []Options{{}}
	if len(p.Arches) > 0 {
		ap := p.Arches[g.r.IntN(len(p.Arches))]
		w := make(map[uint32]float64)
		for nr := range ap.Rules {
			if g.r.IntN(2) == 0 {
				w[nr] = float64(g.r.IntN(1000))
			}
		}
		w[ap.Arch.NrMask|g.r.Uint32N(100)] = 1
		opts = append(opts, Options{Weights: w, WeightsArch: ap.Arch.Name})
	}
	return opts
}

// checkShape checks the DAG's invariants: no number test below an argument test, number
// tests are JGE (or JEQ, singling out one number), hash-consing holds, and no test has twin targets.
func checkShape(t *testing.T, prog *Program) {
	t.Helper()
	seen := make(map[Node]*Node)
	var walk func(n *Node, belowArgs bool)
	visited := make(map[*Node]bool)
	walk = func(n *Node, belowArgs bool) {
		if visited[n] {
			return
		}
		visited[n] = true
		if other, ok := seen[*n]; ok && other != n {
			t.Fatalf("two distinct nodes %+v", *n)
		}
		seen[*n] = n
		if n.Leaf {
			return
		}
		isArg := n.Load >= program.SeccompDataArgsOffset
		switch {
		case !isArg && belowArgs:
			t.Fatalf("load of %d below an argument test", n.Load)
		case n.Load == program.SeccompDataNrOffset && (n.Op != JGE && n.Op != JEQ || n.HasMask):
			t.Fatalf("number test %+v is not a plain JGE or JEQ", *n)
		case n.Load == program.SeccompDataArchOffset && (n.Op != JEQ || n.HasMask):
			t.Fatalf("arch test %+v is not a plain JEQ", *n)
		case n.True == n.False:
			t.Fatalf("test %+v has twin targets", *n)
		case n.HasMask && (n.Mask == fullWord || n.Op == JSET):
			t.Fatalf("useless mask in %+v", *n)
		}
		walk(n.True, isArg)
		walk(n.False, isArg)
	}
	walk(prog.Root, false)
}

func dump(p *ir.Policy) string {
	var sb strings.Builder
	for _, ap := range p.Arches {
		sb.WriteString(ap.Arch.Name + " default " + ap.Default.String())
		if ap.Newer != nil {
			sb.WriteString(" newer " + ap.Newer.String())
		}
		sb.WriteString("\n")
		for nr, rs := range ap.Rules {
			for _, r := range rs {
				c := "always"
				if r.Cond != nil {
					c = r.Cond.String()
				}
				sb.WriteString("  " + ir.Action.String(r.Action) + " " + itoa(nr) + " if " + c + "\n")
			}
		}
	}
	return sb.String()
}

func itoa(n uint32) string {
	const digits = "0123456789abcdef"
	s := ""
	for {
		s = string(digits[n%16]) + s
		n /= 16
		if n == 0 {
			return "0x" + s
		}
	}
}

func TestOptimizeRandom(t *testing.T) {
	policies := 3000
	if testing.Short() {
		policies = 300
	}
	for seed := range policies {
		g := newGen(rand.NewPCG(uint64(seed), 7))
		checkEquivalent(t, g, g.policy(), 300)
	}
}

func FuzzOptimize(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("x86_64 x32 i386"))
	f.Add([]byte{0xff, 0, 0x40, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Fuzz(func(t *testing.T, data []byte) {
		g := newGen(newByteSource(data))
		checkEquivalent(t, g, g.policy(), 200)
	})
}

// TestOptimizeWeightsFollowTheirArch checks that weights steer the tree of the named arch:
// its audit value is tested first, and its hot syscall comes in fewer steps.
func TestOptimizeWeightsFollowTheirArch(t *testing.T) {
	p := dockerLike()
	bal, err := Optimize(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	hot := uint32(0x40000000 | 202) // futex on x32
	w, err := Optimize(p, Options{Weights: map[uint32]float64{hot: 100}, WeightsArch: "x32"})
	if err != nil {
		t.Fatal(err)
	}
	d := program.SeccompData{Nr: int32(hot), Arch: ir.AuditArchX86_64}
	_, sb := bal.Eval(d)
	_, sw := w.Eval(d)
	// The arch test and at most 4 comparisons: the profile may not make x32's other
	// syscalls slower on average than the balanced tree, which bounds how far futex rises.
	if sw >= sb || sw > 5 {
		t.Errorf("hot x32 futex: %d steps weighted, %d balanced", sw, sb)
	}
	if w.Root.K != ir.AuditArchX86_64 {
		t.Errorf("weighted arch's audit value not tested first: %#x", w.Root.K)
	}
	if _, err := Optimize(p, Options{Weights: map[uint32]float64{1: 1}, WeightsArch: "arm"}); err == nil {
		t.Error("weights for an arch the policy lacks: no error")
	}
	if _, err := Optimize(p, Options{Weights: map[uint32]float64{1: -1}}); err == nil {
		t.Error("negative weight: no error")
	}
}

func TestOptimizeErrors(t *testing.T) {
	x := &ir.ArchPolicy{Arch: archX86_64, Rules: map[uint32][]ir.Rule{}}
	s := &ir.ArchPolicy{Arch: archS390x, Rules: map[uint32][]ir.Rule{}}
	bad := func(c ir.Cond) *ir.Policy {
		return &ir.Policy{Arches: []*ir.ArchPolicy{{Arch: archX86_64, Rules: map[uint32][]ir.Rule{
			1: {{Cond: c, Action: ir.ActAllow, Pos: diag.Pos{File: "p.sc", Line: 3, Col: 5}}}}}}}
	}
	for name, p := range map[string]*ir.Policy{
		"nil":         nil,
		"byte order":  {Arches: []*ir.ArchPolicy{x, s}},
		"nil arch":    {Arches: []*ir.ArchPolicy{nil}},
		"arg 6":       bad(ir.Cmp{Arg: 6, Width: 32, Mask: 1}),
		"width 16":    bad(ir.Cmp{Width: 16, Mask: 1}),
		"op":          bad(ir.Or{ir.Cmp{Width: 32, Mask: 1, Op: 9}}),
		"op in a set": bad(ir.Or{ir.Cmp{Arg: 7, Width: 32, Mask: 1}, ir.Cmp{Arg: 7, Width: 32, Mask: 1}}),
		"nil cond":    bad(ir.And{nil}),
		"action":      bad(ir.Not{X: ir.Const(true)}),
	} {
		if name == "action" {
			p.Arches[0].Default = ir.Action{Kind: 99}
		}
		if _, err := Optimize(p, Options{}); err == nil {
			t.Errorf("%s: no error", name)
		} else if strings.HasPrefix(name, "arg") && !strings.Contains(err.Error(), "p.sc:3:5") {
			t.Errorf("%s: error %q does not name the rule", name, err)
		}
	}
}

// TestOptimizeNoArches: a policy without arches kills every call, as Decide says.
func TestOptimizeNoArches(t *testing.T) {
	prog, err := Optimize(&ir.Policy{BadArch: ir.ActKillProcess}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !prog.Root.Leaf || prog.Root.Action != ir.ActKillProcess {
		t.Errorf("root %+v", *prog.Root)
	}
}

// TestWeightedMatchesCubicDP checks the weighted trees, with and without a height limit,
// against the textbook programs, through the built program's steps.
func TestWeightedMatchesCubicDP(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		n := 1 + r.IntN(30)
		w := make([]float64, n)
		for i := range w {
			if r.IntN(3) > 0 {
				w[i] = float64(r.IntN(100))
			}
			w[i] += 0.01
		}
		b := newBuilder(false, 0)
		spans := make([]span, n)
		for i := range spans {
			spans[i] = span{lo: uint64(i), hi: uint64(i + 1), node: b.leaf(ir.ErrnoAction(uint16(i))), weight: w[i]}
		}
		cost := func(root *Node) float64 {
			var c float64
			for i := range spans {
				d := program.SeccompData{Nr: int32(i)}
				a, steps := (&Program{Root: root}).Eval(d)
				if a != ir.ErrnoAction(uint16(i)) {
					t.Fatalf("span %d decided %v", i, a)
				}
				c += w[i] * float64(steps)
			}
			return c
		}
		// Steps count the comparisons, the cubic programs the comparisons below the root.
		want := cubicOptimum(w)
		if got := cost(b.weighted(spans)); got > want+1e-9 {
			t.Fatalf("weights %v: cost %v, optimum %v", w, got, want)
		}
		if got, lim := cost(b.fromRoots(spans, 0, n-1, 0, limitedRoots(w, minHeight(n)))), cubicLimited(w, minHeight(n)); math.Abs(got-lim) > 1e-9*max(1, lim) {
			t.Fatalf("weights %v: height-limited cost %v, optimum %v", w, got, lim)
		}
	}
}

// cubicOptimum is the textbook O(n³) optimal alphabetic tree cost.
func cubicOptimum(w []float64) float64 {
	n := len(w)
	c := make([][]float64, n)
	for i := range c {
		c[i] = make([]float64, n)
	}
	for d := 1; d < n; d++ {
		for i := 0; i+d < n; i++ {
			j := i + d
			best := -1.0
			for k := i + 1; k <= j; k++ {
				if x := c[i][k-1] + c[k][j]; best < 0 || x < best {
					best = x
				}
			}
			var sum float64
			for _, x := range w[i : j+1] {
				sum += x
			}
			c[i][j] = best + sum
		}
	}
	return c[0][n-1]
}

// TestSortDistinct checks sortDistinct against slices.Sort on dense and sparse sets.
func TestSortDistinct(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	for range 500 {
		set := map[uint32]bool{}
		base, width := r.Uint32(), uint32(1+r.IntN(3000))
		if r.IntN(4) == 0 {
			width = ^uint32(0)
		}
		for range r.IntN(600) {
			set[base+r.Uint32N(width)] = true
		}
		nums := slices.Collect(maps.Keys(set))
		want := slices.Sorted(maps.Keys(set))
		sortDistinct(nums)
		if !slices.Equal(nums, want) {
			t.Fatalf("base %#x width %d: %v, want %v", base, width, nums, want)
		}
	}
}
