package tables

import (
	"strings"
	"testing"
)

const header = "arches a b\nalias b y x\n"

// TestParse checks a small table: numbers, aliases, the order by number, signatures and
// constants per arch.
func TestParse(t *testing.T) {
	tab, err := Parse(header+"x 2 5\ny - 5\nz 1 -\n",
		"x\t*\tgen\ti fd int|l - void *\nx\tb\tman2\t\n",
		"C 0x1\nD 0x2 a 0x3 b\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := tab.order(0); len(got) != 2 || tab.Syscalls[got[0]] != "z" || tab.Syscalls[got[1]] != "x" {
		t.Errorf("arch a by number: %v", got)
	}
	if got := tab.order(1); len(got) != 1 || tab.Syscalls[got[0]] != "x" {
		t.Errorf("arch b by number, the alias left out: %v", got)
	}
	if len(tab.Sigs) != 2 || tab.Sigs[0].Params[1].Name != "" || tab.Sigs[1].Arches != 2 {
		t.Errorf("signatures: %+v", tab.Sigs)
	}
	if c := tab.Consts[1]; c.Name != "D" || len(c.PerArch) != 2 || c.PerArch[1] != (ArchValues{2, 3}) {
		t.Errorf("constants: %+v", tab.Consts)
	}
	if _, err := tab.Go(); err != nil {
		t.Error(err)
	}
}

// TestParseRefuses checks that tables that would make wrong lookups are refused.
func TestParseRefuses(t *testing.T) {
	for _, c := range []struct{ sys, sigs, consts, want string }{
		{header + "x 1 5\ny - 6\n", "", "", "alias y is not x's number"},
		{"arches a\nx 1\ny 1\n", "", "", "x and y have the number 1"},
		{"arches a\ny 1\nx 2\n", "", "", "not sorted"},
		{"arches a\nx 1\n", "", "C 0x1\nC 0x2\n", "C is on two lines"},
		{"arches a\nx 1\n", "x\tq\tgen\t\n", "", `unknown arch "q"`},
		{"arches a\nx 1\n", "", "C 0x1 a 0x2\n", "bad line"},
	} {
		_, err := Parse(c.sys, c.sigs, c.consts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q, %q, %q) = %v, want %q", c.sys, c.sigs, c.consts, err, c.want)
		}
	}
}
