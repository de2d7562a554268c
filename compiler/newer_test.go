package compiler

import (
	"testing"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
)

// TestNewerGapsX32: on x32, `default newer` covers the future common syscalls between its
// highest (471) and its own calls at 512, not those own calls; -1 gets the default.
func TestNewerGapsX32(t *testing.T) {
	p := compileOK(t, `policy p {
    arch x86_64, x32
    default allow
    default newer errno(ENOSYS)
    errno(EPERM) sync_file_range
}`).Policy
	enosys := ir.ErrnoAction(uint16(constant(t, "ENOSYS")))
	for nr, want := range map[uint32]ir.Action{
		ir.X32SyscallBit | 480:                  enosys,      // a future common syscall
		ir.X32SyscallBit | 511:                  enosys,      // the last number below x32's own
		ir.X32SyscallBit | 471:                  ir.ActAllow, // rseq_slice_yield, the highest common syscall
		ir.X32SyscallBit | 520:                  ir.ActAllow, // x32's own execve
		ir.X32SyscallBit | 548:                  enosys,      // above the table
		472:                                     enosys,      // x86_64's own newer numbers
		ir.SkippedSyscall:                       ir.ActAllow, // a call a tracer skipped
		uint32(nr(t, "x32", "sync_file_range")): ir.ErrnoAction(1),
	} {
		if got := p.Decide(program.SeccompData{Nr: int32(nr), Arch: ir.AuditArchX86_64}); got != want {
			t.Errorf("nr %#x: got %v, want %v", nr, got, want)
		}
	}
}

// TestARMPrivateCallsCompile: arm's private calls and sync_file_range2 resolve, and its
// newer numbers are those between its highest common syscall and 0xf0000, and above set_tls's
// block.
func TestARMPrivateCallsCompile(t *testing.T) {
	p := compileOK(t, `policy p {
    arch arm
    default errno(EPERM)
    default newer errno(ENOSYS)
    allow set_tls, cacheflush, breakpoint, sync_file_range2
}`).Policy
	ap := p.Arches[0]
	enosys := ir.ErrnoAction(uint16(constant(t, "ENOSYS")))
	for nr, want := range map[uint32]ir.Action{
		0xf0005: ir.ActAllow, 0xf0002: ir.ActAllow, 0xf0001: ir.ActAllow, 341: ir.ActAllow,
		0xf0003: ir.ErrnoAction(1), 0xf0000: ir.ErrnoAction(1), 0xeffff: enosys, 0xf0007: enosys,
		0: ir.ErrnoAction(1), ir.SkippedSyscall: ir.ErrnoAction(1),
	} {
		if got := p.Decide(program.SeccompData{Nr: int32(nr), Arch: ap.Arch.Audit}); got != want {
			t.Errorf("arm nr %#x: got %v, want %v", nr, got, want)
		}
	}
	if ap.Names[341] != "arm_sync_file_range" {
		t.Errorf("arm's 341 is named %q", ap.Names[341])
	}
}

// TestTwoNamesOfOneSyscall: arm's sync_file_range2 is arm_sync_file_range (341); a rule naming
// both holds one rule for the number, so lint sees no duplicate.
func TestTwoNamesOfOneSyscall(t *testing.T) {
	res, errs := CompileSource("t.sc", []byte("policy p {\n    arch arm\n    allow arm_sync_file_range, sync_file_range2\n}\n"), Options{})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	if n := len(res.Policy.Arches[0].Rules[341]); n != 1 {
		t.Errorf("arm 341 has %d rules, want 1", n)
	}
}
