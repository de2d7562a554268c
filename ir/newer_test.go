package ir

import (
	"reflect"
	"testing"

	"github.com/scc-dev/scc/program"
)

// x32Newer is x32 as the compiler builds it: common syscalls up to 471, its own at 512-547.
func x32Newer() *ArchPolicy {
	enosys := ErrnoAction(38)
	return &ArchPolicy{
		Arch:      Arch{Name: "x32", Audit: AuditArchX86_64, NrMask: X32SyscallBit},
		Default:   ErrnoAction(1),
		Rules:     map[uint32][]Rule{X32SyscallBit | 490: {{Action: ActAllow}}},
		MaxKnown:  X32SyscallBit | 547,
		NewerGaps: [][2]uint32{{X32SyscallBit | 472, X32SyscallBit | 511}},
		Newer:     &enosys,
	}
}

func TestNewerRanges(t *testing.T) {
	ap := x32Newer()
	want := [][2]uint32{{X32SyscallBit | 472, X32SyscallBit | 511}, {X32SyscallBit | 548, SkippedSyscall - 1}}
	if got := ap.NewerRanges(); !reflect.DeepEqual(got, want) {
		t.Errorf("NewerRanges = %#x, want %#x", got, want)
	}
	for nr, want := range map[uint32]bool{
		X32SyscallBit | 471: false, X32SyscallBit | 472: true, X32SyscallBit | 480: true,
		X32SyscallBit | 511: true, X32SyscallBit | 512: false, X32SyscallBit | 520: false,
		X32SyscallBit | 547: false, X32SyscallBit | 548: true, 0xfffffffe: true,
		SkippedSyscall: false,
	} {
		if got := ap.IsNewer(nr); got != want {
			t.Errorf("IsNewer(%#x) = %t, want %t", nr, got, want)
		}
	}
	top := &ArchPolicy{MaxKnown: SkippedSyscall - 1}
	if got := top.NewerRanges(); len(got) != 0 || top.IsNewer(SkippedSyscall) {
		t.Errorf("a table up to 0xfffffffe: NewerRanges = %#x, IsNewer(-1) = %t", got, top.IsNewer(SkippedSyscall))
	}
}

// TestDecideNewer: Newer covers the gaps below a table's own block and the numbers above it,
// never a number with rules, nor -1, which a tracer writes to skip a call: it gets the default.
func TestDecideNewer(t *testing.T) {
	ap := x32Newer()
	p := &Policy{Arches: []*ArchPolicy{ap}, BadArch: ActKillProcess}
	for nr, want := range map[uint32]Action{
		X32SyscallBit | 480: *ap.Newer,      // a future common syscall
		X32SyscallBit | 520: ap.Default,     // x32's own execve
		X32SyscallBit | 471: ap.Default,     // the highest common syscall
		X32SyscallBit | 490: ActAllow,       // a rule in the gap decides
		X32SyscallBit | 600: *ap.Newer,      // above the table
		SkippedSyscall:      ap.Default,     // a skipped call
		480:                 ActKillProcess, // an x86_64 number: no arch of the policy
	} {
		d := program.SeccompData{Nr: int32(nr), Arch: AuditArchX86_64}
		if got := p.Decide(d); got != want {
			t.Errorf("Decide(%#x) = %v, want %v", nr, got, want)
		}
	}
}
