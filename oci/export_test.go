package oci

import (
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/stdlib"
)

const exportSrc = `policy web {
    arch x86_64
    default errno(EPERM)
    flags log, tsync
    allow read, write, close
    errno(EPERM) clone if flags & CLONE_NEWUSER != 0
    allow clone
    errno(EAFNOSUPPORT) socket if domain == AF_PACKET
    allow socket
    allow fcntl if fd < 1024
    allow mmap if prot & PROT_EXEC == 0 || flags & MAP_ANONYMOUS != 0
    kill ptrace
}
`

func TestExport(t *testing.T) {
	p := compile(t, exportSrc)
	out, misfits, err := Export(p)
	if err != nil {
		t.Fatal(err)
	}
	var prof Profile
	if err := json.Unmarshal(out, &prof); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, out)
	}
	if prof.DefaultAction != "SCMP_ACT_ERRNO" || prof.DefaultErrnoRet == nil || *prof.DefaultErrnoRet != 1 {
		t.Errorf("default: %s %v", prof.DefaultAction, prof.DefaultErrnoRet)
	}
	if strings.Join(prof.Architectures, ",") != "SCMP_ARCH_X86_64" ||
		strings.Join(prof.Flags, ",") != "SECCOMP_FILTER_FLAG_TSYNC,SECCOMP_FILTER_FLAG_LOG" {
		t.Errorf("arches %v flags %v", prof.Architectures, prof.Flags)
	}
	text := string(out)
	for _, want := range []string{`"SCMP_CMP_MASKED_EQ"`, `"SCMP_CMP_NE"`, `"SCMP_ACT_KILL_PROCESS"`, `"errnoRet": 97`} {
		if !strings.Contains(text, want) {
			t.Errorf("export lacks %s:\n%s", want, text)
		}
	}
	all := strings.Join(misfits, "\n")
	if len(misfits) != 2 || !strings.Contains(all, "fcntl: arg0 < 0x400 compares the low 32 bits") ||
		!strings.Contains(all, "socket: arg0 != 0x11") {
		t.Errorf("misfits: %q", misfits)
	}
	// The exported profile decides as the policy (fcntl aside: the width differs only in the high half).
	back := compile(t, importJSON(t, out))
	for _, c := range []call{
		{"x86_64", "clone", []uint64{unix.CLONE_NEWUSER}, eperm},
		{"x86_64", "clone", []uint64{unix.CLONE_VM}, allow},
		{"x86_64", "socket", []uint64{unix.AF_PACKET}, ir.ErrnoAction(97)},
		{"x86_64", "socket", []uint64{unix.AF_INET}, allow},
		{"x86_64", "fcntl", []uint64{3}, allow},
		{"x86_64", "fcntl", []uint64{4096}, eperm},
		{"x86_64", "mmap", []uint64{0, 0, unix.PROT_EXEC, unix.MAP_PRIVATE}, eperm},
		{"x86_64", "mmap", []uint64{0, 0, unix.PROT_EXEC, unix.MAP_ANONYMOUS}, allow},
		{"x86_64", "mmap", []uint64{0, 0, unix.PROT_READ, 0}, allow},
		{"x86_64", "ptrace", nil, ir.ActKillProcess},
		{"x86_64", "read", nil, allow},
	} {
		want := decideCall(t, p, c.arch, c.name, c.args...)
		if want != c.want {
			t.Errorf("the policy itself: %s%v = %v, want %v", c.name, c.args, want, c.want)
		}
		if got := decideCall(t, back, c.arch, c.name, c.args...); got != want {
			t.Errorf("after export and import: %s%v = %v, want %v", c.name, c.args, got, want)
		}
	}
}

func importJSON(t *testing.T, data []byte) string {
	t.Helper()
	out, err := Import(data, ImportOptions{EvalOptions: EvalOptions{Arch: "amd64", Kernel: "6.1"}, Name: "back"})
	if err != nil {
		t.Fatalf("import of the export: %v\n%s", err, data)
	}
	return string(out)
}

func TestExportMisfitsAndErrors(t *testing.T) {
	p := compile(t, `policy p {
    arch x86_64, i386
    default errno(EPERM)
    default newer errno(ENOSYS)
    flags new_listener
    allow read
    allow ioctl if arg1 & 0xff00 < 0x5400
}
`)
	_, misfits, err := Export(p)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(misfits, "\n")
	for _, want := range []string{"default newer", "filter flags 0x8", "ioctl on x86_64", "masked equality only"} {
		if !strings.Contains(all, want) {
			t.Errorf("misfits lack %q:\n%s", want, all)
		}
	}

	if _, _, err := Export(&ir.Policy{}); err == nil {
		t.Error("a policy without arches exported")
	}
	two := compile(t, "policy q {\n    arch x86_64, i386\n    default errno(EPERM)\n    allow read\n}\n")
	two.Arches[1].Default = ir.ActAllow
	if _, _, err := Export(two); err == nil || !strings.Contains(err.Error(), "default action") {
		t.Errorf("different defaults: %v", err)
	}
}

func TestExportPerArchDifferences(t *testing.T) {
	p := compile(t, "policy q {\n    arch x86_64, i386\n    default errno(EPERM)\n    allow read, socketcall\n}\n")
	i386 := p.Arches[1]
	nr, _ := stdlib.SyscallNumber("i386", "read")
	i386.Rules[nr] = []ir.Rule{{Action: ir.ActLog}}
	out, misfits, err := Export(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(misfits, "\n"), "read: decided differently on i386") {
		t.Errorf("misfits: %q", misfits)
	}
	if !strings.Contains(string(out), `"socketcall"`) {
		t.Errorf("an i386-only syscall is missing:\n%s", out)
	}
}
