package program

import (
	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/program/opcode"
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
			case SeccompDataNrOffset:
				a = nr
			case SeccompDataArchOffset:
				a = audit
			default:
				return false
			}
		case opRetK:
			return ins.K == RetAllow
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

// ReturnsKillProcess tells whether any RET K of prog returns SECCOMP_RET_KILL_PROCESS: such
// a program must not be installed where the kernel lacks that action (before Linux 4.14 an
// unknown action kills only the thread).
func ReturnsKillProcess(prog []bpf.RawInstruction) bool {
	for _, ins := range prog {
		if ins.Op == opRetK && ins.K&RetActionFull == RetKillProcess {
			return true
		}
	}
	return false
}
