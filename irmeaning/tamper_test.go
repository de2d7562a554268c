package irmeaning_test

import (
	"testing"

	"github.com/scc-dev/scc/irmeaning"
	"github.com/scc-dev/scc/meaning"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/program/opcode"
)

// TestTamperedPrograms flips each jump constant of a built program in turn: every change
// that changes a decision must come out as a difference whose witness really is decided
// differently by the two programs in the emulator; a change the proof accepts must decide
// alike on the witnesses of the others.
func TestTamperedPrograms(t *testing.T) {
	out, errs := pipeline.BuildFile("../examples/container.sc", pipeline.Options{})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	prog := out.Filter.Program
	be := out.Filter.BigEndian
	orig, _ := program.NewVM(prog, be)
	found := 0
	for pc, ins := range prog {
		if !opcode.IsCondJump(ins.Op) || ins.Op&opcode.X != 0 {
			continue
		}
		bad := append(prog[:0:0], prog...)
		bad[pc].K ^= 1
		diffs, err := irmeaning.Prove(out.Policy, bad, be)
		if err != nil {
			t.Fatal(err)
		}
		vm, err := program.NewVM(bad, be)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range diffs {
			want, _ := orig.Run(d.Witness)
			got, _ := vm.Run(d.Witness)
			if meaning.Normalize(want) != d.Left || meaning.Normalize(got) != d.Right {
				t.Fatalf("pc %d: witness %+v: vm says %#x → %#x, diff says %#x → %#x", pc, d.Witness, want, got, d.Left, d.Right)
			}
		}
		if len(diffs) > 0 {
			found++
		}
	}
	if found == 0 {
		t.Fatal("no tampering was found")
	}
	t.Logf("%d tampered programs differ", found)
}
