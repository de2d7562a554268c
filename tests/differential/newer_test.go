package differential_test

import (
	"testing"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/program"
)

// TestNewerRangesEmulated builds policies with `default newer` and runs the programs in the
// emulator: x32's newer numbers include the gap between its highest common syscall (471) and
// its own calls (512-547), arm's the gap below its private calls (0xf0000); -1 gets the
// default; x32 numbers under an x86_64-only policy are killed. Around every edge of every
// newer range, the program agrees with Decide.
func TestNewerRangesEmulated(t *testing.T) {
	const x32 = ir.X32SyscallBit
	enosys, eperm := ir.ErrnoAction(38), ir.ErrnoAction(1)
	x86 := uint32(ir.AuditArchX86_64)
	tests := []struct {
		name, arches, rules string
		audit               uint32
		want                map[uint32]ir.Action
	}{
		{"x86_64+x32", "x86_64, x32", "", x86, map[uint32]ir.Action{
			x32 | 480: enosys, x32 | 472: enosys, x32 | 511: enosys, x32 | 471: eperm,
			x32 | 520: eperm, x32 | 512: eperm, x32 | 547: eperm, x32 | 548: enosys,
			x32 | 1: ir.ActAllow, 480: enosys, 471: eperm, 1: ir.ActAllow, ir.SkippedSyscall: eperm,
		}},
		{"x32+x86_64", "x32, x86_64", "", x86, map[uint32]ir.Action{
			x32 | 480: enosys, x32 | 520: eperm, 480: enosys, ir.SkippedSyscall: eperm,
		}},
		{"x86_64 alone", "x86_64", "", x86, map[uint32]ir.Action{
			x32 | 480: ir.ActKillProcess, x32 | 520: ir.ActKillProcess, 480: enosys, ir.SkippedSyscall: eperm,
		}},
		{"x32 alone", "x32", "", x86, map[uint32]ir.Action{
			x32 | 480: enosys, x32 | 520: eperm, 480: ir.ActKillProcess, ir.SkippedSyscall: eperm,
		}},
		{"arm", "arm", " allow set_tls\n", 0x40000028, map[uint32]ir.Action{
			0xeffff: enosys, 0xf0000: eperm, 0xf0005: ir.ActAllow, 0xf0003: eperm, 0xf0006: eperm,
			0xf0007: enosys, 4: ir.ActAllow, ir.SkippedSyscall: eperm,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "policy p {\n arch " + tt.arches + "\n default errno(EPERM)\n default newer errno(ENOSYS)\n" +
				" allow write\n" + tt.rules + "}\n"
			out, errs := pipeline.BuildSource("newer.sc", []byte(src), pipeline.Options{})
			if errs.HasErrors() {
				t.Fatalf("%v", errs)
			}
			var calls []program.SeccompData
			for nr, want := range tt.want {
				d := program.SeccompData{Nr: int32(nr), Arch: tt.audit}
				calls = append(calls, d)
				if got := ir.ActionFromRet(emulate(t, out.Filter, d)); got != want {
					t.Errorf("nr %#x: the program says %v, want %v", nr, got, want)
				}
			}
			for _, ap := range out.Policy.Arches {
				for _, r := range ap.NewerRanges() {
					for _, nr := range []uint32{r[0] - 1, r[0], r[0] + 1, r[1] - 1, r[1], r[1] + 1} {
						calls = append(calls, program.SeccompData{Nr: int32(nr), Arch: ap.Arch.Audit})
					}
				}
			}
			agreeWithDecide(t, out.Policy, out.Filter, calls)
		})
	}
}
