package oci

import (
	"strings"
	"testing"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/stdlib"
)

// decideNr is the policy's action for a raw number on an arch, with zero arguments.
func decideNr(t *testing.T, p *ir.Policy, arch string, nr uint32) ir.Action {
	t.Helper()
	a, ok := stdlib.LookupArch(arch)
	if !ok {
		t.Fatalf("no arch %s", arch)
	}
	return p.Decide(program.SeccompData{Nr: int32(nr), Arch: a.Audit})
}

func nrOf(t *testing.T, arch, name string) uint32 {
	t.Helper()
	nr, ok := stdlib.SyscallNumber(arch, name)
	if !ok {
		t.Fatalf("no syscall %s on %s", name, arch)
	}
	return nr
}

// TestRuncENOSYS: an imported profile says `default newer named errno(ENOSYS)`, and its
// filter returns ENOSYS exactly where runc's stub does: above the highest number the
// profile names on each arch (x32's numbers against x32's highest), -1 included.
func TestRuncENOSYS(t *testing.T) {
	src := importProfile(t, dockerDefault(t), "6.1", nil)
	if !strings.Contains(src, "\n    default newer named errno(ENOSYS)\n") {
		t.Fatalf("the import lacks runc's ENOSYS stub:\n%s", src)
	}
	p := compile(t, src)
	for _, arch := range []string{"x86_64", "i386", "x32"} {
		var ap *ir.ArchPolicy
		for _, a := range p.Arches {
			if a.Arch.Name == arch {
				ap = a
			}
		}
		var top uint32
		for nr := range ap.Rules {
			top = max(top, nr)
		}
		for _, c := range []struct {
			nr   uint32
			want ir.Action
		}{
			{top + 1, enosys}, {top + 100, enosys}, {0x3fffffff | ap.Arch.NrMask, enosys},
		} {
			if got := decideNr(t, p, arch, c.nr); got != c.want {
				t.Errorf("%s nr %#x: got %v, want %v", arch, c.nr, got, c.want)
			}
		}
		if got := decideNr(t, p, arch, nrOf(t, arch, "read")); got != allow {
			t.Errorf("%s read: got %v", arch, got)
		}
	}
	for _, c := range []struct {
		arch string
		nr   uint32
		want ir.Action
	}{
		{"x86_64", 1000, enosys},
		{"x86_64", ir.SkippedSyscall, enosys}, // runc compares -1 with x32's highest
		{"x86_64", 0x80000000, enosys},
		{"i386", ir.SkippedSyscall, enosys},
		{"x86_64", nrOf(t, "x86_64", "mount"), eperm}, // named by no rule that applies, below the highest
	} {
		if got := decideNr(t, p, c.arch, c.nr); got != c.want {
			t.Errorf("%s nr %#x: got %v, want %v", c.arch, c.nr, got, c.want)
		}
	}

	off, err := Import(dockerDefault(t), ImportOptions{EvalOptions: EvalOptions{Arch: "amd64", Kernel: "6.1", NoNewerENOSYS: true}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(off), "default newer") {
		t.Errorf("NoNewerENOSYS: the import still has the stub")
	}
	if got := decideNr(t, compile(t, string(off)), "x86_64", 1000); got != eperm {
		t.Errorf("NoNewerENOSYS: nr 1000 got %v, want EPERM", got)
	}
}

// TestRuncENOSYSArches: without x32, x86_64's numbers with the x32 bit are left to the
// filter (killed as another ABI's), and -1 gets the default; on s390x, 0 gets ENOSYS.
func TestRuncENOSYSArches(t *testing.T) {
	const x86 = `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
		"syscalls": [{"names": ["read", "write", "openat"], "action": "SCMP_ACT_ALLOW"}]}`
	p := compile(t, importProfile(t, []byte(x86), "6.1", nil))
	for _, c := range []struct {
		nr   uint32
		want ir.Action
	}{
		{nrOf(t, "x86_64", "openat") + 1, enosys}, {0x3fffffff, enosys},
		{ir.SkippedSyscall, eperm}, {0x40000001, ir.ActKillProcess},
		{nrOf(t, "x86_64", "close"), eperm},
	} {
		if got := decideNr(t, p, "x86_64", c.nr); got != c.want {
			t.Errorf("x86_64 alone, nr %#x: got %v, want %v", c.nr, got, c.want)
		}
	}
	const s390 = `{"defaultAction": "SCMP_ACT_KILL", "architectures": ["SCMP_ARCH_S390X"],
		"syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"}]}`
	out, err := Import([]byte(s390), ImportOptions{EvalOptions: EvalOptions{Arch: "s390x", Kernel: "6.1"}})
	if err != nil {
		t.Fatal(err)
	}
	p = compile(t, string(out))
	for _, c := range []struct {
		nr   uint32
		want ir.Action
	}{
		{0, enosys}, {nrOf(t, "s390x", "write") + 1, enosys}, {ir.SkippedSyscall, enosys},
		{nrOf(t, "s390x", "fork"), ir.ActKillThread},
	} {
		if got := decideNr(t, p, "s390x", c.nr); got != c.want {
			t.Errorf("s390x, nr %#x: got %v, want %v", c.nr, got, c.want)
		}
	}
}
