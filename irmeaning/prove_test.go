package irmeaning_test

import (
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/scc-dev/scc/irmeaning"
	"github.com/scc-dev/scc/meaning"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/program"
)

// TestProveExamples proves every example policy's build, and checks the meanings against
// the emulator and the IR's own semantics on random calls.
func TestProveExamples(t *testing.T) {
	files, _ := filepath.Glob("../examples/*.sc")
	if len(files) == 0 {
		t.Fatal("no examples")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			out, errs := pipeline.BuildFile(f, pipeline.Options{})
			if errs.HasErrors() {
				t.Fatal(errs)
			}
			diffs, err := irmeaning.Prove(out.Policy, out.Filter.Program, out.Filter.BigEndian)
			if err != nil {
				t.Fatal(err)
			}
			if len(diffs) != 0 {
				t.Fatalf("build differs from its policy: %+v", diffs[0])
			}
			s := meaning.NewSpace()
			pm, err := irmeaning.Policy(s, out.Policy)
			if err != nil {
				t.Fatal(err)
			}
			vm, err := program.NewVM(out.Filter.Program, out.Filter.BigEndian)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewSource(1))
			for range 20000 {
				d := randomCall(rng, out.Policy.Arches[rng.Intn(len(out.Policy.Arches))].Arch.Audit)
				ret, _ := vm.Run(d)
				want := meaning.Normalize(out.Policy.Decide(d).Ret())
				if got := s.Eval(pm, d); got != want || meaning.Normalize(ret) != want {
					t.Fatalf("%+v: meaning %#x, vm %#x, Decide %#x", d, got, ret, want)
				}
			}
		})
	}
	_ = os.Stdout
}

// randomCall is a call of the given arch with numbers and arguments drawn to hit edges.
func randomCall(rng *rand.Rand, audit uint32) program.SeccompData {
	d := program.SeccompData{Arch: audit, Nr: int32(rng.Intn(500))}
	switch rng.Intn(10) {
	case 0:
		d.Arch = rng.Uint32()
	case 1:
		d.Nr = int32(rng.Uint32())
	case 2:
		d.Nr = int32(0x40000000 + rng.Intn(600))
	case 3:
		d.Nr = -1
	}
	for i := range d.Args {
		switch rng.Intn(4) {
		case 0:
			d.Args[i] = uint64(rng.Intn(64))
		case 1:
			d.Args[i] = rng.Uint64()
		case 2:
			d.Args[i] = uint64(rng.Uint32())
		case 3:
			d.Args[i] = 1 << rng.Intn(64)
		}
	}
	return d
}
