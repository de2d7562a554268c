package oci

import (
	"encoding/json"
	"testing"

	"github.com/moby/profiles/seccomp"

	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/stdlib"
)

// dockerDefault is Docker's default profile, as the moby/profiles module ships it.
func dockerDefault(t *testing.T) []byte {
	t.Helper()
	data, err := json.Marshal(seccomp.DefaultProfile())
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// importProfile imports a profile for amd64 on Linux 6.1 with the given caps (nil: default).
func importProfile(t *testing.T, data []byte, kernel string, caps []string) string {
	t.Helper()
	out, err := Import(data, ImportOptions{EvalOptions: EvalOptions{Arch: "amd64", Kernel: kernel, Caps: caps}, Source: "test.json"})
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// compile compiles a policy and fails the test on any diagnostic.
func compile(t *testing.T, src string) *ir.Policy {
	t.Helper()
	res, errs := compiler.CompileSource("test.sc", []byte(src), compiler.Options{})
	if errs.HasErrors() {
		t.Fatalf("the policy does not compile: %v\n%s", errs, src)
	}
	return res.Policy
}

// decide is the policy's action for a call on an arch.
func decideCall(t *testing.T, p *ir.Policy, arch, name string, args ...uint64) ir.Action {
	t.Helper()
	nr, ok := stdlib.SyscallNumber(arch, name)
	if !ok {
		t.Fatalf("no syscall %s on %s", name, arch)
	}
	a, _ := stdlib.LookupArch(arch)
	var d program.SeccompData
	d.Nr, d.Arch = int32(nr), a.Audit
	copy(d.Args[:], args)
	return p.Decide(d)
}

// call is one expected decision.
type call struct {
	arch, name string
	args       []uint64
	want       ir.Action
}

func checkCalls(t *testing.T, p *ir.Policy, calls []call) {
	t.Helper()
	for _, c := range calls {
		if got := decideCall(t, p, c.arch, c.name, c.args...); got != c.want {
			t.Errorf("%s %s%v: got %v, want %v", c.arch, c.name, c.args, got, c.want)
		}
	}
}

var (
	eperm  = ir.ErrnoAction(1)
	enosys = ir.ErrnoAction(38)
	allow  = ir.ActAllow
)
