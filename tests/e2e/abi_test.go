//go:build linux && amd64

package e2e_test

import (
	"fmt"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/stdlib"
	"github.com/scc-dev/scc/tests/kernel"
)

// x32 returns the x32 call of an x86_64 syscall number: __X32_SYSCALL_BIT | nr.
func x32(name string, nr uintptr) kernel.Call {
	return sys("x32 "+name, uintptr(ir.X32SyscallBit)|nr)
}

// TestX32KilledUnlessDeclared: a policy for x86_64 alone kills x32 numbers, whatever its
// default.
func TestX32KilledUnlessDeclared(t *testing.T) {
	prove(t, policy("allow", "errno(1050) getppid"), []probe{
		{getppid, errno(1050)},
		{x32("getppid", unix.SYS_GETPPID), killP},
		{x32("getuid", unix.SYS_GETUID), killP},
		{getuid, allow},
	})
}

// TestX32Declared: with x32 declared, x32 numbers get the x32 rules. An allowed x32 call
// passes the filter and then fails with ENOSYS on this kernel, which has no x32 ABI (the
// harness's match for allow accepts any return).
func TestX32Declared(t *testing.T) {
	src := "policy t {\n arch x86_64, x32\n default allow\n errno(1051) getppid\n trap(5) getgid\n}\n"
	got := prove(t, src, []probe{
		{getppid, errno(1051)},
		{x32("getppid", unix.SYS_GETPPID), errno(1051)},
		{x32("getgid", unix.SYS_GETGID), trap(5)},
		{x32("getuid", unix.SYS_GETUID), allow},
	})
	if o := got[3]; !o.IsErrno(unix.ENOSYS) {
		t.Logf("an allowed x32 getuid returned %v: this kernel has the x32 ABI", o)
	}
}

// firstHole is the lowest number below the arch's highest that its table does not name.
func firstHole(t *testing.T, arch string) uint32 {
	for nr := uint32(0); nr < stdlib.MaxSyscall(arch); nr++ {
		if _, ok := stdlib.SyscallName(arch, nr); !ok {
			return nr
		}
	}
	t.Fatalf("the %s table has no hole", arch)
	return 0
}

// TestDefaultNewer: `default newer` applies to numbers above the table's highest, never to
// holes below it, nor to the -1 a tracer writes to skip a call (it gets the default, so that
// the tracer's skip stands). With a default that denies, the newer numbers get ENOSYS so that
// libc falls back.
func TestDefaultNewer(t *testing.T) {
	max, hole := uintptr(stdlib.MaxSyscall("x86_64")), uintptr(firstHole(t, "x86_64"))
	num := func(name string, nr uintptr) kernel.Call { return sys(fmt.Sprintf("%s %#x", name, nr), nr) }
	src := harnessBase + policy("errno(1041)", "default newer errno(ENOSYS)", "use harness")
	prove(t, src, []probe{
		{num("newer", max+1), errno(uint16(unix.ENOSYS))},
		{num("newer", max+1000), errno(uint16(unix.ENOSYS))},
		{num("newer", 0x3fffffff), errno(uint16(unix.ENOSYS))},
		{num("hole", hole), errno(1041)},
		{num("highest", max), errno(1041)},
		{getppid, errno(1041)},
		{x32("getppid", unix.SYS_GETPPID), killP},
	})
	// A default of allow with a distinct newer errno tells the filter's ENOSYS from the
	// kernel's own for a number it does not know.
	prove(t, policy("allow", "default newer errno(1040)"), []probe{
		{num("newer", max+1), errno(1040)},
		{num("skipped", 0xffffffff), allow},
		{num("hole", hole), allow},
		{getppid, allow},
	})
}
