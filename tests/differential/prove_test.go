package differential_test

import (
	"fmt"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/bench"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/irmeaning"
	"github.com/scc-dev/scc/meaning"
	"github.com/scc-dev/scc/optimizer"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/tests/differential"
)

// proved fails the test unless the program decides exactly as the policy on every input; a
// difference is reported with its witness, checked against the emulator and Decide.
func proved(t testing.TB, p *ir.Policy, prog []bpf.RawInstruction, bigEndian bool) {
	t.Helper()
	diffs, err := irmeaning.Prove(p, prog, bigEndian)
	if err != nil {
		t.Fatalf("proving: %v", err)
	}
	if len(diffs) == 0 {
		return
	}
	d := diffs[0]
	t.Fatalf("%d regions differ; first: arch %#x nr %#x..%#x: policy %v, program %v, witness %s (Decide %v)%s",
		len(diffs), d.ArchLo, d.NrLo, d.NrHi, ir.ActionFromRet(d.Left), ir.ActionFromRet(d.Right),
		describeCall(d.Witness), p.Decide(d.Witness), describePolicy(p))
}

// FuzzProve proves the build of a seeded random policy (as FuzzPipeline draws them) on every
// input, not only on sampled calls.
func FuzzProve(f *testing.F) {
	for _, seed := range []string{"", "scc", "x32", "\x02 three arches", "\x05big-endian", "\x81weighted"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, fl, _ := fuzzBuild(t, data)
		proved(t, p, fl.Program, fl.BigEndian)
	})
}

// TestProveRandomPolicies proves the builds of many random policies, on every arch set.
func TestProveRandomPolicies(t *testing.T) {
	n := 60
	if testing.Short() {
		n = 15
	}
	for si, set := range fuzzSets {
		t.Run(fmt.Sprint(set), func(t *testing.T) {
			r := newRand(uint64(si), 99)
			for i := range n {
				p := differential.Policy(r, differential.Config{Arches: arches(t, set...), Syscalls: 1 + r.IntN(30)})
				fl, err := compile(p, optimizer.Options{Balanced: i%2 == 0})
				if tooLarge(err) {
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				proved(t, p, fl.Program, fl.BigEndian)
			}
		})
	}
}

// TestProveBenchmarkPolicies proves every benchmark policy's build (Docker's default
// profile, the examples, the large generated policy), and that a tampered build is caught.
func TestProveBenchmarkPolicies(t *testing.T) {
	cases, err := bench.Cases("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			out, errs := pipeline.BuildSource(c.File, c.Source, pipeline.Options{})
			if errs.HasErrors() {
				t.Fatal(errs)
			}
			proved(t, out.Policy, out.Filter.Program, out.Filter.BigEndian)
			s := meaning.NewSpace()
			m, err := s.Program(out.Filter.Program, out.Filter.BigEndian)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d instructions, %d nodes", len(out.Filter.Program), s.Size(m))
		})
	}
}
