package oci

import (
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/ir"
)

func TestImportDockerDefault(t *testing.T) {
	src := importProfile(t, dockerDefault(t), "6.1", nil)
	for _, want := range []string{
		"policy test {",
		"arch x86_64, i386, x32\n",
		"default errno(EPERM)\n",
		"    allow accept, accept4, access,",
		" read,",
		"allow personality if persona in {0x0, 0x8, 0x20000, 0x20008, 0xffffffff}",
		"allow clone if flags & (CLONE_NEWCGROUP | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWNS |\n",
		"CLONE_NEWPID | CLONE_NEWUSER | CLONE_NEWUTS) == 0",
		"allow socket if domain < 3 || domain in {AF_BRIDGE,",
		"errno(ENOSYS) clone3",
		"# Not a syscall on x86_64, i386, x32:",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("the import lacks %q:\n%s", want, src)
		}
	}
	for _, l := range strings.Split(src, "\n") {
		if len(l) > 110 {
			t.Errorf("line too long (%d): %s", len(l), l)
		}
	}
	p := compile(t, src)
	checkCalls(t, p, []call{
		{"x86_64", "read", nil, allow},
		{"x86_64", "write", nil, allow},
		{"x86_64", "clone", []uint64{unix.CLONE_NEWUSER}, eperm},
		{"x86_64", "clone", []uint64{unix.CLONE_VM | unix.CLONE_THREAD | 17}, allow},
		{"x86_64", "clone3", nil, enosys},
		{"x86_64", "personality", []uint64{0}, allow},
		{"x86_64", "personality", []uint64{0xffffffff}, allow},
		{"x86_64", "personality", []uint64{0x0400000}, eperm},
		{"x86_64", "socket", []uint64{unix.AF_INET}, allow},
		{"x86_64", "socket", []uint64{unix.AF_UNIX}, allow},
		{"x86_64", "socket", []uint64{unix.AF_VSOCK}, eperm},
		{"x86_64", "socket", []uint64{unix.AF_ALG}, eperm},
		{"x86_64", "ptrace", nil, allow}, // Linux ≥ 4.8
		{"x86_64", "mount", nil, eperm},
		{"x86_64", "bpf", nil, eperm},
		{"x86_64", "arch_prctl", nil, allow},
		{"i386", "socketcall", nil, allow},
		{"i386", "chown32", nil, allow},
		{"i386", "clone", []uint64{unix.CLONE_NEWNET}, eperm},
		{"x32", "read", nil, allow},
		{"x32", "reboot", nil, eperm},
	})
}

func TestImportOldKernelAndCaps(t *testing.T) {
	old := compile(t, importProfile(t, dockerDefault(t), "4.4", nil))
	checkCalls(t, old, []call{{"x86_64", "ptrace", nil, eperm}, {"x86_64", "read", nil, allow}})

	caps := append([]string{"sys_admin", "CAP_SYS_PTRACE"}, DefaultCaps...)
	src := importProfile(t, dockerDefault(t), "4.4", caps)
	if !strings.Contains(src, "CAP_SYS_ADMIN") {
		t.Errorf("the header does not name the caps:\n%s", src)
	}
	admin := compile(t, src)
	checkCalls(t, admin, []call{
		{"x86_64", "ptrace", nil, allow},
		{"x86_64", "clone", []uint64{unix.CLONE_NEWUSER}, allow},
		{"x86_64", "clone3", nil, allow},
		{"x86_64", "mount", nil, allow},
	})
}

func TestImportArm64(t *testing.T) {
	out, err := Import(dockerDefault(t), ImportOptions{EvalOptions: EvalOptions{Arch: "arm64", Kernel: "6.1"}})
	if err != nil {
		t.Fatal(err)
	}
	src := string(out)
	if !strings.Contains(src, "arch aarch64, arm\n") || !strings.Contains(src, "policy imported {") {
		t.Fatalf("arm64 import:\n%s", src)
	}
	p := compile(t, src)
	checkCalls(t, p, []call{
		{"aarch64", "read", nil, allow},
		{"arm", "arm_sync_file_range", nil, allow},
		{"arm", "arm_fadvise64_64", nil, allow},
		{"aarch64", "clone", []uint64{unix.CLONE_NEWUSER}, eperm},
	})
	if strings.Contains(src, "arch_prctl") && !strings.Contains(src, "Not a syscall") {
		t.Errorf("arch_prctl is amd64-only")
	}
}

// ociAll is an OCI profile with every action and every operator.
const ociAll = `{
	"defaultAction": "SCMP_ACT_KILL_PROCESS",
	"architectures": ["SCMP_ARCH_X86_64"],
	"flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
	"syscalls": [
		{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
		{"names": ["getpid"], "action": "SCMP_ACT_LOG"},
		{"names": ["getppid"], "action": "SCMP_ACT_NOTIFY"},
		{"names": ["kill"], "action": "SCMP_ACT_KILL"},
		{"names": ["tkill"], "action": "SCMP_ACT_KILL_THREAD"},
		{"names": ["tgkill"], "action": "SCMP_ACT_KILL_PROCESS"},
		{"names": ["uname"], "action": "SCMP_ACT_TRAP"},
		{"names": ["ptrace"], "action": "SCMP_ACT_TRACE", "errnoRet": 7},
		{"names": ["mount"], "action": "SCMP_ACT_ERRNO"},
		{"names": ["umount2"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38},
		{"names": ["close"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 3, "op": "SCMP_CMP_NE"}]},
		{"names": ["dup"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 10, "op": "SCMP_CMP_LT"}]},
		{"names": ["dup2"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 10, "op": "SCMP_CMP_LE"}]},
		{"names": ["lseek"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 2, "value": 0, "op": "SCMP_CMP_EQ"}]},
		{"names": ["fsync"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 100, "op": "SCMP_CMP_GE"}]},
		{"names": ["fdatasync"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 100, "op": "SCMP_CMP_GT"}]},
		{"names": ["mmap"], "action": "SCMP_ACT_ALLOW", "args": [
			{"index": 2, "value": 4, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"},
			{"index": 3, "value": 2, "op": "SCMP_CMP_EQ"}]}
	]
}`

func TestImportOCIEveryActionAndOperator(t *testing.T) {
	out, err := Import([]byte(ociAll), ImportOptions{Name: "all"})
	if err != nil {
		t.Fatal(err)
	}
	src := string(out)
	for _, want := range []string{
		"(OCI seccomp profile)", "arch x86_64\n", "default kill\n", "flags log, spec_allow\n",
		"allow read, write\n", "log getpid\n", "user_notif getppid\n", "kill_thread kill\n",
		"kill_thread tkill\n", "kill tgkill\n", "trap(0) uname\n", "trace(7) ptrace\n",
		"errno(EPERM) mount\n", "errno(ENOSYS) umount2\n", "allow close if fd != 3\n",
		"allow dup if oldfd < 10\n", "allow dup2 if newfd <= 10\n", "allow lseek if whence == 0\n",
		"allow fsync if fd >= 100\n", "allow fdatasync if fd > 100\n",
		"allow mmap if prot & 4 == 0 && flags == 2\n",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("the import lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("import:\n%s", src)
	}
	p := compile(t, src)
	if p.Flags != 2|4 {
		t.Errorf("flags: %#x", p.Flags)
	}
	checkCalls(t, p, []call{
		{"x86_64", "close", []uint64{3}, ir.ActKillProcess},
		{"x86_64", "close", []uint64{4}, allow},
		{"x86_64", "mmap", []uint64{0, 0, 3, 2}, allow},
		{"x86_64", "mmap", []uint64{0, 0, 7, 2}, ir.ActKillProcess},
		{"x86_64", "ptrace", nil, ir.Action{Kind: ir.Trace, Data: 7}},
		{"x86_64", "uname", nil, ir.Action{Kind: ir.Trap}},
		{"x86_64", "kill", nil, ir.ActKillThread},
		{"x86_64", "getppid", nil, ir.Action{Kind: ir.UserNotif}},
	})
}

// TestImportValueWidths: a profile's 64-bit values meet arguments that are 32 bits on some or
// all arches. Sign-extended values keep their meaning everywhere; a wide value of an int
// argument is cut as the kernel reads it, with a note; a wide value of an argument whose width
// differs by arch cannot be said in one rule and fails the import.
func TestImportValueWidths(t *testing.T) {
	profile := func(rules string) []byte {
		return []byte(`{"defaultAction": "SCMP_ACT_ERRNO",
			"architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"], "syscalls": [` + rules + `]}`)
	}
	out, err := Import(profile(`
		{"names": ["lseek"], "action": "SCMP_ACT_ALLOW",
		 "args": [{"index": 1, "value": 18446744073709551615, "op": "SCMP_CMP_EQ"}]},
		{"names": ["dup"], "action": "SCMP_ACT_ALLOW",
		 "args": [{"index": 0, "value": 4294967297, "op": "SCMP_CMP_EQ"}]}`), ImportOptions{Name: "w"})
	if err != nil {
		t.Fatal(err)
	}
	src := string(out)
	for _, want := range []string{"allow lseek if offset == -1\n", "allow dup if oldfd == 1\n",
		"libseccomp compares 0x100000001 on 64-bit arches"} {
		if !strings.Contains(src, want) {
			t.Errorf("the import lacks %q:\n%s", want, src)
		}
	}
	p := compile(t, src)
	checkCalls(t, p, []call{
		{"x86_64", "lseek", []uint64{3, ^uint64(0)}, allow},
		{"x86_64", "lseek", []uint64{3, 0xffffffff}, eperm},
		{"i386", "lseek", []uint64{3, 0xffffffff}, allow},
		{"i386", "lseek", []uint64{3, 0}, eperm},
		{"x86_64", "dup", []uint64{1}, allow},
		{"x86_64", "dup", []uint64{2}, eperm},
	})
	_, err = Import(profile(`{"names": ["lseek"], "action": "SCMP_ACT_ALLOW",
		"args": [{"index": 1, "value": 4294967296, "op": "SCMP_CMP_EQ"}]}`), ImportOptions{Name: "w"})
	if err == nil || !strings.Contains(err.Error(), "32 bits on some of the arches") {
		t.Errorf("a 64-bit value of lseek's offset on x86_64 and i386: err = %v", err)
	}
}

// TestImportWarningsDockerDefault: every name of Docker's default profile is in scc's tables;
// for one host, the syscalls of the other arches are the only warning.
func TestImportWarningsDockerDefault(t *testing.T) {
	for host, want := range map[string]string{
		"amd64": "left out, not syscalls on x86_64, i386, x32 (other arches have them): recv, riscv_hwprobe, send",
		"arm64": "left out, not syscalls on aarch64, arm (other arches have them): alarm, epoll_ctl_old, " +
			"epoll_wait_old, fadvise64_64, get_thread_area, ipc, riscv_hwprobe, select, set_thread_area, " +
			"socketcall, time, uretprobe, utime, waitpid",
	} {
		_, warnings, err := ImportWithWarnings(dockerDefault(t), ImportOptions{EvalOptions: EvalOptions{Arch: host, Kernel: "6.1"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(warnings) != 1 || warnings[0] != want {
			t.Errorf("%s: warnings %q, want [%q]", host, warnings, want)
		}
	}
}
