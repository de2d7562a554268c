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
