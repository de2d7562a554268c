package program

import (
	"slices"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/program/opcode"
)

// VM runs one verified seccomp program in user space, with the kernel's semantics, on given
// struct seccomp_data values.
//
// NewVM verifies the program once, as the kernel does at attach (the way x/net/bpf's NewVM
// and gVisor's bpf.Compile do), so that a run never meets a bad opcode, an out-of-range load
// or scratch slot, or a jump off the end: Run and Trace cannot fail. The VM holds its own copy
// of the program; it is safe for concurrent use.
type VM struct {
	prog      []bpf.RawInstruction
	bigEndian bool
}

// NewVM verifies prog (see Verify) and returns a VM that runs it on seccomp_data of the given
// byte order: the byte order of the arch that makes the calls, whose 32-bit words the
// program's loads read. The error is the verifier's *VerifyError.
func NewVM(prog []bpf.RawInstruction, bigEndian bool) (*VM, error) {
	if err := Verify(prog); err != nil {
		return nil, err
	}
	return &VM{prog: slices.Clone(prog), bigEndian: bigEndian}, nil
}

// Run executes the program on d and returns the filter's return value and the number of
// instructions executed. A division by X = 0 ends the program with return value 0, as in
// the kernel.
func (vm *VM) Run(d SeccompData) (ret uint32, steps int) {
	m := vm.start(d)
	for {
		steps++
		if done, ret := m.step(vm.prog[m.pc]); done {
			return ret, steps
		}
	}
}

// Trace is Run that returns the pc of every executed instruction, in order, instead of their
// number.
func (vm *VM) Trace(d SeccompData) (ret uint32, pcs []int) {
	m := vm.start(d)
	for {
		pcs = append(pcs, m.pc)
		if done, ret := m.step(vm.prog[m.pc]); done {
			return ret, pcs
		}
	}
}

// machine is the state of one run.
type machine struct {
	data [SeccompDataSize / 4]uint32 // what a load at offset 4i reads, by i
	a, x uint32
	mem  [opcode.MemWords]uint32
	pc   int
}

// start is the state before the first instruction: seccomp_data laid out in the VM's byte
// order, the registers and scratch slots zero.
func (vm *VM) start(d SeccompData) machine {
	return machine{data: d.words(vm.bigEndian)}
}

// words lays d out as the 32-bit words that loads read from struct seccomp_data on an arch
// of the given byte order: a 64-bit field's low half comes first on a little-endian arch,
// its high half on a big-endian one.
func (d SeccompData) words(bigEndian bool) (w [SeccompDataSize / 4]uint32) {
	w[SeccompDataNrOffset/4] = uint32(d.Nr)
	w[SeccompDataArchOffset/4] = d.Arch
	put := func(off int, v uint64) {
		first, second := uint32(v), uint32(v>>32)
		if bigEndian {
			first, second = second, first
		}
		w[off/4], w[off/4+1] = first, second
	}
	put(SeccompDataIPOffset, d.InstructionPointer)
	for i, a := range d.Args {
		put(SeccompDataArgsOffset+8*i, a)
	}
	return w
}

// step executes one instruction of a verified program; done reports a return. Verify
// admits only the opcodes handled here, with their operands in range.
func (m *machine) step(ins bpf.RawInstruction) (done bool, ret uint32) {
	switch opcode.Class(ins.Op) {
	case opcode.LD, opcode.LDX:
		m.load(ins)
	case opcode.ST:
		m.mem[ins.K] = m.a
	case opcode.STX:
		m.mem[ins.K] = m.x
	case opcode.ALU:
		if m.alu(ins) {
			return true, 0 // the kernel ends the filter with 0 on a division by X = 0
		}
	case opcode.JMP:
		m.jump(ins)
		return false, 0
	case opcode.RET:
		if ins.Op == opRetA {
			return true, m.a
		}
		return true, ins.K
	case opcode.MISC:
		if ins.Op == opcode.MISC|opcode.TAX {
			m.x = m.a
		} else {
			m.a = m.x
		}
	}
	m.pc++
	return false, 0
}

func (m *machine) load(ins bpf.RawInstruction) {
	var v uint32
	switch ins.Op &^ 0x07 {
	case opcode.W | opcode.ABS:
		v = m.data[ins.K/4]
	case opcode.W | opcode.LEN:
		v = SeccompDataSize
	case opcode.IMM:
		v = ins.K
	case opcode.MEM:
		v = m.mem[ins.K]
	}
	if opcode.Class(ins.Op) == opcode.LD {
		m.a = v
	} else {
		m.x = v
	}
}

// alu applies an ALU instruction to A; it reports a division by X = 0, which ends the
// program. Shifts by X use the low 5 bits of X, as the kernel's interpreter and JITs do
// (Verify refuses shifts by a constant of 32 or more, and division by a constant 0).
func (m *machine) alu(ins bpf.RawInstruction) (divByZero bool) {
	v := ins.K
	if ins.Op&opcode.X != 0 {
		v = m.x
	}
	switch op := opcode.Op(ins.Op); op {
	case opcode.NEG:
		m.a = -m.a
	case opcode.ADD:
		m.a += v
	case opcode.SUB:
		m.a -= v
	case opcode.MUL:
		m.a *= v
	case opcode.DIV:
		if v == 0 {
			return true
		}
		m.a /= v
	case opcode.OR:
		m.a |= v
	case opcode.AND:
		m.a &= v
	case opcode.XOR:
		m.a ^= v
	case opcode.LSH:
		m.a <<= v & 31
	case opcode.RSH:
		m.a >>= v & 31
	}
	return false
}

func (m *machine) jump(ins bpf.RawInstruction) {
	if ins.Op == opJA {
		m.pc += 1 + int(ins.K)
		return
	}
	v := ins.K
	if ins.Op&opcode.X != 0 {
		v = m.x
	}
	var ok bool
	switch opcode.Op(ins.Op) {
	case opcode.JEQ:
		ok = m.a == v
	case opcode.JGT:
		ok = m.a > v
	case opcode.JGE:
		ok = m.a >= v
	case opcode.JSET:
		ok = m.a&v != 0
	}
	skip := ins.Jf
	if ok {
		skip = ins.Jt
	}
	m.pc += 1 + int(skip)
}
