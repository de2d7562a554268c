package stdlib

import (
	"bytes"
	"os"
	"slices"
	"testing"

	"github.com/scc-dev/scc/stdlib/internal/tables"
)

// parseText parses the checked-in text tables, the generator's record.
func parseText(t *testing.T) *tables.Tables {
	t.Helper()
	var text [3]string
	for i, name := range []string{"data/syscalls.txt", "data/signatures.txt", "data/constants.txt"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		text[i] = string(b)
	}
	tab, err := tables.Parse(text[0], text[1], text[2])
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// TestGoTables checks that ztables.go is what the text tables render to: run go generate
// ./stdlib (or make generate) after changing them.
func TestGoTables(t *testing.T) {
	src, err := parseText(t).Go()
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile("ztables.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(src, have) {
		t.Error("ztables.go is stale: run go generate ./stdlib")
	}
	names := make([]string, len(arches))
	for i, a := range arches {
		names[i] = a.Name
	}
	if !slices.Equal(names, tableArches[:]) {
		t.Errorf("the tables' arches %v are not zarches.go's %v", tableArches, names)
	}
}

// TestLookupsMatchText checks every lookup against the text tables as parsed by package
// tables: each syscall's number on each arch and back, the aliases, the signatures, and
// each constant's value on each arch.
func TestLookupsMatchText(t *testing.T) {
	tab := parseText(t)
	if got := AllSyscallNames(); !slices.Equal(got, tab.Syscalls) {
		t.Errorf("AllSyscallNames: %d names, the text %d", len(got), len(tab.Syscalls))
	}
	for a, arch := range tab.Arches {
		var names []string
		byNr := map[uint32]string{}
		for i, name := range tab.Syscalls {
			nr, ok := SyscallNumber(arch, name)
			want := tab.Numbers[i][a]
			if ok != (want != tables.NoSyscall) || ok && nr != want {
				t.Errorf("SyscallNumber(%s, %s) = %d, %v; the text: %d", arch, name, nr, ok, want)
			}
			alias := slices.ContainsFunc(tab.Aliases, func(al tables.Alias) bool { return al.Arch == a && al.Name == name })
			if ok && !alias {
				names = append(names, name)
				byNr[nr] = name
			}
			if ok != slices.Contains(ArchesWith(name), arch) {
				t.Errorf("ArchesWith(%s) = %v, SyscallNumber on %s: %v", name, ArchesWith(name), arch, ok)
			}
		}
		if got := SyscallNames(arch); !slices.Equal(got, names) {
			t.Errorf("SyscallNames(%s): %d names, the text %d", arch, len(got), len(names))
		}
		for nr, name := range byNr {
			if got, ok := SyscallName(arch, nr); !ok || got != name {
				t.Errorf("SyscallName(%s, %d) = %q, %v; want %q", arch, nr, got, ok, name)
			}
		}
		if got := SyscallTable(arch); len(got) != len(byNr) {
			t.Errorf("SyscallTable(%s): %d numbers, the text %d", arch, len(got), len(byNr))
		}
		var consts []string
		for _, c := range tab.Consts {
			want, has := c.Value, c.PerArch == nil
			for _, v := range c.PerArch {
				if v.Arches&(1<<a) != 0 {
					want, has = v.Value, true
					break
				}
			}
			if has {
				consts = append(consts, c.Name)
			}
			if got, ok := Constant(arch, c.Name); ok != has || got != want {
				t.Errorf("Constant(%s, %s) = %#x, %v; the text: %#x, %v", arch, c.Name, got, ok, want, has)
			}
		}
		if got := ConstantNames(arch); !slices.Equal(got, consts) {
			t.Errorf("ConstantNames(%s): %d names, the text %d", arch, len(got), len(consts))
		}
	}
	checkSignatures(t, tab)
}

// checkSignatures checks LookupSignature on every arch against the first line of the text
// that applies.
func checkSignatures(t *testing.T, tab *tables.Tables) {
	for a, arch := range tab.Arches {
		for i, name := range tab.Syscalls {
			got, ok := LookupSignature(arch, name)
			var want *tables.Signature
			for j := range tab.Sigs {
				s := &tab.Sigs[j]
				if s.Name == name && (s.Arches == 0 || s.Arches&(1<<a) != 0) {
					want = s
					break
				}
			}
			if tab.Numbers[i][a] == tables.NoSyscall {
				want = nil
			}
			if ok != (want != nil) {
				t.Errorf("LookupSignature(%s, %s): found %v, the text %v", arch, name, ok, want != nil)
				continue
			}
			if !ok {
				continue
			}
			if got.Source != want.Source || len(got.Params) != len(want.Params) {
				t.Errorf("LookupSignature(%s, %s) = %+v; the text %+v", arch, name, got, *want)
				continue
			}
			for k, p := range want.Params {
				if g := got.Params[k]; g.Name != p.Name || g.Type != p.Type || g.Long != (p.Class == 'l') {
					t.Errorf("LookupSignature(%s, %s) parameter %d = %+v; the text %+v", arch, name, k, g, p)
				}
			}
		}
	}
}

// TestHash checks that the lookups hash as the generator does.
func TestHash(t *testing.T) {
	for _, name := range []string{"", "read", "AF_INET", "sync_file_range2", "\xff\x00"} {
		if hash(name) != tables.Hash(name) {
			t.Errorf("hash(%q) = %#x, tables.Hash %#x", name, hash(name), tables.Hash(name))
		}
	}
}
