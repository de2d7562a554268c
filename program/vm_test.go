package program

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"golang.org/x/net/bpf"
)

func asm(t *testing.T, insns ...bpf.Instruction) []bpf.RawInstruction {
	t.Helper()
	raw, err := bpf.Assemble(insns)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// run verifies prog in a VM and runs it on d.
func run(t *testing.T, prog []bpf.RawInstruction, d SeccompData, big bool) (ret uint32, steps int) {
	t.Helper()
	vm, err := NewVM(prog, big)
	if err != nil {
		t.Fatal(err)
	}
	return vm.Run(d)
}

var sample = SeccompData{
	Nr:                 257,
	Arch:               auditX86_64,
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
		{"arch", 4, false, auditX86_64},
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
			if ret, steps := run(t, prog, sample, tc.big); ret != tc.want || steps != 2 {
				t.Errorf("Run = %#x, %d; want %#x, 2", ret, steps, tc.want)
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
				if ret, _ := run(t, prog, sample, false); ret != tc.want {
					t.Errorf("Run = %#x; want %#x", ret, tc.want)
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
	if ret, steps := run(t, prog, sample, false); ret != 1 || steps != 11 {
		t.Errorf("Run = %d, %d; want 1, 11", ret, steps)
	}
}

func TestLen(t *testing.T) {
	prog := []bpf.RawInstruction{{Op: 0x81}, {Op: 0x07 | 0x80}, {Op: 0x80}, {Op: 0x0c}, {Op: 0x16}}
	// X = len; A = X; A = len; A += X; return A
	if ret, _ := run(t, prog, sample, false); ret != 128 {
		t.Errorf("Run = %d; want 128", ret)
	}
}

func TestShiftByXUsesLowBits(t *testing.T) {
	prog := asm(t, bpf.LoadConstant{Dst: bpf.RegA, Val: 1}, bpf.LoadConstant{Dst: bpf.RegX, Val: 33},
		bpf.ALUOpX{Op: bpf.ALUOpShiftLeft}, bpf.RetA{})
	if ret, _ := run(t, prog, sample, false); ret != 2 {
		t.Errorf("Run = %d; want 2", ret)
	}
}

func TestDivByXZeroReturnsZero(t *testing.T) {
	prog := asm(t, bpf.LoadConstant{Dst: bpf.RegA, Val: 7}, bpf.LoadConstant{Dst: bpf.RegX, Val: 0},
		bpf.ALUOpX{Op: bpf.ALUOpDiv}, bpf.RetConstant{Val: RetAllow})
	if ret, steps := run(t, prog, sample, false); ret != 0 || steps != 3 {
		t.Errorf("Run = %#x, %d; want 0, 3", ret, steps)
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
	vm, err := NewVM(prog, false)
	if err != nil {
		t.Fatal(err)
	}
	ret, pcs := vm.Trace(sample)
	want := []int{0, 1, 3, 5, 7, 9, 10, 12, 14}
	if ret != 7 || !slices.Equal(pcs, want) {
		t.Errorf("Trace = %d, %v; want 7, %v", ret, pcs, want)
	}
	if ret, steps := vm.Run(sample); ret != 7 || steps != len(want) {
		t.Errorf("Run = %d, %d; want 7, %d", ret, steps, len(want))
	}
}

func TestNewVMRejectsWhatTheKernelRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		prog []bpf.RawInstruction
		pc   int
	}{
		{"empty", nil, -1},
		{"too long", make([]bpf.RawInstruction, MaxInsns+1), -1},
		{"unaligned load", []bpf.RawInstruction{{Op: 0x20, K: 2}, {Op: 0x16}}, 0},
		{"load past seccomp_data", []bpf.RawInstruction{{Op: 0x20, K: 64}, {Op: 0x16}}, 0},
		{"half-word load", []bpf.RawInstruction{{Op: 0x28, K: 0}, {Op: 0x16}}, 0},
		{"indirect load", []bpf.RawInstruction{{Op: 0x40, K: 0}, {Op: 0x16}}, 0},
		{"scratch slot 16", []bpf.RawInstruction{{Op: 0x02, K: 16}, {Op: 0x16}}, 0},
		{"scratch read before write", []bpf.RawInstruction{{Op: 0x60, K: 1}, {Op: 0x16}}, 0},
		{"mod", []bpf.RawInstruction{{Op: 0x94, K: 3}, {Op: 0x16}}, 0},
		{"div by constant 0", []bpf.RawInstruction{{Op: 0x34, K: 0}, {Op: 0x16}}, 0},
		{"shift by constant 32", []bpf.RawInstruction{{Op: 0x64, K: 32}, {Op: 0x16}}, 0},
		{"ret X", []bpf.RawInstruction{{Op: 0x0e}}, 0},
		{"falls off the end", []bpf.RawInstruction{{Op: 0x00, K: 1}}, 0},
		{"jump past the end", []bpf.RawInstruction{{Op: 0x15, Jt: 5}, {Op: 0x16}}, 0},
		{"ja past the end", []bpf.RawInstruction{{Op: 0x05, K: 0xffffffff}, {Op: 0x16}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vm, err := NewVM(tc.prog, false)
			var ve *VerifyError
			if vm != nil || !errors.As(err, &ve) || ve.PC != tc.pc {
				t.Errorf("NewVM = %v, %v; want a *VerifyError at %d", vm, err, tc.pc)
			}
		})
	}
}

func TestVMKeepsItsOwnCopy(t *testing.T) {
	prog := []bpf.RawInstruction{{Op: 0x06, K: RetAllow}}
	vm, err := NewVM(prog, false)
	if err != nil {
		t.Fatal(err)
	}
	prog[0] = bpf.RawInstruction{Op: 0x00} // no longer a valid program
	if ret, _ := vm.Run(sample); ret != RetAllow {
		t.Errorf("Run = %#x after the caller changed its slice; want allow", ret)
	}
}

// TestVerifiedProgramsRun runs random programs: every one that Verify accepts must run to a
// return in at most its length in steps (jumps go forward), whatever the input, for the VM
// trusts the verifier.
func TestVerifiedProgramsRun(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ops := slices.Collect(func(yield func(uint16) bool) {
		for op := range uint16(256) {
			if isAllowed(op) && !yield(op) {
				return
			}
		}
	})
	accepted := 0
	for range 20000 {
		prog := make([]bpf.RawInstruction, 1+rng.IntN(12))
		for i := range prog {
			prog[i] = bpf.RawInstruction{Op: ops[rng.IntN(len(ops))], Jt: uint8(rng.IntN(4)), Jf: uint8(rng.IntN(4)), K: randomK(rng)}
		}
		prog[len(prog)-1] = bpf.RawInstruction{Op: opRetA}
		vm, err := NewVM(prog, rng.IntN(2) == 0)
		if err != nil {
			continue
		}
		accepted++
		d := SeccompData{Nr: rng.Int32(), Arch: rng.Uint32(), InstructionPointer: rng.Uint64()}
		for i := range d.Args {
			d.Args[i] = rng.Uint64()
		}
		if _, steps := vm.Run(d); steps < 1 || steps > len(prog) {
			t.Fatalf("Run took %d steps on a %d-instruction program %v", steps, len(prog), prog)
		}
	}
	if accepted < 1000 {
		t.Errorf("only %d of 20000 random programs verified; the test checks too little", accepted)
	}
}

// randomK picks a K that is often valid: a seccomp_data offset, a scratch slot, a shift, a
// short jump, or any value.
func randomK(rng *rand.Rand) uint32 {
	switch rng.IntN(3) {
	case 0:
		return uint32(4 * rng.IntN(16))
	case 1:
		return uint32(rng.IntN(4))
	}
	return rng.Uint32()
}

// TestRunDoesNotAllocate keeps Run cheap enough to run on every syscall number of every
// arch, as the tests and the measurements do.
func TestRunDoesNotAllocate(t *testing.T) {
	vm, err := NewVM(asm(t, bpf.LoadAbsolute{Off: 0, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 257, SkipFalse: 1}, bpf.RetConstant{Val: RetAllow}, bpf.RetA{}), false)
	if err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { vm.Run(sample) }); n != 0 {
		t.Errorf("Run allocates %v times per call; want 0", n)
	}
}
