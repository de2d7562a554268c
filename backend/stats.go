package backend

import (
	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/backend/opcode"
	"github.com/scc-dev/scc/emulator"
	"github.com/scc-dev/scc/ir"
)

// CacheAllowed tells whether the kernel's action cache (Linux 5.11+) would cache "allow" for
// syscall nr on arch audit: it mirrors seccomp_is_const_allow in kernel/seccomp.c, which
// follows the program with only nr and arch known and gives up at any other load, any
// instruction other than K-form JEQ/JGE/JGT/JSET, JA, AND K and RET K, and any RET K other
// than SECCOMP_RET_ALLOW. (The kernel only asks for numbers below its arch's table size and
// for the native and compat arches.)
func CacheAllowed(prog []bpf.RawInstruction, audit uint32, nr uint32) bool {
	var a uint32
	for pc := 0; pc >= 0 && pc < len(prog); pc++ {
		ins := prog[pc]
		switch ins.Op {
		case opLdAbsW:
			switch ins.K {
			case ir.SeccompDataNrOffset:
				a = nr
			case ir.SeccompDataArchOffset:
				a = audit
			default:
				return false
			}
		case opRetK:
			return ins.K == ir.RetAllow
		case opJA:
			pc += int(ins.K)
		case opcode.JMP | opcode.JEQ | opcode.K, opcode.JMP | opcode.JGE | opcode.K, opcode.JMP | opcode.JGT | opcode.K, opcode.JMP | opcode.JSET | opcode.K:
			if jumpTaken(ins, a) {
				pc += int(ins.Jt)
			} else {
				pc += int(ins.Jf)
			}
		case opAndK:
			a &= ins.K
		default:
			return false
		}
	}
	return false // ran off the end: the kernel warns and does not cache
}

// jumpTaken evaluates a K-form conditional jump on a.
func jumpTaken(ins bpf.RawInstruction, a uint32) bool {
	switch opcode.Op(ins.Op) {
	case opcode.JEQ:
		return a == ins.K
	case opcode.JGE:
		return a >= ins.K
	case opcode.JGT:
		return a > ins.K
	}
	return a&ins.K != 0
}

// ArchStats measures a program on one arch over a set of syscall numbers, each called with
// all arguments and the instruction pointer zero.
type ArchStats struct {
	Audit     uint32
	Syscalls  int     // numbers measured
	MaxSteps  int     // most instructions executed for one number
	MaxNr     uint32  // the first number that takes MaxSteps
	MeanSteps float64 // mean instructions executed
	// Cached lists the numbers whose verdict the kernel's action cache holds (always allow).
	Cached []uint32
}

// Stats runs prog with the emulator for every number in nrs on arch audit.
func Stats(prog []bpf.RawInstruction, audit uint32, nrs []uint32, bigEndian bool) (ArchStats, error) {
	st := ArchStats{Audit: audit, Syscalls: len(nrs)}
	total := 0
	for _, nr := range nrs {
		d := ir.SeccompData{Nr: int32(nr), Arch: audit}
		_, steps, err := emulator.Run(prog, d, bigEndian)
		if err != nil {
			return st, err
		}
		total += steps
		if steps > st.MaxSteps {
			st.MaxSteps, st.MaxNr = steps, nr
		}
		if CacheAllowed(prog, audit, nr) {
			st.Cached = append(st.Cached, nr)
		}
	}
	if len(nrs) > 0 {
		st.MeanSteps = float64(total) / float64(len(nrs))
	}
	return st, nil
}

// Numbers returns the syscall numbers lo..hi, for Stats.
func Numbers(lo, hi uint32) []uint32 {
	var nrs []uint32
	for n := uint64(lo); n <= uint64(hi); n++ {
		nrs = append(nrs, uint32(n))
	}
	return nrs
}
