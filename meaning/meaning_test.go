package meaning

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/program/opcode"
)

const (
	ldW  = opcode.LD | opcode.W | opcode.ABS
	retK = opcode.RET | opcode.K
	retA = opcode.RET | opcode.A
)

func ins(op uint16, jt, jf uint8, k uint32) bpf.RawInstruction {
	return bpf.RawInstruction{Op: op, Jt: jt, Jf: jf, K: k}
}

func jmp(op uint16, k uint32, jt, jf uint8) bpf.RawInstruction {
	return ins(opcode.JMP|op|opcode.K, jt, jf, k)
}

func alu(op uint16, k uint32) bpf.RawInstruction { return ins(opcode.ALU|op|opcode.K, 0, 0, k) }

// programs are hand-written programs that exercise every kind of instruction seccomp
// admits: scratch memory, every ALU operation, jumps on X, RET A, division by X = 0.
var programs = map[string][]bpf.RawInstruction{
	"arch and nr": {
		ins(ldW, 0, 0, 4), jmp(opcode.JEQ, 0xc000003e, 0, 4),
		ins(ldW, 0, 0, 0), jmp(opcode.JGE, 0x40000000, 2, 0),
		jmp(opcode.JEQ, 1, 0, 1), ins(retK, 0, 0, program.RetAllow),
		ins(retK, 0, 0, program.RetErrno|1),
	},
	"scratch memory": {
		ins(ldW, 0, 0, 16), ins(opcode.ST, 0, 0, 3), ins(ldW, 0, 0, 24),
		ins(opcode.LDX|opcode.MEM, 0, 0, 3), ins(opcode.MISC|opcode.TXA, 0, 0, 0), alu(opcode.ADD, 5),
		ins(opcode.ST, 0, 0, 5), ins(opcode.LD|opcode.MEM, 0, 0, 5),
		jmp(opcode.JGT, 1000, 0, 1), ins(retK, 0, 0, program.RetKillThread), ins(retK, 0, 0, program.RetAllow),
	},
	"alu": {
		ins(ldW, 0, 0, 16), alu(opcode.AND, 0xff), alu(opcode.OR, 0x100), alu(opcode.XOR, 0x3),
		alu(opcode.LSH, 2), alu(opcode.RSH, 1), alu(opcode.SUB, 7), alu(opcode.MUL, 3), alu(opcode.DIV, 4),
		ins(opcode.ALU|opcode.NEG, 0, 0, 0), ins(opcode.MISC|opcode.TAX, 0, 0, 0), ins(ldW, 0, 0, 24),
		jmp(opcode.JGT, 0x4000, 0, 1), ins(retK, 0, 0, program.RetTrap|5),
		jmp(opcode.JSET, 0x10, 0, 1), ins(retK, 0, 0, program.RetLog), ins(retK, 0, 0, program.RetAllow),
	},
	"jump on x": {
		ins(opcode.LD|opcode.IMM, 0, 0, 0x4000), ins(opcode.MISC|opcode.TAX, 0, 0, 0), ins(ldW, 0, 0, 24),
		ins(opcode.JMP|opcode.JGT|opcode.X, 0, 1, 0), ins(retK, 0, 0, program.RetTrap|5), ins(retK, 0, 0, program.RetAllow),
	},
	"ret a": {
		ins(ldW, 0, 0, 16), alu(opcode.AND, 0x7), alu(opcode.OR, program.RetErrno), ins(retA, 0, 0, 0),
	},
	"div by x zero": {
		ins(ldW, 0, 0, 16), jmp(opcode.JEQ, 0, 0, 3), ins(opcode.LDX|opcode.IMM, 0, 0, 0),
		ins(opcode.ALU|opcode.DIV|opcode.X, 0, 0, 0), ins(retK, 0, 0, program.RetAllow), ins(retK, 0, 0, program.RetLog),
	},
	"odd returns": { // unknown actions, errno over MAX_ERRNO, data on allow
		ins(ldW, 0, 0, 0), jmp(opcode.JEQ, 1, 0, 1), ins(retK, 0, 0, 0x12345678),
		jmp(opcode.JEQ, 2, 0, 1), ins(retK, 0, 0, program.RetErrno|0xffff), ins(retK, 0, 0, program.RetAllow|9),
	},
	"high words": {
		ins(ldW, 0, 0, 20), jmp(opcode.JEQ, 0, 0, 3), ins(ldW, 0, 0, 16), jmp(opcode.JGT, 5, 0, 1),
		ins(retK, 0, 0, program.RetAllow), ins(retK, 0, 0, program.RetErrno|1),
	},
	"instruction pointer and len": {
		ins(ldW, 0, 0, 8), jmp(opcode.JSET, 1, 0, 2), ins(opcode.LD|opcode.W|opcode.LEN, 0, 0, 0),
		ins(retA, 0, 0, 0), ins(retK, 0, 0, program.RetAllow),
	},
}

// randomData draws calls that hit the programs' edges.
func randomData(r *rand.Rand) program.SeccompData {
	d := program.SeccompData{Arch: []uint32{0xc000003e, 0x40000003, r.Uint32()}[r.IntN(3)], Nr: int32(r.IntN(4))}
	if r.IntN(4) == 0 {
		d.Nr = int32(r.Uint32())
	}
	for i := range d.Args {
		d.Args[i] = []uint64{0, 1, 5, 6, 0x10, 1000, uint64(r.Uint32()), r.Uint64(), uint64(r.IntN(2000))}[r.IntN(9)]
	}
	d.InstructionPointer = r.Uint64()
	return d
}

// TestProgramsAgreeWithTheVM checks each program's meaning against the emulator, in both
// byte orders, on random calls.
func TestProgramsAgreeWithTheVM(t *testing.T) {
	for name, prog := range programs {
		for _, be := range []bool{false, true} {
			s := NewSpace()
			m, err := s.Program(prog, be)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			vm, err := program.NewVM(prog, be)
			if err != nil {
				t.Fatal(err)
			}
			r := rand.New(rand.NewPCG(1, 2))
			for range 20000 {
				d := randomData(r)
				ret, _ := vm.Run(d)
				if got := s.Eval(m, d); got != Normalize(ret) {
					t.Fatalf("%s (big-endian %v): %+v: meaning %#x, vm %#x", name, be, d, got, ret)
				}
			}
		}
	}
}

// TestDiffWitnesses compares every pair of programs: a difference's witness really gets the
// two claimed decisions from the emulator, and a program is never different from itself.
func TestDiffWitnesses(t *testing.T) {
	for an, a := range programs {
		for bn, b := range programs {
			s := NewSpace()
			ma, err1 := s.Program(a, false)
			mb, err2 := s.Program(b, false)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			diffs, err := s.Diff(ma, mb)
			if err != nil {
				t.Fatal(err)
			}
			if (an == bn) != (len(diffs) == 0) {
				t.Fatalf("%s vs %s: %d differences", an, bn, len(diffs))
			}
			va, _ := program.NewVM(a, false)
			vb, _ := program.NewVM(b, false)
			for _, d := range diffs {
				ra, _ := va.Run(d.Witness)
				rb, _ := vb.Run(d.Witness)
				if Normalize(ra) != d.Left || Normalize(rb) != d.Right {
					t.Fatalf("%s vs %s: witness %+v gets %#x, %#x; diff says %#x, %#x", an, bn, d.Witness, ra, rb, d.Left, d.Right)
				}
				if d.Witness.Arch < d.ArchLo || d.Witness.Arch > d.ArchHi || uint32(d.Witness.Nr) < d.NrLo || uint32(d.Witness.Nr) > d.NrHi {
					t.Fatalf("witness outside its region: %+v", d)
				}
			}
		}
	}
}

// TestRewritesKeepMeaning: programs that differ in form but not in meaning are one node.
func TestRewritesKeepMeaning(t *testing.T) {
	s := NewSpace()
	a, _ := s.Program([]bpf.RawInstruction{ // nr == 1 tested as a range
		ins(ldW, 0, 0, 0), jmp(opcode.JGE, 1, 0, 2), jmp(opcode.JGT, 1, 1, 0), ins(retK, 0, 0, program.RetAllow),
		ins(retK, 0, 0, program.RetErrno|1),
	}, false)
	b, _ := s.Program([]bpf.RawInstruction{ // nr == 1, and errno data over MAX_ERRNO
		ins(ldW, 0, 0, 0), jmp(opcode.JEQ, 1, 1, 0), ins(retK, 0, 0, program.RetErrno|1),
		ins(retK, 0, 0, program.RetAllow|0x42),
	}, false)
	if a != b {
		t.Fatal("equivalent programs have different meanings")
	}
	if diffs, _ := s.Diff(a, b); len(diffs) != 0 {
		t.Fatal(diffs)
	}
}

// TestStack: stacked filters combine as the kernel does.
func TestStack(t *testing.T) {
	allowOrErrno := programs["arch and nr"]
	log := []bpf.RawInstruction{ins(retK, 0, 0, program.RetLog)}
	trap := []bpf.RawInstruction{ins(ldW, 0, 0, 0), jmp(opcode.JEQ, 3, 0, 1), ins(retK, 0, 0, program.RetTrap|1), ins(retK, 0, 0, program.RetAllow)}
	s := NewSpace()
	m, err := s.Stack([][]bpf.RawInstruction{log, allowOrErrno, trap}, false)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	vms := []*program.VM{}
	for _, p := range [][]bpf.RawInstruction{log, allowOrErrno, trap} {
		vm, _ := program.NewVM(p, false)
		vms = append(vms, vm)
	}
	for range 10000 {
		d := randomData(r)
		var want uint32
		for i, vm := range vms {
			ret, _ := vm.Run(d)
			if i == 0 || int32(ret&program.RetActionFull) < int32(want&program.RetActionFull) {
				want = ret
			}
		}
		if got := s.Eval(m, d); got != Normalize(want) {
			t.Fatalf("%+v: stack %#x, kernel's rule %#x", d, got, want)
		}
	}
}

// TestUnanalysable: a multiplication by an input-dependent register is refused, naming the
// instruction; nothing is guessed.
func TestUnanalysable(t *testing.T) {
	prog := []bpf.RawInstruction{
		ins(ldW, 0, 0, 16), ins(opcode.MISC|opcode.TAX, 0, 0, 0), ins(ldW, 0, 0, 24),
		ins(opcode.ALU|opcode.MUL|opcode.X, 0, 0, 0), ins(retA, 0, 0, 0),
	}
	_, err := NewSpace().Program(prog, false)
	var ae *AnalysisError
	if !errors.As(err, &ae) || ae.PC != 3 || !strings.Contains(err.Error(), "instruction 3: multiplication of two values") {
		t.Fatalf("got %v", err)
	}
}

// TestTwoWordsCompared: a comparison of two input words is refused too, naming the jump.
func TestTwoWordsCompared(t *testing.T) {
	prog := []bpf.RawInstruction{
		ins(ldW, 0, 0, 16), ins(opcode.MISC|opcode.TAX, 0, 0, 0), ins(ldW, 0, 0, 24),
		ins(opcode.JMP|opcode.JGT|opcode.X, 0, 1, 0), ins(retK, 0, 0, program.RetTrap|5), ins(retK, 0, 0, program.RetAllow),
	}
	_, err := NewSpace().Program(prog, false)
	if err == nil || !strings.Contains(err.Error(), "instruction 3: a comparison of two values") {
		t.Fatalf("got %v", err)
	}
}

// TestTooBig: a node budget that is too small ends the analysis with an error.
func TestTooBig(t *testing.T) {
	defer func(n int) { MaxNodes = n }(MaxNodes)
	MaxNodes = 50
	_, err := NewSpace().Program(programs["alu"], false)
	if !errors.Is(err, ErrTooBig) {
		t.Fatalf("got %v", err)
	}
}

// TestParityOfTheNumber: a program that splits the syscall numbers by parity has 2^31
// ranges of numbers; Diff refuses it with an error rather than list them, and equality still
// answers.
func TestParityOfTheNumber(t *testing.T) {
	odd := []bpf.RawInstruction{ins(ldW, 0, 0, 0), jmp(opcode.JSET, 1, 0, 1), ins(retK, 0, 0, program.RetAllow), ins(retK, 0, 0, program.RetLog)}
	allow := []bpf.RawInstruction{ins(retK, 0, 0, program.RetAllow)}
	s := NewSpace()
	a, _ := s.Program(odd, false)
	b, _ := s.Program(allow, false)
	if a == b {
		t.Fatal("different programs are equal")
	}
	if _, err := s.Diff(a, b); err == nil || !strings.Contains(err.Error(), "splits the syscall numbers into more than 65536 ranges") {
		t.Fatalf("got %v", err)
	}
	if diffs, err := s.Diff(a, a); err != nil || len(diffs) != 0 {
		t.Fatal(diffs, err)
	}
}

// TestParityOfAnArgument: the parity of an argument's low 16 bits, computed by jumps (a
// diagram of two nodes per bit, but 2^15 cubes), is listed truncated, and FormatExact
// refuses it.
func TestParityOfAnArgument(t *testing.T) {
	prog := []bpf.RawInstruction{ins(ldW, 0, 0, 16)}
	const bits = 16
	for i := range bits {
		k := uint32(1) << i
		prog = append(prog, jmp(opcode.JSET, k, 2, 1), jmp(opcode.JSET, k, 0, 1)) // even, odd
	}
	prog = append(prog, ins(retK, 0, 0, program.RetAllow), ins(retK, 0, 0, program.RetLog))
	s := NewSpace()
	m, err := s.Program(prog, false)
	if err != nil {
		t.Fatal(err)
	}
	vm, _ := program.NewVM(prog, false)
	for _, a := range []uint64{0, 1, 3, 0x8001, 0xfffe, 0x10000} {
		d := program.SeccompData{Args: [6]uint64{a}}
		if ret, _ := vm.Run(d); s.Eval(m, d) != ret {
			t.Fatalf("%#x: meaning %#x, vm %#x", a, s.Eval(m, d), ret)
		}
	}
	diffs, err := s.Diff(m, s.Ret(program.RetLog))
	if err != nil || len(diffs) != 1 || !diffs[0].Region.Truncated {
		t.Fatalf("%d differences, %v", len(diffs), err)
	}
	if _, err := diffs[0].Region.FormatExact(PositionalNamer, nil); err == nil {
		t.Fatal("a truncated region formats exactly")
	}
}
