//go:build linux && amd64

package e2e_test

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/tests/kernel"
)

// largeRules is the number of conditional rules of the large policy: enough that the
// program is longer than a conditional jump reaches.
const largeRules = 400

// largeKey is the argument value the large policy's rule i compares with.
func largeKey(i int) uint64 { return uint64(i) * 0x1_0000_1f0f }

// largePolicy has largeRules rules on getppid, each with its own errno, and a few rules on
// other calls whose dispatch sits on both sides of getppid's long decision chain.
func largePolicy() string {
	var b strings.Builder
	for i := range largeRules {
		fmt.Fprintf(&b, "errno(%d) getppid if arg0 == %#x\n    ", 1000+i, largeKey(i))
	}
	for i, name := range []string{"getuid", "getgid", "geteuid", "getsid", "sched_getscheduler", "umask"} {
		fmt.Fprintf(&b, "errno(%d) %s if arg0 == 12345\n    ", 2000+i, name)
	}
	return policy("allow", b.String())
}

// longestJump is the farthest jump of a program, in instructions skipped.
func longestJump(prog []bpf.RawInstruction) int {
	far := 0
	for _, ins := range prog {
		switch {
		case ins.Op == unix.BPF_JMP|unix.BPF_JA:
			far = max(far, int(ins.K))
		case ins.Op&0x07 == unix.BPF_JMP:
			far = max(far, int(ins.Jt), int(ins.Jf))
		}
	}
	return far
}

// TestJumpsOver255 proves a program that needs jumps beyond a conditional jump's 8-bit
// offset: the emitted program must hold such a jump, and every rule, near or far, decides in
// the kernel as in the emulator and Decide.
func TestJumpsOver255(t *testing.T) {
	src := largePolicy()
	out := build(t, src)
	if far := longestJump(out.Filter.Program); far <= 255 {
		t.Fatalf("the longest jump of the %d-instruction program is %d: the test needs one over 255",
			len(out.Filter.Program), far)
	}
	var probes []probe
	for _, i := range []int{0, 1, 57, 200, 255, 256, 398, largeRules - 1} {
		k := largeKey(i)
		probes = append(probes,
			probe{sys(fmt.Sprintf("getppid(key %d)", i), unix.SYS_GETPPID, k), errno(uint16(1000 + i))},
			probe{sys(fmt.Sprintf("getppid(key %d ^ 1<<32)", i), unix.SYS_GETPPID, k^1<<32), allow})
	}
	for i, nr := range []uintptr{unix.SYS_GETUID, unix.SYS_GETGID, unix.SYS_GETEUID, unix.SYS_GETSID, unix.SYS_SCHED_GETSCHEDULER, unix.SYS_UMASK} {
		c := kernel.Syscall(nr, 12345)
		probes = append(probes, probe{c, errno(uint16(2000 + i))}, probe{kernel.Syscall(nr, 12346), allow})
	}
	probes = append(probes, probe{getppid, errno(1000)}, probe{getegid, allow})
	prove(t, src, probes)
}
