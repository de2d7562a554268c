package stdlib

import (
	"slices"
	"strings"
	"testing"
)

// TestConstantsWithPrefix: a family is the arch's constants whose names have the prefix, in
// order, with their values.
func TestConstantsWithPrefix(t *testing.T) {
	for _, a := range Arches() {
		all := ConstantNames(a.Name)
		for _, prefix := range []string{"AF_", "CLONE_", "E", "O_", "ZZZ_NONE_", "", "\xff"} {
			want := slices.DeleteFunc(slices.Clone(all), func(n string) bool { return !strings.HasPrefix(n, prefix) })
			names, values := ConstantsWithPrefix(a.Name, prefix)
			if !slices.Equal(names, want) && (len(names) > 0 || len(want) > 0) || len(values) != len(names) {
				t.Errorf("%s, %q: %d names, %d values, want %d", a.Name, prefix, len(names), len(values), len(want))
				continue
			}
			for i, n := range names {
				if v, _ := Constant(a.Name, n); v != values[i] {
					t.Errorf("%s: %s = %#x, Constant says %#x", a.Name, n, values[i], v)
				}
			}
		}
	}
	if names, _ := ConstantsWithPrefix("vax", "AF_"); names != nil {
		t.Error("an unknown arch has constants")
	}
}

// TestSyscallNumbersOnArches: SyscallNumbers gives SyscallNumber's answer on each arch.
func TestSyscallNumbersOnArches(t *testing.T) {
	arches := []string{"x86_64", "i386", "x32", "aarch64", "vax", "amd64"}
	for _, name := range []string{"read", "socketcall", "arch_prctl", "riscv_hwprobe", "no_such_call", ""} {
		nrs, any := SyscallNumbers([]int64{7}, name, arches)
		if len(nrs) != 1+len(arches) || nrs[0] != 7 {
			t.Fatalf("%s: %v", name, nrs)
		}
		wantAny := false
		for i, a := range arches {
			want := int64(-1)
			if nr, ok := SyscallNumber(a, name); ok {
				want, wantAny = int64(nr), true
			}
			if nrs[1+i] != want {
				t.Errorf("%s on %s: %d, SyscallNumber %d", name, a, nrs[1+i], want)
			}
		}
		if any != wantAny {
			t.Errorf("%s: any %t, want %t", name, any, wantAny)
		}
	}
}
