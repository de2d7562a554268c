package backend

import (
	"bufio"
	"fmt"
	"io"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/program/opcode"
)

// archNames names the AUDIT_ARCH values seccomp filters commonly test.
var archNames = map[uint32]string{
	0xc000003e: "ARCH_X86_64",
	0x40000003: "ARCH_I386",
	0xc00000b7: "ARCH_AARCH64",
	0x40000028: "ARCH_ARM",
	0xc00000f3: "ARCH_RISCV64",
	0x80000016: "ARCH_S390X",
	0xc0000015: "ARCH_PPC64LE",
	0x80000015: "ARCH_PPC64",
	0x00000008: "ARCH_MIPS",
	0x40000008: "ARCH_MIPSEL",
	0x80000008: "ARCH_MIPS64",
	0xc0000008: "ARCH_MIPSEL64",
	0xc0000102: "ARCH_LOONGARCH64",
}

// auditLE is __AUDIT_ARCH_LE: set in the AUDIT_ARCH value of little-endian arches.
const auditLE = 0x40000000

// What the accumulator holds, for the disassembler.
const (
	accOther = iota
	accNr
	accArch
)

// dstate is what the disassembler knows at an instruction.
type dstate struct {
	reached   bool
	acc       int
	arch      uint32
	archKnown bool
}

// merge joins the knowledge of two paths.
func (s dstate) merge(o dstate) dstate {
	if !s.reached {
		return o
	}
	if s.acc != o.acc {
		s.acc = accOther
	}
	if !o.archKnown || o.arch != s.arch {
		s.archKnown = false
	}
	return s
}

// Disasm writes prog one instruction per line in the style of seccomp-tools:
//
//	0001: 0x15 0x00 0x05 0xc000003e  if (A != ARCH_X86_64) goto 0007
//
// Equality tests on the syscall number show names from names when the arch is known on
// every path to the test, and on the arch the AUDIT_ARCH name; loads show the seccomp_data field (args[1] >> 32 for a high word, by the
// byte order of the arch known there, else little-endian).
func Disasm(w io.Writer, prog []bpf.Instruction, names Names) error {
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, " line  CODE  JT   JF      K")
	fmt.Fprintln(bw, "=================================")
	states := flow(raw)
	for pc, ri := range raw {
		fmt.Fprintf(bw, " %04d: 0x%02x 0x%02x 0x%02x 0x%08x  %s\n", pc, ri.Op, ri.Jt, ri.Jf, ri.K,
			describe(ri, pc, states[pc], names))
	}
	return bw.Flush()
}

// flow computes what is known at every instruction; jumps go forward, so one pass does.
func flow(prog []bpf.RawInstruction) []dstate {
	st := make([]dstate, len(prog)+1)
	st[0].reached = true
	push := func(to int, s dstate) {
		if to >= 0 && to < len(prog) {
			st[to] = st[to].merge(s)
		}
	}
	for pc, ri := range prog {
		s := st[pc]
		if !s.reached {
			continue
		}
		switch {
		case opcode.Class(ri.Op) == opcode.RET:
		case ri.Op == opJA:
			push(pc+1+int(ri.K), s)
		case opcode.IsCondJump(ri.Op):
			t := s
			if s.acc == accArch && ri.Op == opcode.JMP|opcode.JEQ|opcode.K && ri.Jt != ri.Jf {
				t.arch, t.archKnown = ri.K, true
			}
			push(pc+1+int(ri.Jt), t)
			push(pc+1+int(ri.Jf), s)
		default:
			push(pc+1, transfer(ri, s))
		}
	}
	return st[:len(prog)]
}

// transfer is the effect of a non-jump instruction on the accumulator.
func transfer(ri bpf.RawInstruction, s dstate) dstate {
	switch {
	case ri.Op == opLdAbsW && ri.K == program.SeccompDataNrOffset:
		s.acc = accNr
	case ri.Op == opLdAbsW && ri.K == program.SeccompDataArchOffset:
		s.acc = accArch
	case opcode.Class(ri.Op) == opcode.LD || opcode.Class(ri.Op) == opcode.ALU || ri.Op == opcode.MISC|opcode.TXA:
		s.acc = accOther
	}
	return s
}

// describe renders one instruction.
func describe(ri bpf.RawInstruction, pc int, s dstate, names Names) string {
	switch opcode.Class(ri.Op) {
	case opcode.LD, opcode.LDX:
		return describeLoad(ri, s)
	case opcode.ST:
		return fmt.Sprintf("mem[%d] = A", ri.K)
	case opcode.STX:
		return fmt.Sprintf("mem[%d] = X", ri.K)
	case opcode.ALU:
		return describeALU(ri)
	case opcode.JMP:
		return describeJump(ri, pc, s, names)
	case opcode.RET:
		return describeRet(ri)
	}
	switch ri.Op {
	case opcode.MISC | opcode.TAX:
		return "X = A"
	case opcode.MISC | opcode.TXA:
		return "A = X"
	}
	return invalid(ri)
}

func invalid(ri bpf.RawInstruction) string {
	return fmt.Sprintf("invalid opcode 0x%02x", ri.Op)
}

func describeLoad(ri bpf.RawInstruction, s dstate) string {
	reg := "A"
	if opcode.Class(ri.Op) == opcode.LDX {
		reg = "X"
	}
	switch ri.Op &^ 0x07 {
	case opcode.W | opcode.ABS:
		if opcode.Class(ri.Op) == opcode.LD {
			return "A = " + field(ri.K, s)
		}
	case opcode.W | opcode.LEN:
		return reg + " = sizeof(seccomp_data)"
	case opcode.IMM:
		return fmt.Sprintf("%s = %#x", reg, ri.K)
	case opcode.MEM:
		return fmt.Sprintf("%s = mem[%d]", reg, ri.K)
	}
	return invalid(ri)
}

// field names the seccomp_data word at off.
func field(off uint32, s dstate) string {
	if off >= program.SeccompDataSize || off%4 != 0 {
		return fmt.Sprintf("data[%d]", off)
	}
	big := s.archKnown && s.arch&auditLE == 0
	hi := (off%8 == 4) != big
	var name string
	switch {
	case off == program.SeccompDataNrOffset:
		return "sys_number"
	case off == program.SeccompDataArchOffset:
		return "arch"
	case off < program.SeccompDataArgsOffset:
		name = "instruction_pointer"
	default:
		name = fmt.Sprintf("args[%d]", (off-program.SeccompDataArgsOffset)/8)
	}
	if hi {
		return name + " >> 32"
	}
	return name
}

var aluSymbols = map[uint16]string{
	opcode.ADD: "+=", opcode.SUB: "-=", opcode.MUL: "*=", opcode.DIV: "/=", opcode.OR: "|=", opcode.AND: "&=",
	opcode.LSH: "<<=", opcode.RSH: ">>=", opcode.MOD: "%=", opcode.XOR: "^=",
}

func describeALU(ri bpf.RawInstruction) string {
	if ri.Op == opcode.ALU|opcode.NEG {
		return "A = -A"
	}
	sym, ok := aluSymbols[opcode.Op(ri.Op)]
	if !ok || ri.Op > 0xff {
		return invalid(ri)
	}
	if ri.Op&opcode.X != 0 {
		return "A " + sym + " X"
	}
	return fmt.Sprintf("A %s %#x", sym, ri.K)
}

// jumpForms gives, per jump op, the test and its negation.
var jumpForms = map[uint16][2]string{
	opcode.JEQ:  {"A == %s", "A != %s"},
	opcode.JGT:  {"A > %s", "A <= %s"},
	opcode.JGE:  {"A >= %s", "A < %s"},
	opcode.JSET: {"A & %s", "!(A & %s)"},
}

func describeJump(ri bpf.RawInstruction, pc int, s dstate, names Names) string {
	if ri.Op == opJA {
		return fmt.Sprintf("goto %04d", uint64(pc)+1+uint64(ri.K))
	}
	forms, ok := jumpForms[opcode.Op(ri.Op)]
	if !ok || ri.Op > 0xff {
		return invalid(ri)
	}
	operand := "X"
	switch {
	case ri.Op&opcode.X != 0:
	case opcode.Op(ri.Op) == opcode.JEQ:
		operand = constant(ri.K, s, names)
	case opcode.Op(ri.Op) != opcode.JSET && ri.K != ir.X32SyscallBit:
		// a bound of a range of syscall numbers, named where known; the x32 bit is the
		// split between the x86_64 and x32 tables, whatever x32 calls its first syscall
		operand = constant(ri.K, s, names)
	default:
		operand = fmt.Sprintf("%#x", ri.K)
	}
	t, f := pc+1+int(ri.Jt), pc+1+int(ri.Jf)
	switch {
	case ri.Jt == 0 && ri.Jf != 0:
		return fmt.Sprintf("if ("+forms[1]+") goto %04d", operand, f)
	case ri.Jf == 0:
		return fmt.Sprintf("if ("+forms[0]+") goto %04d", operand, t)
	}
	return fmt.Sprintf("if ("+forms[0]+") goto %04d else goto %04d", operand, t, f)
}

// constant renders a jump's K: an arch or syscall name where the accumulator allows.
func constant(k uint32, s dstate, names Names) string {
	switch s.acc {
	case accArch:
		if n, ok := archNames[k]; ok {
			return n
		}
	case accNr:
		if n, ok := names[s.arch].Name(k); ok && s.archKnown {
			return n
		}
	}
	return fmt.Sprintf("%#x", k)
}

func describeRet(ri bpf.RawInstruction) string {
	switch ri.Op {
	case opRetA:
		return "return A"
	case opRetK:
		return "return " + RetName(ri.K)
	}
	return invalid(ri)
}

// RetName names a filter return value as seccomp-tools does: ALLOW, ERRNO(1), KILL_PROCESS,
// TRAP(3), ...; a value with no such name is written in hex.
func RetName(ret uint32) string {
	data := ret & program.RetData
	withData := map[uint32]string{program.RetErrno: "ERRNO", program.RetTrap: "TRAP", program.RetTrace: "TRACE"}
	if n, ok := withData[ret&program.RetActionFull]; ok {
		return fmt.Sprintf("%s(%d)", n, data)
	}
	plain := map[uint32]string{
		program.RetAllow: "ALLOW", program.RetKillProcess: "KILL_PROCESS", program.RetKillThread: "KILL_THREAD",
		program.RetLog: "LOG", program.RetUserNotif: "USER_NOTIF",
	}
	if n, ok := plain[ret]; ok {
		return n
	}
	return fmt.Sprintf("0x%08x", ret)
}
