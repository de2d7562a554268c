package optimizer

import (
	"math/rand/v2"
	"testing"

	"github.com/scc-dev/scc/program"
)

// TestPassesOff builds generated policies with each pass switched off, and with all of them
// off, and checks that every program decides as the policy does and as the default build
// does.
func TestPassesOff(t *testing.T) {
	policies := 600
	if testing.Short() {
		policies = 100
	}
	var all pass
	for _, ps := range passes {
		all |= ps.pass
	}
	offs := []struct {
		name string
		off  pass
	}{{"all", all}}
	for _, ps := range passes {
		offs = append(offs, struct {
			name string
			off  pass
		}{ps.name, ps.pass})
	}
	for seed := range policies {
		g := newGen(rand.NewPCG(uint64(seed), 11))
		p := g.policy()
		for _, o := range randomOptions(g, p) {
			def, err := Optimize(p, o)
			if err != nil {
				t.Fatalf("Optimize: %v", err)
			}
			for _, off := range offs {
				prog, err := optimize(p, o, off.off)
				if err != nil {
					t.Fatalf("%s off: %v", off.name, err)
				}
				for range 100 {
					d := g.input(p)
					got, _ := prog.Eval(d)
					want, _ := def.Eval(d)
					if ref := p.Decide(d); got != want || got != ref {
						t.Fatalf("%s off, weighted=%v: arch %#x nr %#x args %#x: got %v, default build %v, policy %v\npolicy:\n%s",
							off.name, o.Weights != nil, d.Arch, uint32(d.Nr), d.Args, got, want, ref, dump(p))
					}
				}
			}
		}
	}
}

// TestPassesDoWork checks that each pass changes the DAG of a policy it applies to, and only
// in its own way: without hash-consing there are more nodes and leaves; without carve and
// chains, no equality test on the number; without chains, more nodes; without jset, no JSET.
func TestPassesDoWork(t *testing.T) {
	p := heavy()
	count := func(off pass) (nodes, leaves, numberEQ, jset int) {
		prog, err := optimize(p, Options{}, off)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[*Node]bool{}
		var walk func(n *Node)
		walk = func(n *Node) {
			if seen[n] {
				return
			}
			seen[n] = true
			switch {
			case n.Leaf:
				leaves++
				return
			case n.Load == program.SeccompDataNrOffset && n.Op == JEQ:
				numberEQ++
			case n.Op == JSET:
				jset++
			}
			nodes++
			walk(n.True)
			walk(n.False)
		}
		walk(prog.Root)
		return nodes, leaves, numberEQ, jset
	}
	nodes, leaves, eqs, jsets := count(0)
	if eqs == 0 || jsets == 0 {
		t.Fatalf("default build: %d number equality tests, %d JSET; want some of each", eqs, jsets)
	}
	if n, l, _, _ := count(passHashCons); n <= nodes || l <= leaves {
		t.Errorf("hash-cons off: %d nodes, %d leaves; want more than %d, %d", n, l, nodes, leaves)
	}
	if _, _, e, j := count(passCarve | passChain); e != 0 || j != jsets {
		t.Errorf("carve and chain off: %d number equality tests, %d JSET; want 0, %d", e, j, jsets)
	}
	if n, _, _, _ := count(passChain); n <= nodes {
		t.Errorf("chain off: %d nodes; want more than %d", n, nodes)
	}
	if _, _, e, j := count(passJSET); j != 0 || e != eqs {
		t.Errorf("jset off: %d JSET, %d number equality tests; want 0, %d", j, e, eqs)
	}
}
