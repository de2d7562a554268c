//go:build linux && amd64

package kernel_test

import (
	"testing"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// Offsets in struct seccomp_data (x86_64, little-endian).
const (
	offNr     = 0
	offArch   = 4
	offArg0Lo = 16
	offArg0Hi = 20
)

// rule returns ret for syscall nr.
type rule struct {
	nr  uintptr
	ret uint32
}

// archCheck kills the process for any arch but x86_64, then loads the syscall number.
func archCheck() []bpf.Instruction {
	return []bpf.Instruction{
		bpf.LoadAbsolute{Off: offArch, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: unix.AUDIT_ARCH_X86_64, SkipTrue: 1},
		bpf.RetConstant{Val: unix.SECCOMP_RET_KILL_PROCESS},
		bpf.LoadAbsolute{Off: offNr, Size: 4},
	}
}

// dispatch is a hand-written filter: each rule's syscall returns its value, the rest are
// allowed.
func dispatch(t testing.TB, rules ...rule) []bpf.RawInstruction {
	t.Helper()
	prog := archCheck()
	for _, r := range rules {
		prog = append(prog,
			bpf.JumpIf{Cond: bpf.JumpNotEqual, Val: uint32(r.nr), SkipTrue: 1},
			bpf.RetConstant{Val: r.ret})
	}
	return assemble(t, append(prog, bpf.RetConstant{Val: unix.SECCOMP_RET_ALLOW}))
}

func assemble(t testing.TB, prog []bpf.Instruction) []bpf.RawInstruction {
	t.Helper()
	raw, err := bpf.Assemble(prog)
	if err != nil {
		t.Fatalf("assembling the test filter: %v", err)
	}
	return raw
}

func errnoRet(e unix.Errno) uint32 { return unix.SECCOMP_RET_ERRNO | uint32(e) }
