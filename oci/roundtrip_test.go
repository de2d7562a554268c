package oci

import (
	"testing"

	"github.com/scc-dev/scc/ir"
)

// argSamples are argument vectors that hit the default profile's conditions and miss them.
var argSamples = [][6]uint64{
	{}, {1}, {2}, {3}, {8}, {10}, {16}, {17}, {40}, {45}, {46}, {0x20000}, {0x20008}, {0xffffffff},
	{0x10000000}, {0x7e020000}, {0x00000100}, {0x40000000}, {^uint64(0)}, {0x100000002},
}

// TestRoundTrip: Docker's default profile imported, compiled, exported and imported again
// decides every syscall number of every arch the same on the sample arguments.
func TestRoundTrip(t *testing.T) {
	first := importProfile(t, dockerDefault(t), "6.1", nil)
	p1 := compile(t, first)
	exported, misfits, err := Export(p1)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("misfits: %q", misfits)
	second := importJSON(t, exported)
	p2 := compile(t, second)
	samePolicies(t, p1, p2)

	exported2, _, err := Export(p2)
	if err != nil {
		t.Fatal(err)
	}
	if string(exported2) != string(exported) {
		t.Errorf("export is not stable:\n%s\n---\n%s", exported, exported2)
	}
}

// samePolicies compares two policies' decisions on every known syscall number.
func samePolicies(t *testing.T, a, b *ir.Policy) {
	t.Helper()
	if len(a.Arches) != len(b.Arches) {
		t.Fatalf("arches: %d vs %d", len(a.Arches), len(b.Arches))
	}
	for i, x := range a.Arches {
		y := b.Arches[i]
		if x.Arch != y.Arch || x.Default != y.Default {
			t.Fatalf("arch %d: %+v %v vs %+v %v", i, x.Arch, x.Default, y.Arch, y.Default)
		}
		bad := 0
		for nr := range x.Names {
			for _, args := range argSamples {
				if ax, ay := x.Decide(nr, args), y.Decide(nr, args); ax != ay && bad < 10 {
					bad++
					t.Errorf("%s %s%v: %v vs %v", x.Arch.Name, x.Names[nr], args, ax, ay)
				}
			}
		}
	}
}
