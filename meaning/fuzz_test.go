package meaning

import (
	"errors"
	"math/rand/v2"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/program/opcode"
)

// randomProgram draws a program of every kind of instruction seccomp admits, from a seed:
// loads of any word, constants and scratch slots, ALU operations with constants and X,
// register moves, jumps forward, returns of constants and of A. Some fail the verifier; the
// caller skips those.
func randomProgram(r *rand.Rand) []bpf.RawInstruction {
	n := 2 + r.IntN(30)
	prog := make([]bpf.RawInstruction, n)
	rets := []uint32{program.RetAllow, program.RetKillProcess, program.RetErrno | 1, program.RetTrap | 7, program.RetLog, 0, 0x12340000}
	aluOps := []uint16{opcode.ADD, opcode.SUB, opcode.MUL, opcode.DIV, opcode.OR, opcode.AND, opcode.LSH, opcode.RSH, opcode.XOR}
	jumps := []uint16{opcode.JEQ, opcode.JGT, opcode.JGE, opcode.JSET}
	consts := func() uint32 { return []uint32{0, 1, 2, 5, 0x10, 0xff, 0xc000003e, 0x40000000, r.Uint32()}[r.IntN(9)] }
	for pc := range n - 1 {
		left := n - pc - 2 // the furthest forward jump
		switch r.IntN(10) {
		case 0, 1:
			prog[pc] = bpf.RawInstruction{Op: opcode.LD | opcode.W | opcode.ABS, K: uint32(4 * r.IntN(16))}
		case 2:
			prog[pc] = bpf.RawInstruction{Op: []uint16{opcode.LD | opcode.IMM, opcode.LDX | opcode.IMM}[r.IntN(2)], K: consts()}
		case 3:
			op := aluOps[r.IntN(len(aluOps))]
			k := consts()
			if op == opcode.LSH || op == opcode.RSH {
				k %= 32
			}
			if op == opcode.DIV && k == 0 {
				k = 4
			}
			src := uint16(opcode.K)
			if r.IntN(4) == 0 {
				src = opcode.X
			}
			prog[pc] = bpf.RawInstruction{Op: opcode.ALU | op | src, K: k}
		case 4:
			prog[pc] = bpf.RawInstruction{Op: []uint16{opcode.ST, opcode.STX, opcode.LD | opcode.MEM, opcode.LDX | opcode.MEM}[r.IntN(4)], K: uint32(r.IntN(3))}
		case 5:
			prog[pc] = bpf.RawInstruction{Op: []uint16{opcode.MISC | opcode.TAX, opcode.MISC | opcode.TXA, opcode.ALU | opcode.NEG}[r.IntN(3)]}
		case 6, 7, 8:
			src := uint16(opcode.K)
			if r.IntN(6) == 0 {
				src = opcode.X
			}
			prog[pc] = bpf.RawInstruction{Op: opcode.JMP | jumps[r.IntN(len(jumps))] | src, K: consts(),
				Jt: uint8(r.IntN(min(left, 8) + 1)), Jf: uint8(r.IntN(min(left, 8) + 1))}
		default:
			if r.IntN(3) == 0 {
				prog[pc] = bpf.RawInstruction{Op: opcode.RET | opcode.A}
			} else {
				prog[pc] = bpf.RawInstruction{Op: opcode.RET | opcode.K, K: rets[r.IntN(len(rets))]}
			}
		}
	}
	prog[n-1] = bpf.RawInstruction{Op: opcode.RET | opcode.K, K: rets[r.IntN(len(rets))]}
	return prog
}

// checkAgainstVM analyses prog and compares its meaning with the emulator on random calls;
// it reports whether the program was analysed.
func checkAgainstVM(t *testing.T, r *rand.Rand, prog []bpf.RawInstruction) bool {
	if program.Verify(prog) != nil {
		return false
	}
	be := r.IntN(2) == 0
	s := NewSpace()
	m, err := s.Program(prog, be)
	var ae *AnalysisError
	if errors.As(err, &ae) {
		return false // refused, naming the instruction: never guessed
	}
	if err != nil {
		t.Fatalf("%v\n%v", err, prog)
	}
	vm, _ := program.NewVM(prog, be)
	for range 300 {
		d := randomData(r)
		ret, _ := vm.Run(d)
		if got := s.Eval(m, d); got != Normalize(ret) {
			t.Fatalf("program %v (big-endian %v) on %+v: meaning %#x, vm %#x", prog, be, d, got, ret)
		}
	}
	return true
}

// TestRandomProgramsAgreeWithTheVM analyses many random programs.
func TestRandomProgramsAgreeWithTheVM(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	analysed := 0
	for range 800 {
		if checkAgainstVM(t, r, randomProgram(r)) {
			analysed++
		}
	}
	t.Logf("%d random programs analysed", analysed)
	if analysed < 200 {
		t.Errorf("only %d random programs analysed", analysed)
	}
}

// FuzzProgramMeaning analyses a random program drawn from the fuzzer's seed.
func FuzzProgramMeaning(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Add(uint64(42), uint64(7))
	f.Fuzz(func(t *testing.T, a, b uint64) {
		r := rand.New(rand.NewPCG(a, b))
		checkAgainstVM(t, r, randomProgram(r))
	})
}
