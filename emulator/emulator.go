// Package emulator runs classic BPF seccomp filters in user space, with the kernel's
// semantics, on a given struct seccomp_data.
//
// The emulator takes the program as raw instructions ([]bpf.RawInstruction): the exact
// opcodes the kernel receives, so that nothing is lost or reinterpreted by a typed
// representation. Use bpf.Assemble to run a []bpf.Instruction.
//
// Only the subset of classic BPF that the kernel's seccomp_check_filter accepts is executed:
// LD W ABS (aligned, below 64), LD/LDX W LEN (the size of seccomp_data, 64), LD/LDX IMM,
// LD/LDX MEM, ST, STX, the ALU operations ADD SUB MUL DIV AND OR XOR LSH RSH NEG in K and X
// forms, JA, JEQ JGT JGE JSET in K and X forms, RET K and A, TAX and TXA. Anything else is an
// error, as is any access the kernel's verifier would have refused; the emulator never
// panics on a bad program.
package emulator

import (
	"encoding/binary"
	"fmt"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/backend/opcode"
	"github.com/scc-dev/scc/ir"
)

// Error is a fault of a program at run time: a bad opcode, an out-of-range access, or
// running off the end.
type Error struct {
	PC     int
	Reason string
}

// Error writes the pc and the reason.
func (e *Error) Error() string { return fmt.Sprintf("pc %d: %s", e.PC, e.Reason) }

// machine is the state of one run.
type machine struct {
	prog  []bpf.RawInstruction
	data  [ir.SeccompDataSize]byte
	a, x  uint32
	mem   [opcode.MemWords]uint32
	order binary.ByteOrder
	pc    int
	trace []int
}

// Run executes prog on d and returns the filter's return value and the number of
// instructions executed. bigEndian is the byte order of seccomp_data on the arch that made
// the call (loads read native 32-bit words). A division by X = 0 ends the program with
// return value 0, as in the kernel. err is set when the program faults; a program that the
// verifier accepts never faults.
func Run(prog []bpf.RawInstruction, d ir.SeccompData, bigEndian bool) (ret uint32, steps int, err error) {
	m := newMachine(prog, d, bigEndian)
	ret, err = m.run()
	return ret, len(m.trace), err
}

// Trace is Run that also returns the pc of every executed instruction, in order.
func Trace(prog []bpf.RawInstruction, d ir.SeccompData, bigEndian bool) (ret uint32, pcs []int, err error) {
	m := newMachine(prog, d, bigEndian)
	ret, err = m.run()
	return ret, m.trace, err
}

func newMachine(prog []bpf.RawInstruction, d ir.SeccompData, bigEndian bool) *machine {
	m := &machine{prog: prog, order: byteOrder(bigEndian)}
	Encode(m.data[:], d, bigEndian)
	return m
}

func byteOrder(bigEndian bool) binary.ByteOrder {
	if bigEndian {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

// Encode writes d into buf (at least 64 bytes) as the kernel lays out struct seccomp_data
// on an arch of the given byte order.
func Encode(buf []byte, d ir.SeccompData, bigEndian bool) {
	o := byteOrder(bigEndian)
	o.PutUint32(buf[0:], uint32(d.Nr))
	o.PutUint32(buf[4:], d.Arch)
	o.PutUint64(buf[8:], d.InstructionPointer)
	for i, a := range d.Args {
		o.PutUint64(buf[16+8*i:], a)
	}
}

func (m *machine) fault(format string, args ...any) error {
	return &Error{PC: m.pc, Reason: fmt.Sprintf(format, args...)}
}

// run executes instructions until a RET or a fault.
func (m *machine) run() (uint32, error) {
	for {
		if m.pc < 0 || m.pc >= len(m.prog) {
			return 0, m.fault("ran off the end of the program (%d instructions)", len(m.prog))
		}
		m.trace = append(m.trace, m.pc)
		ins := m.prog[m.pc]
		done, ret, err := m.step(ins)
		if err != nil || done {
			return ret, err
		}
	}
}

// step executes one instruction; done reports a return.
func (m *machine) step(ins bpf.RawInstruction) (done bool, ret uint32, err error) {
	switch opcode.Class(ins.Op) {
	case opcode.LD, opcode.LDX:
		err = m.load(ins)
	case opcode.ST, opcode.STX:
		err = m.store(ins)
	case opcode.ALU:
		return m.alu(ins)
	case opcode.JMP:
		return false, 0, m.jump(ins)
	case opcode.RET:
		return m.ret(ins)
	case opcode.MISC:
		err = m.misc(ins)
	}
	m.pc++
	return false, 0, err
}

func (m *machine) load(ins bpf.RawInstruction) error {
	var v uint32
	switch ins.Op &^ 0x07 {
	case opcode.W | opcode.ABS:
		if opcode.Class(ins.Op) != opcode.LD {
			return m.fault("LDX ABS is not allowed in seccomp")
		}
		if ins.K >= ir.SeccompDataSize || ins.K%4 != 0 {
			return m.fault("load of seccomp_data at offset %d: not an aligned offset below 64", ins.K)
		}
		v = m.order.Uint32(m.data[ins.K:])
	case opcode.W | opcode.LEN:
		v = ir.SeccompDataSize
	case opcode.IMM:
		v = ins.K
	case opcode.MEM:
		if ins.K >= opcode.MemWords {
			return m.fault("load of scratch slot %d: slots are 0..15", ins.K)
		}
		v = m.mem[ins.K]
	default:
		return m.fault("opcode %#02x is not allowed in seccomp", ins.Op)
	}
	if opcode.Class(ins.Op) == opcode.LD {
		m.a = v
	} else {
		m.x = v
	}
	return nil
}

func (m *machine) store(ins bpf.RawInstruction) error {
	if ins.Op != opcode.ST && ins.Op != opcode.STX {
		return m.fault("opcode %#02x is not allowed in seccomp", ins.Op)
	}
	if ins.K >= opcode.MemWords {
		return m.fault("store to scratch slot %d: slots are 0..15", ins.K)
	}
	if ins.Op == opcode.ST {
		m.mem[ins.K] = m.a
	} else {
		m.mem[ins.K] = m.x
	}
	return nil
}

func (m *machine) alu(ins bpf.RawInstruction) (bool, uint32, error) {
	operand := ins.K
	if ins.Op&opcode.X != 0 {
		operand = m.x
	}
	op := opcode.Op(ins.Op)
	switch {
	case ins.Op&^0xf8 != opcode.ALU || op == opcode.NEG && ins.Op != opcode.ALU|opcode.NEG:
		return false, 0, m.fault("opcode %#02x is not allowed in seccomp", ins.Op)
	case op == opcode.NEG:
		m.a = -m.a
	case op == opcode.DIV && operand == 0:
		if ins.Op&opcode.X == 0 {
			return false, 0, m.fault("division by constant 0")
		}
		// The kernel ends the filter with 0 on a division by X = 0.
		return true, 0, nil
	default:
		if !m.binary(op, operand, ins.Op&opcode.X != 0) {
			return false, 0, m.fault("opcode %#02x is not allowed in seccomp", ins.Op)
		}
	}
	m.pc++
	return false, 0, nil
}

// binary applies a two-operand ALU operation to A; it reports false for an unknown one.
// Shifts by X use the low 5 bits of X, as the kernel's interpreter and JITs do; shifts by a
// constant of 32 or more are refused by the verifier and yield 0 here.
func (m *machine) binary(op uint16, v uint32, byX bool) bool {
	if byX && (op == opcode.LSH || op == opcode.RSH) {
		v &= 31
	}
	switch op {
	case opcode.ADD:
		m.a += v
	case opcode.SUB:
		m.a -= v
	case opcode.MUL:
		m.a *= v
	case opcode.DIV:
		m.a /= v
	case opcode.OR:
		m.a |= v
	case opcode.AND:
		m.a &= v
	case opcode.XOR:
		m.a ^= v
	case opcode.LSH:
		m.a <<= v
	case opcode.RSH:
		m.a >>= v
	default:
		return false
	}
	return true
}

func (m *machine) jump(ins bpf.RawInstruction) error {
	if ins.Op == opcode.JMP|opcode.JA {
		next := uint64(m.pc) + 1 + uint64(ins.K)
		if next >= uint64(len(m.prog)) {
			return m.fault("jump past the end of the program")
		}
		m.pc = int(next)
		return nil
	}
	v := ins.K
	if ins.Op&opcode.X != 0 {
		v = m.x
	}
	var ok bool
	switch ins.Op &^ opcode.X {
	case opcode.JMP | opcode.JEQ:
		ok = m.a == v
	case opcode.JMP | opcode.JGT:
		ok = m.a > v
	case opcode.JMP | opcode.JGE:
		ok = m.a >= v
	case opcode.JMP | opcode.JSET:
		ok = m.a&v != 0
	default:
		return m.fault("opcode %#02x is not allowed in seccomp", ins.Op)
	}
	skip := ins.Jf
	if ok {
		skip = ins.Jt
	}
	m.pc += 1 + int(skip)
	return nil
}

func (m *machine) ret(ins bpf.RawInstruction) (bool, uint32, error) {
	switch ins.Op {
	case opcode.RET | opcode.K:
		return true, ins.K, nil
	case opcode.RET | opcode.A:
		return true, m.a, nil
	}
	return false, 0, m.fault("opcode %#02x is not allowed in seccomp", ins.Op)
}

func (m *machine) misc(ins bpf.RawInstruction) error {
	switch ins.Op {
	case opcode.MISC | opcode.TAX:
		m.x = m.a
	case opcode.MISC | opcode.TXA:
		m.a = m.x
	default:
		return m.fault("opcode %#02x is not allowed in seccomp", ins.Op)
	}
	return nil
}
