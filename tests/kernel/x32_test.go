//go:build linux && amd64

package kernel_test

import (
	"testing"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/loader"
	"github.com/scc-dev/scc/tests/kernel"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// x32Getpid is getpid by its x32 number: __X32_SYSCALL_BIT | 39.
var x32Getpid = kernel.Syscall(uintptr(ir.X32SyscallBit) | unix.SYS_GETPID).Named("x32 getpid")

// x32Filter returns ret for every number with the x32 bit and allows the rest.
func x32Filter(t *testing.T, ret uint32) []bpf.RawInstruction {
	return assemble(t, append(archCheck(),
		bpf.JumpIf{Cond: bpf.JumpBitsSet, Val: ir.X32SyscallBit, SkipFalse: 1},
		bpf.RetConstant{Val: ret},
		bpf.RetConstant{Val: unix.SECCOMP_RET_ALLOW},
	))
}

// TestX32NumbersReachTheFilter shows that seccomp sees an x32 number, with the x86_64 audit
// arch, before the kernel dispatches it: a filter that kills x32 numbers kills whether or not
// the kernel has CONFIG_X86_X32_ABI.
func TestX32NumbersReachTheFilter(t *testing.T) {
	calls := []kernel.Call{x32Getpid, getpid}
	got := kernel.RunChild(t, x32Filter(t, unix.SECCOMP_RET_KILL_PROCESS), loader.Options{KillProcess: true}, calls)
	want(t, calls, got, is(ir.ActKillProcess), succeeded)

	got = kernel.RunChild(t, x32Filter(t, unix.SECCOMP_RET_TRAP|9), loader.Options{}, calls[:1])
	want(t, calls[:1], got, is(ir.Action{Kind: ir.Trap, Data: 9}))
	if got[0].TrapNr != int32(ir.X32SyscallBit|unix.SYS_GETPID) || got[0].TrapArch != unix.AUDIT_ARCH_X86_64 {
		t.Errorf("x32 trap siginfo: nr %#x arch %#x", got[0].TrapNr, got[0].TrapArch)
	}

	// Allowed, the call reaches the kernel's dispatch: ENOSYS without x32 support.
	got = kernel.RunChild(t, x32Filter(t, unix.SECCOMP_RET_ALLOW), loader.Options{}, calls[:1])
	switch o := got[0]; {
	case o.IsErrno(unix.ENOSYS):
		t.Logf("this kernel has no x32 ABI: an allowed x32 getpid returns ENOSYS")
	case o.Kind == kernel.Returned && o.Errno == 0:
		t.Logf("this kernel has the x32 ABI: x32 getpid returned %d", o.Ret)
	default:
		t.Errorf("allowed x32 getpid: %v", o)
	}
}
