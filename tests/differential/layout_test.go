package differential_test

import (
	"testing"

	"github.com/scc-dev/scc/optimizer"
	"github.com/scc-dev/scc/tests/differential"
)

// naiveLength is the length of a program for p's DAG without any jump-range fix: for every
// inner node a load, a mask and a jump at most, and one RET per distinct return value.
func naiveLength(p *optimizer.Program) int {
	seen := map[*optimizer.Node]bool{}
	rets := map[uint32]bool{}
	n := 0
	var walk func(*optimizer.Node)
	walk = func(x *optimizer.Node) {
		if seen[x] {
			return
		}
		seen[x] = true
		if x.Leaf {
			rets[x.Action.Ret()] = true
			return
		}
		n += 2
		if x.HasMask {
			n++
		}
		walk(x.True)
		walk(x.False)
	}
	walk(p.Root)
	return n + len(rets)
}

// maxLayoutGrowth bounds what the backend's jump-range fixes (RET copies, JA trampolines)
// may add to a program, as a share of its naive length.
const maxLayoutGrowth = 1.25

// TestLayoutSettles guards against the backend's layout growing a program in passes that
// never settle: a RET copy placed at the very edge of a jump's reach was pushed out by the
// next insertion, and the program of a 365-node DAG grew to over 4096 instructions (fixed
// in backend/layout.go with standSlack). On large random policies, the emitted program must
// stay within maxLayoutGrowth of its naive length.
func TestLayoutSettles(t *testing.T) {
	r := newRand(7, 0x1a7)
	cfg := differential.Config{Arches: arches(t, "x86_64", "i386", "x32"), Syscalls: 25}
	worst := 0.0
	for i := range 40 {
		p := differential.Policy(r, cfg)
		prog, err := optimizer.Optimize(p, optimizer.Options{Balanced: i%2 == 0})
		if err != nil {
			t.Fatal(err)
		}
		naive := naiveLength(prog)
		f, err := compile(p, optimizer.Options{Balanced: i%2 == 0})
		if err != nil {
			if naive*5/4 < 4096 {
				t.Fatalf("policy %d: naive length %d, but %v", i, naive, err)
			}
			continue
		}
		growth := float64(len(f.Program)) / float64(naive)
		worst = max(worst, growth)
		if growth > maxLayoutGrowth {
			t.Errorf("policy %d: %d instructions for a naive length of %d", i, len(f.Program), naive)
		}
	}
	t.Logf("worst growth %.3f", worst)
}
