package compiler

import (
	"testing"
)

// TestNumberNames: nr=N names the syscall of number N on the arches whose numbers N can be
// (x86_64's without x32's bit, x32's with it, any on the others), by its name where the
// tables know one.
func TestNumberNames(t *testing.T) {
	res := compileOK(t, `policy p {
    arch x86_64, x32, i386
    allow nr=1000, nr=0x400003e8 if arg0 == 1
    allow nr=0 if arch != i386 && fd == 3
}
`)
	for _, ap := range res.Policy.Arches {
		has := func(nr uint32) bool { return len(ap.Rules[nr]) > 0 }
		switch ap.Arch.Name {
		case "x86_64":
			if !has(1000) || has(0x400003e8) || !has(0) {
				t.Errorf("x86_64: rules for %v", ruleNumbers(ap.Rules))
			}
		case "x32":
			if has(1000) || !has(0x400003e8) || has(0) {
				t.Errorf("x32: rules for %v", ruleNumbers(ap.Rules))
			}
		case "i386":
			// Any number is i386's (0 is restart_syscall, which has no fd: the rule
			// leaves i386 out).
			if !has(1000) || !has(0x400003e8) || has(0) {
				t.Errorf("i386: rules for %v", ruleNumbers(ap.Rules))
			}
		}
	}
	// read by number is read: fd is its argument, 32 bits wide.
	r := compileOK(t, "policy p {\n    arch x86_64\n    allow nr=0 if fd == 3\n}\n")
	if c := x86(t, r.Policy).Rules[0]; len(c) != 1 || c[0].Cond == nil || !c[0].Cond.Eval([6]uint64{0xffffffff00000003}) {
		t.Errorf("nr=0 on x86_64: %v, want read's rule on fd's low 32 bits", c)
	}
}

func ruleNumbers[V any](m map[uint32]V) []uint32 {
	var out []uint32
	for k := range m {
		out = append(out, k)
	}
	return out
}
