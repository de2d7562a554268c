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

	"github.com/scc-dev/scc/ir"
)

// Opcode parts, as in <linux/bpf_common.h>.
const (
	clsLD   = 0x00
	clsLDX  = 0x01
	clsST   = 0x02
	clsSTX  = 0x03
	clsALU  = 0x04
	clsJMP  = 0x05
	clsRET  = 0x06
	clsMISC = 0x07

	sizeW   = 0x00
	modeIMM = 0x00
	modeABS = 0x20
	modeMEM = 0x60
	modeLEN = 0x80

	srcK = 0x00
	srcX = 0x08
	retA = 0x10

	opADD = 0x00
	opSUB = 0x10
	opMUL = 0x20
	opDIV = 0x30
	opOR  = 0x40
	opAND = 0x50
	opLSH = 0x60
	opRSH = 0x70
	opNEG = 0x80
	opXOR = 0xa0

	jmpJA   = 0x00
	jmpJEQ  = 0x10
	jmpJGT  = 0x20
	jmpJGE  = 0x30
	jmpJSET = 0x40

	miscTAX = 0x00
	miscTXA = 0x80

	memWords = 16
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
	mem   [memWords]uint32
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
	switch ins.Op & 0x07 {
	case clsLD, clsLDX:
		err = m.load(ins)
	case clsST, clsSTX:
		err = m.store(ins)
	case clsALU:
		return m.alu(ins)
	case clsJMP:
		return false, 0, m.jump(ins)
	case clsRET:
		return m.ret(ins)
	case clsMISC:
		err = m.misc(ins)
	}
	m.pc++
	return false, 0, err
}

func (m *machine) load(ins bpf.RawInstruction) error {
	var v uint32
	switch ins.Op &^ 0x07 {
	case sizeW | modeABS:
		if ins.Op&0x07 != clsLD {
			return m.fault("LDX ABS is not allowed in seccomp")
		}
		if ins.K >= ir.SeccompDataSize || ins.K%4 != 0 {
			return m.fault("load of seccomp_data at offset %d: not an aligned offset below 64", ins.K)
		}
		v = m.order.Uint32(m.data[ins.K:])
	case sizeW | modeLEN:
		v = ir.SeccompDataSize
	case modeIMM:
		v = ins.K
	case modeMEM:
		if ins.K >= memWords {
			return m.fault("load of scratch slot %d: slots are 0..15", ins.K)
		}
		v = m.mem[ins.K]
	default:
		return m.fault("opcode %#02x is not allowed in seccomp", ins.Op)
	}
	if ins.Op&0x07 == clsLD {
		m.a = v
	} else {
		m.x = v
	}
	return nil
}

func (m *machine) store(ins bpf.RawInstruction) error {
	if ins.Op != clsST && ins.Op != clsSTX {
		return m.fault("opcode %#02x is not allowed in seccomp", ins.Op)
	}
	if ins.K >= memWords {
		return m.fault("store to scratch slot %d: slots are 0..15", ins.K)
	}
	if ins.Op == clsST {
		m.mem[ins.K] = m.a
	} else {
		m.mem[ins.K] = m.x
	}
	return nil
}

func (m *machine) alu(ins bpf.RawInstruction) (bool, uint32, error) {
	operand := ins.K
	if ins.Op&srcX != 0 {
		operand = m.x
	}
	op := ins.Op & 0xf0
	switch {
	case ins.Op&^0xf8 != clsALU || op == opNEG && ins.Op != clsALU|opNEG:
		return false, 0, m.fault("opcode %#02x is not allowed in seccomp", ins.Op)
	case op == opNEG:
		m.a = -m.a
	case op == opDIV && operand == 0:
		if ins.Op&srcX == 0 {
			return false, 0, m.fault("division by constant 0")
		}
		// The kernel ends the filter with 0 on a division by X = 0.
		return true, 0, nil
	default:
		if !m.binary(op, operand, ins.Op&srcX != 0) {
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
	if byX && (op == opLSH || op == opRSH) {
		v &= 31
	}
	switch op {
	case opADD:
		m.a += v
	case opSUB:
		m.a -= v
	case opMUL:
		m.a *= v
	case opDIV:
		m.a /= v
	case opOR:
		m.a |= v
	case opAND:
		m.a &= v
	case opXOR:
		m.a ^= v
	case opLSH:
		m.a <<= v
	case opRSH:
		m.a >>= v
	default:
		return false
	}
	return true
}

func (m *machine) jump(ins bpf.RawInstruction) error {
	if ins.Op == clsJMP|jmpJA {
		next := uint64(m.pc) + 1 + uint64(ins.K)
		if next >= uint64(len(m.prog)) {
			return m.fault("jump past the end of the program")
		}
		m.pc = int(next)
		return nil
	}
	v := ins.K
	if ins.Op&srcX != 0 {
		v = m.x
	}
	var ok bool
	switch ins.Op &^ srcX {
	case clsJMP | jmpJEQ:
		ok = m.a == v
	case clsJMP | jmpJGT:
		ok = m.a > v
	case clsJMP | jmpJGE:
		ok = m.a >= v
	case clsJMP | jmpJSET:
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
	case clsRET | srcK:
		return true, ins.K, nil
	case clsRET | retA:
		return true, m.a, nil
	}
	return false, 0, m.fault("opcode %#02x is not allowed in seccomp", ins.Op)
}

func (m *machine) misc(ins bpf.RawInstruction) error {
	switch ins.Op {
	case clsMISC | miscTAX:
		m.x = m.a
	case clsMISC | miscTXA:
		m.a = m.x
	default:
		return m.fault("opcode %#02x is not allowed in seccomp", ins.Op)
	}
	return nil
}
