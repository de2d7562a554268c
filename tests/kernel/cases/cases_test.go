package cases

import (
	"testing"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/vm"
)

// TestCasesMeanTheSameInTheEmulator runs every case's calls through scc's emulator, on every
// ABI a VM checks and x86_64: the kernel runners then test the kernel, not the cases.
func TestCasesMeanTheSameInTheEmulator(t *testing.T) {
	for _, arch := range append(vm.ABIs(), "x86_64") {
		cs, err := For(arch)
		if err != nil {
			t.Fatal(err)
		}
		info, _ := Arch(arch)
		for _, c := range cs {
			m, err := program.NewVM(c.Program, info.BigEndian)
			if err != nil {
				t.Fatalf("%s: %s: %v", arch, c.Name, err)
			}
			for _, call := range c.Calls {
				d := program.SeccompData{Nr: int32(uint32(call.Nr)), Arch: info.Audit, Args: call.Args}
				if !info.Wide {
					for i := range d.Args {
						d.Args[i] &= 0xffffffff // the kernel zero-extends 32-bit registers
					}
				}
				ret, _ := m.Run(d)
				if got := ir.ActionFromRet(ret); clamped(got) != clamped(call.Want) {
					t.Errorf("%s: %s: %s: the emulator says %v, the case wants %v", arch, c.Name, call.Name, got, call.Want)
				}
			}
		}
	}
}

// clamped is the action with an errno's data as the kernel clamps it.
func clamped(a ir.Action) ir.Action {
	if a.Kind == ir.Errno {
		a.Data = min(a.Data, ir.MaxErrno)
	}
	return a
}
