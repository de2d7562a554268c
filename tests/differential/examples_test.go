package differential_test

import (
	"path/filepath"
	"testing"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/tests/differential"
)

// randomArgCalls is how many calls with random arguments each syscall number gets.
const randomArgCalls = 4

// TestExamples builds every shipped example and, on each of its arches, compares the
// program with Decide for every number of the arch's table and a few above it, with zero
// arguments and with random ones (near the rules' constants). The examples' own expect
// lines must hold in the emulator too.
func TestExamples(t *testing.T) {
	files, err := filepath.Glob("../../examples/*.sc")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples found: %v", err)
	}
	for fi, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			out, errs := pipeline.BuildFile(file, pipeline.Options{})
			if errs.HasErrors() {
				t.Fatalf("%v", errs)
			}
			r := newRand(uint64(fi), 0xe8)
			for _, ap := range out.Policy.Arches {
				agreeWithDecide(t, out.Policy, out.Filter, tableCalls(ap, func(nr uint32) []program.SeccompData {
					return differential.CallsFor(r, ap, nr, randomArgCalls)
				}))
			}
			for _, ex := range out.Expects {
				d := ex.Data
				if got := emulate(t, out.Filter, d); ir.ActionFromRet(got) != ex.Want {
					t.Errorf("%s: expect %s => %v, the program says %v", ex.Pos, ex.Text, ex.Want, ir.ActionFromRet(got))
				}
			}
		})
	}
}

// tableCalls lists, for every number of ap's table and 16 above its highest, a call with
// zero arguments and the calls more(nr) returns.
func tableCalls(ap *ir.ArchPolicy, more func(nr uint32) []program.SeccompData) []program.SeccompData {
	var out []program.SeccompData
	for nr := ap.Arch.NrMask; nr <= ap.MaxKnown+16; nr++ {
		out = append(out, program.SeccompData{Nr: int32(nr), Arch: ap.Arch.Audit})
		out = append(out, more(nr)...)
	}
	return out
}
