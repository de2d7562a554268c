package program

import (
	"fmt"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/program/opcode"
)

// VerifyError is a reason the kernel would refuse a program. PC is the index of the
// offending instruction, or -1 when the program as a whole is at fault.
type VerifyError struct {
	PC     int
	Reason string
}

// Error writes the reason, after the instruction index when there is one.
func (e *VerifyError) Error() string {
	if e.PC < 0 {
		return e.Reason
	}
	return fmt.Sprintf("instruction %d: %s", e.PC, e.Reason)
}

// Verify checks prog as the kernel does when a seccomp filter is attached (bpf_check_classic
// then seccomp_check_filter): a length of 1 to 4096 instructions, only the opcodes seccomp
// allows, loads of seccomp_data aligned and below 64, scratch slots 0..15, no division by a
// constant 0 nor shift by a constant of 32 or more, jumps that stay inside the program, a RET
// last, and no read of a scratch slot that some path reaches without writing it. The error
// is a *VerifyError.
func Verify(prog []bpf.RawInstruction) error {
	n := len(prog)
	if n == 0 {
		return &VerifyError{PC: -1, Reason: "program is empty"}
	}
	if n > MaxInsns {
		return &VerifyError{PC: -1, Reason: fmt.Sprintf("program has %d instructions; the kernel's limit is %d", n, MaxInsns)}
	}
	for pc, ins := range prog {
		if reason := checkInsn(ins, pc, n); reason != "" {
			return &VerifyError{PC: pc, Reason: reason}
		}
	}
	if op := prog[n-1].Op; op != opRetK && op != opRetA {
		return &VerifyError{PC: n - 1, Reason: "the last instruction is not a RET"}
	}
	return checkScratch(prog)
}

// checkInsn returns why the kernel refuses the instruction at pc, or "".
func checkInsn(ins bpf.RawInstruction, pc, n int) string {
	if !isAllowed(ins.Op) {
		return fmt.Sprintf("opcode %#02x is not allowed in a seccomp filter", ins.Op)
	}
	switch ins.Op {
	case opcode.LD | opcode.W | opcode.ABS:
		if ins.K >= 64 || ins.K%4 != 0 {
			return fmt.Sprintf("load of seccomp_data at offset %d: offsets are multiples of 4 below 64", ins.K)
		}
	case opcode.ALU | opcode.DIV | opcode.K:
		if ins.K == 0 {
			return "division by constant 0"
		}
	case opcode.ALU | opcode.LSH | opcode.K, opcode.ALU | opcode.RSH | opcode.K:
		if ins.K >= 32 {
			return fmt.Sprintf("shift by %d: shifts are below 32", ins.K)
		}
	case opcode.LD | opcode.MEM, opcode.LDX | opcode.MEM, opcode.ST, opcode.STX:
		if ins.K >= opcode.MemWords {
			return fmt.Sprintf("scratch slot %d: slots are 0..%d", ins.K, opcode.MemWords-1)
		}
	case opJA:
		if uint64(ins.K) >= uint64(n-pc-1) {
			return fmt.Sprintf("jump to %d: past the last instruction %d", uint64(pc)+1+uint64(ins.K), n-1)
		}
	}
	if opcode.IsCondJump(ins.Op) {
		if t := pc + 1 + int(max(ins.Jt, ins.Jf)); t >= n {
			return fmt.Sprintf("jump to %d: past the last instruction %d", t, n-1)
		}
	}
	return ""
}

// isAllowed tells whether seccomp_check_filter accepts op.
func isAllowed(op uint16) bool {
	return int(op) < len(allowed) && allowed[op]
}

// allowed is the set of opcodes seccomp_check_filter accepts, indexed by opcode (classic BPF
// opcodes fit in a byte).
var allowed = func() (m [256]bool) {
	for _, op := range []uint16{
		opcode.LD | opcode.W | opcode.ABS, opcode.LD | opcode.W | opcode.LEN, opcode.LDX | opcode.W | opcode.LEN,
		opRetK, opRetA, opcode.ALU | opcode.NEG,
		opcode.LD | opcode.IMM, opcode.LDX | opcode.IMM, opcode.LD | opcode.MEM, opcode.LDX | opcode.MEM,
		opcode.ST, opcode.STX, opcode.MISC | opcode.TAX, opcode.MISC | opcode.TXA, opJA,
	} {
		m[op] = true
	}
	for _, op := range []uint16{opcode.ADD, opcode.SUB, opcode.MUL, opcode.DIV, opcode.AND, opcode.OR, opcode.XOR, opcode.LSH, opcode.RSH} {
		m[opcode.ALU|op|opcode.K], m[opcode.ALU|op|opcode.X] = true, true
	}
	for _, op := range []uint16{opcode.JEQ, opcode.JGE, opcode.JGT, opcode.JSET} {
		m[opcode.JMP|op|opcode.K], m[opcode.JMP|op|opcode.X] = true, true
	}
	return m
}()

// checkScratch mirrors the kernel's check_load_and_stores: a slot read must have been
// written on every path to the read. As in the kernel, the paths are followed in program
// order, with jumps narrowing what is valid at their targets.
func checkScratch(prog []bpf.RawInstruction) error {
	masks := make([]uint16, len(prog))
	for i := range masks {
		masks[i] = 0xffff
	}
	var valid uint16
	for pc, ins := range prog {
		valid &= masks[pc]
		switch {
		case ins.Op == opcode.ST || ins.Op == opcode.STX:
			valid |= 1 << ins.K
		case ins.Op == opcode.LD|opcode.MEM || ins.Op == opcode.LDX|opcode.MEM:
			if valid&(1<<ins.K) == 0 {
				return &VerifyError{PC: pc, Reason: fmt.Sprintf("read of scratch slot %d before it is written on every path", ins.K)}
			}
		case ins.Op == opJA:
			masks[pc+1+int(ins.K)] &= valid
			valid = 0xffff
		case opcode.IsCondJump(ins.Op):
			masks[pc+1+int(ins.Jt)] &= valid
			masks[pc+1+int(ins.Jf)] &= valid
			valid = 0xffff
		}
	}
	return nil
}

// Opcodes the verifier and the cache rule name whole.
const (
	opLdAbsW = opcode.LD | opcode.W | opcode.ABS
	opAndK   = opcode.ALU | opcode.AND | opcode.K
	opJA     = opcode.JMP | opcode.JA
	opRetK   = opcode.RET | opcode.K
	opRetA   = opcode.RET | opcode.A
)
