//go:build linux && cgo

package libseccomp

import (
	"testing"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
)

// TestSwappedReturn pins libseccomp's cross-endian bug that SwappedReturn recognizes: in a
// linear program of over 255 instructions, the bad-arch return copied after the arch check
// has its value byte-swapped on a big-endian arch built on a little-endian host, and only
// there.
func TestSwappedReturn(t *testing.T) {
	if program.HostBigEndian() {
		t.Skip("the bug shows only when the host's byte order is not the target's")
	}
	badArch := program.SeccompData{Nr: 1, Arch: 0x12345678}
	kill := ir.ActKillProcess.Ret()
	for _, c := range []struct {
		arch    string
		swapped bool
	}{{"x86_64", false}, {"s390x", true}, {"mips64", true}, {"ppc64le", false}} {
		p, _ := bigAllowList(t, c.arch)
		prog, err := Build(p, Options{Optimize: OptimizeLinear})
		if err != nil {
			t.Fatal(err)
		}
		if len(prog) <= 256 {
			t.Fatalf("%s: %d instructions, too few for a copied return", c.arch, len(prog))
		}
		ret, err := Run(prog, badArch)
		if err != nil {
			t.Fatal(err)
		}
		big := arches(t, c.arch)[0].BigEndian
		got := SwappedReturn(prog, big, badArch, kill)
		if got != c.swapped || (ret == kill) == c.swapped {
			t.Errorf("%s: bad-arch call returns %#x, SwappedReturn %v; want a swapped copy: %v",
				c.arch, ret, got, c.swapped)
		}
		if c.swapped && ir.ActionFromRet(ret) != ir.ActKillThread {
			t.Errorf("%s: the swapped kill reads as %v, want kill_thread", c.arch, ir.ActionFromRet(ret))
		}
	}
}

// TestSharedPseudoNumber pins the other libseccomp bug the comparison meets on PowerPC:
// sys_debug_setcontext and switch_endian share a pseudo number, so a rule on the first built
// on x86_64 would land on the second. Syscalls leaves it out and Build refuses it.
func TestSharedPseudoNumber(t *testing.T) {
	a := arches(t, "ppc64le")[0]
	names := map[string]bool{}
	for _, sc := range Syscalls(a) {
		names[sc.Name] = true
	}
	if names["sys_debug_setcontext"] || !names["switch_endian"] {
		t.Errorf("Syscalls(ppc64le): sys_debug_setcontext %v, switch_endian %v; want false, true",
			names["sys_debug_setcontext"], names["switch_endian"])
	}
	p := &ir.Policy{Name: "pnr", BadArch: ir.ActKillProcess, Arches: []*ir.ArchPolicy{{
		Arch: a, Default: ir.ActAllow, MaxKnown: 400,
		Rules: map[uint32][]ir.Rule{256: {{Action: ir.ErrnoAction(1)}}},
		Names: map[uint32]string{256: "sys_debug_setcontext"},
	}}}
	if _, err := Build(p, Options{}); err == nil {
		t.Error("Build accepted a rule on ppc64le's sys_debug_setcontext")
	}
}
