package emulator

import (
	"errors"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/ir"
)

func asm(t *testing.T, insns ...bpf.Instruction) []bpf.RawInstruction {
	t.Helper()
	raw, err := bpf.Assemble(insns)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

var sample = ir.SeccompData{
	Nr:                 257,
	Arch:               ir.AuditArchX86_64,
	InstructionPointer: 0x1122334455667788,
	Args:               [6]uint64{0xaaaaaaaa_00000001, 2, 3, 4, 5, 0xdeadbeef_cafef00d},
}

func TestLoads(t *testing.T) {
	for _, tc := range []struct {
		name string
		off  uint32
		big  bool
		want uint32
	}{
		{"nr", 0, false, 257},
		{"arch", 4, false, ir.AuditArchX86_64},
		{"ip low", 8, false, 0x55667788},
		{"ip high", 12, false, 0x11223344},
		{"arg0 low", 16, false, 1},
		{"arg0 high", 20, false, 0xaaaaaaaa},
		{"arg5 low", 56, false, 0xcafef00d},
		{"arg5 high", 60, false, 0xdeadbeef},
		{"big-endian nr", 0, true, 257},
		{"big-endian arg0 high", 16, true, 0xaaaaaaaa},
		{"big-endian arg0 low", 20, true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prog := asm(t, bpf.LoadAbsolute{Off: tc.off, Size: 4}, bpf.RetA{})
			ret, steps, err := Run(prog, sample, tc.big)
			if err != nil || ret != tc.want || steps != 2 {
				t.Errorf("Run = %#x, %d, %v; want %#x, 2, nil", ret, steps, err, tc.want)
			}
		})
	}
}

func TestALU(t *testing.T) {
	for _, tc := range []struct {
		name string
		op   bpf.ALUOp
		a, k uint32
		want uint32
	}{
		{"add wraps", bpf.ALUOpAdd, 0xffffffff, 2, 1},
		{"sub wraps", bpf.ALUOpSub, 1, 2, 0xffffffff},
		{"mul", bpf.ALUOpMul, 0x10000, 0x10000, 0},
		{"div unsigned", bpf.ALUOpDiv, 0xfffffffe, 2, 0x7fffffff},
		{"or", bpf.ALUOpOr, 0xf0, 0x0f, 0xff},
		{"and", bpf.ALUOpAnd, 0xf0, 0x3c, 0x30},
		{"xor", bpf.ALUOpXor, 0xff, 0x0f, 0xf0},
		{"lsh", bpf.ALUOpShiftLeft, 1, 31, 0x80000000},
		{"rsh logical", bpf.ALUOpShiftRight, 0x80000000, 31, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := asm(t, bpf.LoadConstant{Dst: bpf.RegA, Val: tc.a}, bpf.ALUOpConstant{Op: tc.op, Val: tc.k}, bpf.RetA{})
			x := asm(t, bpf.LoadConstant{Dst: bpf.RegA, Val: tc.a}, bpf.LoadConstant{Dst: bpf.RegX, Val: tc.k},
				bpf.ALUOpX{Op: tc.op}, bpf.RetA{})
			for _, prog := range [][]bpf.RawInstruction{k, x} {
				if ret, _, err := Run(prog, sample, false); err != nil || ret != tc.want {
					t.Errorf("Run = %#x, %v; want %#x", ret, err, tc.want)
				}
			}
		})
	}
}

func TestNegScratchAndRegisters(t *testing.T) {
	prog := asm(t,
		bpf.LoadConstant{Dst: bpf.RegA, Val: 5},
		bpf.NegateA{},
		bpf.StoreScratch{Src: bpf.RegA, N: 15},
		bpf.LoadConstant{Dst: bpf.RegA, Val: 0},
		bpf.LoadScratch{Dst: bpf.RegX, N: 15},
		bpf.TXA{},
		bpf.ALUOpConstant{Op: bpf.ALUOpAdd, Val: 6},
		bpf.TAX{},
		bpf.StoreScratch{Src: bpf.RegX, N: 0},
		bpf.LoadScratch{Dst: bpf.RegA, N: 0},
		bpf.RetA{},
	)
	if ret, steps, err := Run(prog, sample, false); err != nil || ret != 1 || steps != 11 {
		t.Errorf("Run = %d, %d, %v; want 1, 11, nil", ret, steps, err)
	}
}

func TestLen(t *testing.T) {
	prog := []bpf.RawInstruction{{Op: 0x81}, {Op: 0x07 | 0x80}, {Op: 0x80}, {Op: 0x0c}, {Op: 0x16}}
	// X = len; A = X; A = len; A += X; return A
	if ret, _, err := Run(prog, sample, false); err != nil || ret != 128 {
		t.Errorf("Run = %d, %v; want 128", ret, err)
	}
}

func TestShiftByXUsesLowBits(t *testing.T) {
	prog := asm(t, bpf.LoadConstant{Dst: bpf.RegA, Val: 1}, bpf.LoadConstant{Dst: bpf.RegX, Val: 33},
		bpf.ALUOpX{Op: bpf.ALUOpShiftLeft}, bpf.RetA{})
	if ret, _, err := Run(prog, sample, false); err != nil || ret != 2 {
		t.Errorf("Run = %d, %v; want 2", ret, err)
	}
}

func TestDivByXZeroReturnsZero(t *testing.T) {
	prog := asm(t, bpf.LoadConstant{Dst: bpf.RegA, Val: 7}, bpf.LoadConstant{Dst: bpf.RegX, Val: 0},
		bpf.ALUOpX{Op: bpf.ALUOpDiv}, bpf.RetConstant{Val: ir.RetAllow})
	ret, steps, err := Run(prog, sample, false)
	if err != nil || ret != 0 || steps != 3 {
		t.Errorf("Run = %#x, %d, %v; want 0, 3, nil", ret, steps, err)
	}
}

func TestJumps(t *testing.T) {
	// A = nr; if A == 257 goto 3; ...; JGT, JGE, JSET, then X forms.
	prog := asm(t,
		bpf.LoadAbsolute{Off: 0, Size: 4},                                          // 0
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 257, SkipTrue: 1},                     // 1
		bpf.RetConstant{Val: 1},                                                    // 2
		bpf.JumpIf{Cond: bpf.JumpGreaterThan, Val: 257, SkipTrue: 0, SkipFalse: 1}, // 3
		bpf.RetConstant{Val: 2},                                                    // 4
		bpf.JumpIf{Cond: bpf.JumpGreaterOrEqual, Val: 257, SkipTrue: 1},            // 5
		bpf.RetConstant{Val: 3},                                                    // 6
		bpf.JumpIf{Cond: bpf.JumpBitsSet, Val: 0x100, SkipTrue: 1},                 // 7
		bpf.RetConstant{Val: 4},                                                    // 8
		bpf.LoadConstant{Dst: bpf.RegX, Val: 0xffffffff},                           // 9
		bpf.JumpIfX{Cond: bpf.JumpGreaterThan, SkipTrue: 0, SkipFalse: 1},          // 10
		bpf.RetConstant{Val: 5},                                                    // 11
		bpf.Jump{Skip: 1},                                                          // 12
		bpf.RetConstant{Val: 6},                                                    // 13
		bpf.RetConstant{Val: 7},                                                    // 14
	)
	ret, pcs, err := Trace(prog, sample, false)
	want := []int{0, 1, 3, 5, 7, 9, 10, 12, 14}
	if err != nil || ret != 7 || !equal(pcs, want) {
		t.Errorf("Trace = %d, %v, %v; want 7, %v", ret, pcs, err, want)
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFaults(t *testing.T) {
	for _, tc := range []struct {
		name string
		prog []bpf.RawInstruction
		pc   int
	}{
		{"empty", nil, 0},
		{"unaligned load", []bpf.RawInstruction{{Op: 0x20, K: 2}, {Op: 0x16}}, 0},
		{"load past seccomp_data", []bpf.RawInstruction{{Op: 0x20, K: 64}, {Op: 0x16}}, 0},
		{"half-word load", []bpf.RawInstruction{{Op: 0x28, K: 0}, {Op: 0x16}}, 0},
		{"indirect load", []bpf.RawInstruction{{Op: 0x40, K: 0}, {Op: 0x16}}, 0},
		{"scratch slot 16", []bpf.RawInstruction{{Op: 0x02, K: 16}, {Op: 0x16}}, 0},
		{"mod", []bpf.RawInstruction{{Op: 0x94, K: 3}, {Op: 0x16}}, 0},
		{"div by constant 0", []bpf.RawInstruction{{Op: 0x34, K: 0}, {Op: 0x16}}, 0},
		{"ret X", []bpf.RawInstruction{{Op: 0x0e}}, 0},
		{"falls off the end", []bpf.RawInstruction{{Op: 0x00, K: 1}}, 1},
		{"jump past the end", []bpf.RawInstruction{{Op: 0x15, Jt: 5}, {Op: 0x16}}, 6},
		{"ja past the end", []bpf.RawInstruction{{Op: 0x05, K: 0xffffffff}, {Op: 0x16}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Run(tc.prog, sample, false)
			var e *Error
			if !errors.As(err, &e) || e.PC != tc.pc {
				t.Errorf("Run error = %v; want a fault at pc %d", err, tc.pc)
			}
		})
	}
}
