//go:build linux && cgo

package libseccomp

import (
	"math/rand/v2"
	"testing"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/optimizer"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/tests/differential"
	"golang.org/x/net/bpf"
)

// TestNeverLargerThanLibseccompTree builds generated small policies, on one arch and on
// x86_64, i386 and x32, with scc and with libseccomp's binary tree: scc's program is never
// longer than libseccomp's (unless libseccomp's decides wrongly, which can save it a load:
// see TestLibseccompMiscompilation), and decides as the policy does.
func TestNeverLargerThanLibseccompTree(t *testing.T) {
	sets := [][]ir.Arch{arches(t, "x86_64", "i386", "x32"), arches(t, "x86_64"), arches(t, "i386")}
	policies := 300
	if testing.Short() {
		policies = 60
	}
	built := 0
	for seed := range uint64(policies) {
		for i, as := range sets {
			r := rand.New(rand.NewPCG(seed, uint64(i)))
			p := SmallPolicy(r, 1+r.IntN(5), as...)
			lib, err := Build(p, Options{Optimize: OptimizeBinaryTree})
			if err != nil {
				continue // outside what libseccomp expresses
			}
			op, err := optimizer.Optimize(p, optimizer.Options{})
			if err != nil {
				t.Fatal(err)
			}
			prog, err := backend.Emit(op)
			if err != nil {
				t.Fatal(err)
			}
			built++
			calls := differential.Calls(r, p, 200)
			if len(prog) > len(lib) && !miscompiled(t, p, lib, calls) {
				t.Errorf("seed %d, arches %s: scc %d instructions, libseccomp's tree %d", seed, as[0].Name, len(prog), len(lib))
			}
			f, err := backend.Build(op)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range calls {
				if got, want := mustRun(t, f.Program, d), p.Decide(d).Ret(); got != want {
					t.Fatalf("seed %d: %s: scc %#x, policy %#x", seed, describe(p, d, got, want), got, want)
				}
			}
		}
	}
	if built < policies {
		t.Errorf("only %d of %d policies built by libseccomp", built, 3*policies)
	}
}

// miscompiled tells whether libseccomp's program decides one of calls otherwise than p.
func miscompiled(t *testing.T, p *ir.Policy, lib []bpf.RawInstruction, calls []program.SeccompData) bool {
	for _, d := range calls {
		if mustRun(t, lib, d) != p.Decide(d).Ret() {
			return true
		}
	}
	return false
}
