//go:build linux && amd64

package kernel_test

import (
	"fmt"
	"testing"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/kerneltest"
	"github.com/scc-dev/scc/loader"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/stdlib"
)

// archCondPolicy gives getppid, getuid and getgid other actions on x86_64, i386 and x32 by
// arch conditions; the errno values are ones no real call returns.
const archCondPolicy = `policy k {
    arch x86_64, i386, x32
    default errno(1000)
    allow getppid if arch == x86_64
    errno(1001) getppid if arch == i386
    errno(1002) getuid if arch != x32 && arg0 == 7
    errno(1003) getuid if arch in {x32, i386}
    errno(1004) getgid if !(arch == i386) || arg0 == 1
}
`

// TestArchConditionsInTheKernel installs scc's build of a policy with arch conditions and
// asks the kernel what it decides for x86_64, i386 (where this kernel makes them) and x32
// calls: each rule applies on the arches where its condition holds, and nowhere else.
func TestArchConditionsInTheKernel(t *testing.T) {
	out, errs := pipeline.BuildSource("k.sc", []byte(archCondPolicy), pipeline.Options{})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	f := &loader.Filter{Program: out.Filter.Program, Options: loader.Options{KillProcess: out.Filter.ProcessKilling}}
	errno := ir.ErrnoAction
	type want struct {
		name string
		arg0 uint64
		act  map[string]ir.Action // by arch
	}
	wants := []want{
		{"getppid", 0, map[string]ir.Action{"x86_64": ir.ActAllow, "i386": errno(1001), "x32": errno(1000)}},
		{"getuid", 7, map[string]ir.Action{"x86_64": errno(1002), "i386": errno(1002), "x32": errno(1003)}},
		{"getuid", 0, map[string]ir.Action{"x86_64": errno(1000), "i386": errno(1003), "x32": errno(1003)}},
		{"getgid", 0, map[string]ir.Action{"x86_64": errno(1004), "i386": errno(1000), "x32": errno(1004)}},
		{"getgid", 1, map[string]ir.Action{"x86_64": errno(1004), "i386": errno(1004), "x32": errno(1004)}},
	}
	checked := 0
	for _, arch := range []string{"x86_64", "i386", "x32"} {
		abi := kerneltest.X8664
		switch arch {
		case "i386":
			abi = kerneltest.I386
			if err := kerneltest.Supports(abi); err != nil {
				t.Logf("i386: %v", err)
				continue
			}
		case "x32":
			// seccomp decides an x32 number before the kernel dispatches it, with or
			// without the x32 ABI (see TestX32NumbersReachTheFilter); the table allows
			// no x32 call.
		}
		a, _ := stdlib.LookupArch(arch)
		for _, w := range wants {
			nr, ok := stdlib.SyscallNumber(arch, w.name)
			if !ok {
				t.Fatalf("no %s on %s", w.name, arch)
			}
			call := kerneltest.Call{ABI: abi, Nr: uint64(nr), Args: [6]uint64{w.arg0}}
			name := fmt.Sprintf("%s %s(%d)", arch, w.name, w.arg0)
			// The policy's IR says the same as the table.
			d := program.SeccompData{Nr: int32(nr), Arch: a.Audit, Args: call.Args}
			if got := out.Policy.Decide(d); got != w.act[arch] {
				t.Errorf("%s: the policy decides %v, want %v", name, got, w.act[arch])
			}
			v, err := kerneltest.Check(f, call, w.act[arch].Kind == ir.Allow)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !v.Matches(w.act[arch]) {
				t.Errorf("%s: the kernel shows %v, want %v (runs %v)", name, v, w.act[arch], v.Runs)
			}
			checked++
		}
	}
	t.Logf("%d calls checked in the kernel", checked)
}
