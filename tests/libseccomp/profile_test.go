//go:build linux && cgo

package libseccomp

import (
	"encoding/json"
	"testing"

	"github.com/moby/profiles/seccomp"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
)

// testProfile exercises what BuildProfile takes from runc: errnoRet, archMap, caps, the
// skipped default-action rule, unknown names, masked equality and repeated argument indexes.
const testProfile = `{
	"defaultAction": "SCMP_ACT_ERRNO",
	"defaultErrnoRet": 1,
	"archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]}],
	"syscalls": [
		{"names": ["read", "write", "no_such_call"], "action": "SCMP_ACT_ALLOW"},
		{"names": ["close"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
		{"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
		{"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38},
		{"names": ["personality"], "action": "SCMP_ACT_ALLOW",
		 "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}]},
		{"names": ["mmap"], "action": "SCMP_ACT_ALLOW",
		 "args": [{"index": 2, "value": 4, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}, {"index": 0, "value": 4096, "op": "SCMP_CMP_GE"}]}
	]
}`

func TestBuildProfile(t *testing.T) {
	prog, err := BuildProfile([]byte(testProfile), "amd64", nil, "6.1", OptimizeBinaryTree)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := BuildProfile([]byte(testProfile), "amd64", []string{"sys_admin"}, "6.1", OptimizeLinear)
	if err != nil {
		t.Fatal(err)
	}
	eperm, enosys := ir.ErrnoAction(1).Ret(), ir.ErrnoAction(38).Ret()
	allow := ir.ActAllow.Ret()
	for _, tt := range []struct {
		prog []bpf.RawInstruction
		d    program.SeccompData
		want uint32
	}{
		{prog, call(t, "x86_64", "read"), allow},
		{prog, call(t, "i386", "write"), allow},
		{prog, call(t, "x32", "read"), allow},
		{prog, call(t, "x86_64", "close"), eperm},
		{prog, call(t, "x86_64", "mount"), eperm},
		{admin, call(t, "x86_64", "mount"), allow},
		{prog, call(t, "x86_64", "clone3"), enosys},
		{prog, call(t, "x86_64", "personality", 8), allow}, // the comparisons of arg0 are ORed
		{prog, call(t, "x86_64", "personality", 0), allow},
		{prog, call(t, "x86_64", "personality", 9), eperm},
		{prog, call(t, "x86_64", "personality", 0x100000008), eperm}, // 64-bit comparison
		{prog, call(t, "x86_64", "mmap", 4096, 0, unix.PROT_READ), allow},
		{prog, call(t, "x86_64", "mmap", 4096, 0, unix.PROT_EXEC), eperm},
		{prog, call(t, "x86_64", "mmap", 0, 0, unix.PROT_READ), eperm},
	} {
		if got := mustRun(t, tt.prog, tt.d); got != tt.want {
			t.Errorf("nr %d arch %#x args %#x: got %v, want %v", tt.d.Nr, tt.d.Arch, tt.d.Args,
				ir.ActionFromRet(got), ir.ActionFromRet(tt.want))
		}
	}
}

func TestBuildProfileDockerDefault(t *testing.T) {
	data, err := json.Marshal(seccomp.DefaultProfile())
	if err != nil {
		t.Fatal(err)
	}
	for _, opt := range []int{OptimizeLinear, OptimizeBinaryTree} {
		prog, err := BuildProfile(data, "amd64", nil, "6.1", opt)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("optimize %d: %d instructions", opt, len(prog))
		if got := mustRun(t, prog, call(t, "x86_64", "mount")); got != ir.ErrnoAction(1).Ret() {
			t.Errorf("mount: %v", ir.ActionFromRet(got))
		}
		if got := mustRun(t, prog, call(t, "i386", "socketcall")); got != ir.ActAllow.Ret() {
			t.Errorf("socketcall: %v", ir.ActionFromRet(got))
		}
	}
	if _, err := BuildProfile([]byte(`{"defaultAction": "SCMP_ACT_NOPE"}`), "amd64", nil, "6.1", 0); err == nil {
		t.Error("an unknown action is accepted")
	}
}
