//go:build linux && cgo

package libseccomp

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/moby/profiles/seccomp"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/irmeaning"
	"github.com/scc-dev/scc/meaning"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/tests/differential"
)

// TestMeaningOfLibseccompPrograms checks the meaning engine on libseccomp's programs for
// random policies: the program's meaning decides as the emulator runs the program on
// random calls, and every difference the engine finds between the program and the policy
// is real: its witness gets the claimed decisions from the emulator and from ir's Decide.
func TestMeaningOfLibseccompPrograms(t *testing.T) {
	policies := 40
	if testing.Short() {
		policies = 10
	}
	equal, differ := 0, 0
	for si, set := range archSets {
		for _, opt := range []int{OptimizeLinear, OptimizeBinaryTree} {
			r := rand.New(rand.NewPCG(uint64(si)+100, uint64(opt)))
			for range policies {
				p := RandomPolicy(r, arches(t, set...)...)
				prog, err := Build(p, Options{Optimize: opt})
				if err != nil {
					t.Fatalf("Build: %v", err)
				}
				s := meaning.NewSpace()
				got, err := s.Program(prog, false)
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range differential.Calls(r, p, 200) {
					if want := meaning.Normalize(mustRun(t, prog, d)); s.Eval(got, d) != want {
						t.Fatalf("%v: meaning says %#x, the emulator %#x", d, s.Eval(got, d), want)
					}
				}
				want, err := irmeaning.Policy(s, p)
				if err != nil {
					t.Fatal(err)
				}
				diffs, err := s.Diff(want, got)
				if err != nil {
					t.Fatal(err)
				}
				if len(diffs) == 0 {
					equal++
				} else {
					differ++
				}
				for _, d := range diffs {
					w := d.Witness
					if l, r := meaning.Normalize(p.Decide(w).Ret()), meaning.Normalize(mustRun(t, prog, w)); l != d.Left || r != d.Right {
						t.Fatalf("witness %+v: Decide %#x, libseccomp %#x; the diff says %#x, %#x", w, l, r, d.Left, d.Right)
					}
				}
			}
		}
	}
	t.Logf("%d programs mean their policy, %d differ (libseccomp's known miscompilations)", equal, differ)
	if equal == 0 {
		t.Error("no program was found equal to its policy")
	}
}

// TestMeaningOfDockerDefault analyses libseccomp's build of Docker's default profile and
// checks its meaning against the emulator on random calls.
func TestMeaningOfDockerDefault(t *testing.T) {
	data, err := json.Marshal(seccomp.DefaultProfile())
	if err != nil {
		t.Fatal(err)
	}
	for _, opt := range []int{OptimizeLinear, OptimizeBinaryTree} {
		prog, err := BuildProfile(data, "amd64", nil, "6.1", opt)
		if err != nil {
			t.Fatal(err)
		}
		s := meaning.NewSpace()
		m, err := s.Program(prog, false)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("optimize %d: %d instructions, %d nodes", opt, len(prog), s.Size(m))
		r := rand.New(rand.NewPCG(7, uint64(opt)))
		x86, _ := Arch("x86_64")
		i386, _ := Arch("i386")
		for range 50000 {
			d := program.SeccompData{Arch: x86.Audit, Nr: int32(r.IntN(480))}
			if r.IntN(3) == 0 {
				d.Arch = i386.Audit
			}
			for i := range d.Args {
				d.Args[i] = []uint64{0, 8, 0x20000, 0x7e020000, r.Uint64(), uint64(r.Uint32()), 1 << r.IntN(64)}[r.IntN(7)]
			}
			if got, want := s.Eval(m, d), meaning.Normalize(mustRun(t, prog, d)); got != want {
				t.Fatalf("%+v: meaning %v, emulator %v", d, ir.ActionFromRet(got), ir.ActionFromRet(want))
			}
		}
	}
}
