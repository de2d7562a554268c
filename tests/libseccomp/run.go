//go:build linux && cgo

package libseccomp

import (
	"errors"
	"fmt"

	"github.com/scc-dev/scc/ir"
	"golang.org/x/net/bpf"
)

// Classic BPF opcode fields (linux/filter.h).
const (
	clsLD, clsLDX, clsST, clsSTX, clsALU, clsJMP, clsRET, clsMISC = 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07

	modeIMM, modeABS, modeMEM, modeLEN = 0x00, 0x20, 0x60, 0x80
	srcX                               = 0x08
	retA                               = 0x10
	miscTXA                            = 0x80
)

// machine is the state of a classic BPF program run on one seccomp_data.
type machine struct {
	a, x  uint32
	mem   [16]uint32
	words [ir.SeccompDataSize / 4]uint32
}

// Run runs a seccomp program on d as the kernel does and returns the filter's return value.
func Run(prog []bpf.RawInstruction, d ir.SeccompData) (uint32, error) {
	ret, _, err := Exec(prog, d)
	return ret, err
}

// Exec runs a seccomp program on d as the kernel does (the instructions seccomp accepts,
// loads of 32-bit words of seccomp_data in the byte order of d.Arch) and returns the filter's
// return value and the number of instructions executed.
func Exec(prog []bpf.RawInstruction, d ir.SeccompData) (ret uint32, steps int, err error) {
	m := machine{words: dataWords(d)}
	for pc := 0; pc < len(prog); steps++ {
		in := prog[pc]
		if in.Op&0x07 == clsRET {
			return m.ret(in), steps + 1, nil
		}
		next, err := m.step(in, pc)
		if errors.Is(err, errDivZero) {
			return 0, steps + 1, nil // the kernel's converted program returns 0
		}
		if err != nil {
			return 0, steps, fmt.Errorf("instruction %d (%#04x %d %d %#x): %w", pc, in.Op, in.Jt, in.Jf, in.K, err)
		}
		pc = next
	}
	return 0, steps, errors.New("program ran off its end")
}

// dataWords lays out seccomp_data as 32-bit words, each holding the value a 32-bit load at
// its offset reads on an arch of d.Arch's byte order.
func dataWords(d ir.SeccompData) [ir.SeccompDataSize / 4]uint32 {
	be := bigEndianAudit(d.Arch)
	var w [ir.SeccompDataSize / 4]uint32
	w[ir.SeccompDataNrOffset/4] = uint32(d.Nr)
	w[ir.SeccompDataArchOffset/4] = d.Arch
	put := func(lo, hi uint32, v uint64) {
		w[lo/4], w[hi/4] = uint32(v), uint32(v>>32)
	}
	ipLo, ipHi := uint32(ir.SeccompDataIPOffset), uint32(ir.SeccompDataIPOffset+4)
	if be {
		ipLo, ipHi = ipHi, ipLo
	}
	put(ipLo, ipHi, d.InstructionPointer)
	for i, a := range d.Args {
		put(ir.ArgOffset(i, false, be), ir.ArgOffset(i, true, be), a)
	}
	return w
}

func (m *machine) ret(in bpf.RawInstruction) uint32 {
	if in.Op&retA != 0 {
		return m.a
	}
	return in.K
}

// step executes one instruction other than RET and returns the next pc.
func (m *machine) step(in bpf.RawInstruction, pc int) (int, error) {
	var err error
	switch in.Op & 0x07 {
	case clsLD:
		m.a, err = m.load(in)
	case clsLDX:
		m.x, err = m.load(in)
	case clsST, clsSTX:
		err = m.store(in)
	case clsALU:
		err = m.alu(in)
	case clsJMP:
		return m.jump(in, pc)
	case clsMISC:
		m.misc(in)
	}
	return pc + 1, err
}

// load reads a word: immediate, seccomp_data (absolute), scratch memory or the data length.
func (m *machine) load(in bpf.RawInstruction) (uint32, error) {
	mode, size := in.Op&0xe0, in.Op&0x18
	switch {
	case size != 0 && mode != modeIMM:
		return 0, errors.New("only 32-bit loads are allowed in seccomp")
	case mode == modeIMM:
		return in.K, nil
	case mode == modeLEN:
		return ir.SeccompDataSize, nil
	case mode == modeMEM && in.K < 16:
		return m.mem[in.K], nil
	case mode == modeABS && in.Op&0x07 == clsLD && in.K%4 == 0 && in.K < ir.SeccompDataSize:
		return m.words[in.K/4], nil
	}
	return 0, errors.New("invalid load")
}

func (m *machine) store(in bpf.RawInstruction) error {
	if in.K >= 16 {
		return errors.New("scratch memory index out of range")
	}
	m.mem[in.K] = m.a
	if in.Op&0x07 == clsSTX {
		m.mem[in.K] = m.x
	}
	return nil
}

func (m *machine) misc(in bpf.RawInstruction) {
	if in.Op&0xf8 == miscTXA {
		m.a = m.x
	} else {
		m.x = m.a
	}
}

// errDivZero reports a division by zero, on which the kernel's filter returns 0.
var errDivZero = errors.New("division by zero")

// alu applies an arithmetic operation to A.
func (m *machine) alu(in bpf.RawInstruction) error {
	v := in.K
	if in.Op&srcX != 0 {
		v = m.x
	}
	switch in.Op & 0xf0 {
	case 0x00:
		m.a += v
	case 0x10:
		m.a -= v
	case 0x20:
		m.a *= v
	case 0x30, 0x90:
		if v == 0 {
			return errDivZero
		}
		if in.Op&0xf0 == 0x30 {
			m.a /= v
		} else {
			m.a %= v
		}
	case 0x40:
		m.a |= v
	case 0x50:
		m.a &= v
	case 0x60:
		m.a <<= v
	case 0x70:
		m.a >>= v
	case 0x80:
		m.a = -m.a
	case 0xa0:
		m.a ^= v
	default:
		return errors.New("invalid ALU operation")
	}
	return nil
}

// jump returns the pc after a jump instruction; jumps go forward only.
func (m *machine) jump(in bpf.RawInstruction, pc int) (int, error) {
	v := in.K
	if in.Op&srcX != 0 {
		v = m.x
	}
	var taken bool
	switch in.Op & 0xf0 {
	case 0x00:
		return pc + 1 + int(in.K), nil
	case 0x10:
		taken = m.a == v
	case 0x20:
		taken = m.a > v
	case 0x30:
		taken = m.a >= v
	case 0x40:
		taken = m.a&v != 0
	default:
		return 0, errors.New("invalid jump")
	}
	if taken {
		return pc + 1 + int(in.Jt), nil
	}
	return pc + 1 + int(in.Jf), nil
}
