//go:build linux && amd64

package kernel_test

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/kerneltest"
	"github.com/scc-dev/scc/loader"
	"github.com/scc-dev/scc/tests/kernel"
	"github.com/scc-dev/scc/tests/kernel/cases"
	"github.com/scc-dev/scc/vm"
)

// TestCases checks the portable cases (package cases) in the host's kernel: x86_64 always,
// i386 and x32 where this kernel makes their calls. TestCasesInVMs checks the same cases in
// every other ABI's kernel.
func TestCases(t *testing.T) {
	for _, arch := range []string{"x86_64", "i386", "x32"} {
		t.Run(arch, func(t *testing.T) {
			abi := kerneltest.X8664
			switch arch {
			case "i386":
				abi = kerneltest.I386
				if err := kerneltest.Supports(abi); err != nil {
					t.Skip(err)
				}
			case "x32":
				if err := kerneltest.SupportsX32(); err != nil {
					t.Skip(err)
				}
			}
			cs, err := cases.For(arch)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cs {
				f := &loader.Filter{Program: c.Program, Options: loader.Options{Flags: c.Flags, KillProcess: c.KillProcess}}
				for _, call := range c.Calls {
					v, err := kerneltest.Check(f, kerneltest.Call{ABI: abi, Nr: call.Nr, Args: call.Args}, false)
					if err != nil {
						t.Fatalf("%s: %s: %v", c.Name, call.Name, err)
					}
					judge(t, arch, c, call, v)
				}
			}
		})
	}
}

// TestCasesWithRealCalls checks the x86_64 cases with this package's own harness too: the
// filter decides every call of the child (the Go runtime's as well), and each call is made
// for real, from a thread that is not the leader.
func TestCasesWithRealCalls(t *testing.T) {
	cs, err := cases.For("x86_64")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		var calls []kernel.Call
		for _, call := range c.Calls {
			calls = append(calls, kernel.Call{Name: call.Name, Nr: call.Nr, Args: call.Args})
		}
		got := kernel.RunChild(t, c.Program, loader.Options{Flags: c.Flags, KillProcess: c.KillProcess}, calls)
		for i, call := range c.Calls {
			if !got[i].Matches(call.Want) {
				t.Errorf("%s: %s: got %v, the case wants %v", c.Name, call.Name, got[i], call.Want)
			}
		}
	}
}

// judge fails the test when the kernel's verdict is not the action the case wants.
func judge(t *testing.T, arch string, c cases.Case, call cases.Call, v kerneltest.Verdict) {
	t.Helper()
	if !v.Matches(call.Want) {
		t.Errorf("%s: %s: %s: the kernel shows %v, the case wants %v (runs %v)", arch, c.Name, call.Name, v, call.Want, v.Runs)
	}
}

// TestCasesInVMs checks the portable cases in each other ABI's own kernel under qemu (package
// vm), one boot per ABI, two at a time. It runs when SCC_VM_CASES names the ABIs ("all":
// every one vm boots), as `make test-arches` sets it; it needs their kernels (scc vm fetch)
// and qemu.
func TestCasesInVMs(t *testing.T) {
	which := os.Getenv("SCC_VM_CASES")
	if which == "" {
		t.Skip("SCC_VM_CASES is not set: make test-arches runs this test")
	}
	arches := vm.ABIs()
	if which != "all" {
		arches = strings.Split(which, ",")
	}
	opts := vmOptions(t)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for _, arch := range arches {
		m, ok := vm.MachineFor(arch)
		if !ok {
			t.Fatalf("no VM for %q: the ABIs are %v", arch, vm.ABIs())
		}
		cs, err := cases.For(arch)
		if err != nil {
			t.Fatal(err)
		}
		info, _ := cases.Arch(arch)
		type ref struct {
			c    cases.Case
			call cases.Call
		}
		var checks []vm.Check
		var refs []ref
		for _, c := range cs {
			for _, call := range c.Calls {
				checks = append(checks, vm.Check{ID: len(checks), Audit: info.Audit, Program: c.Program,
					Flags: c.Flags, KillProcess: c.KillProcess, Nr: call.Nr, Args: call.Args})
				refs = append(refs, ref{c, call})
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			start := time.Now()
			res, err := vm.Run(m, checks, opts)
			if err != nil {
				t.Errorf("%s: %v", arch, err)
				return
			}
			for i, r := range res {
				if r.Err != "" {
					t.Errorf("%s: %s: %s: in the VM: %s", arch, refs[i].c.Name, refs[i].call.Name, r.Err)
					continue
				}
				v := kerneltest.Verdict{Data: r.Data, Unresolved: r.Unresolved, Runs: r.Runs}
				for _, k := range r.Kinds {
					v.Kinds = append(v.Kinds, ir.ActionKind(k))
				}
				judge(t, arch, refs[i].c, refs[i].call, v)
			}
			t.Logf("%s: %d calls of %d cases checked in its kernel (%.1fs)", arch, len(checks), len(cs), time.Since(start).Seconds())
		}()
	}
	wg.Wait()
}

// vmOptions finds the kernels' cache and the module's source, and a work directory.
func vmOptions(t *testing.T) vm.Options {
	cache, err := vm.CacheDir()
	if err != nil {
		t.Fatal(err)
	}
	source, err := vm.SourceDir()
	if err != nil {
		t.Fatal(err)
	}
	return vm.Options{Cache: cache, Source: source, Work: t.TempDir(), Log: os.Stderr}
}
