package stdlib

import (
	"slices"
	"strings"
	"testing"
)

// TestConstantNamesWithPrefix: a family is the arch's constant names with the prefix, in order.
func TestConstantNamesWithPrefix(t *testing.T) {
	for _, a := range Arches() {
		all := ConstantNames(a.Name)
		for _, prefix := range []string{"AF_", "CLONE_", "E", "O_", "ZZZ_NONE_", "", "\xff"} {
			want := slices.DeleteFunc(slices.Clone(all), func(n string) bool { return !strings.HasPrefix(n, prefix) })
			if got := ConstantNamesWithPrefix(a.Name, prefix); !slices.Equal(got, want) && (len(got) > 0 || len(want) > 0) {
				t.Errorf("%s, %q: %d names, want %d", a.Name, prefix, len(got), len(want))
			}
		}
	}
	if ConstantNamesWithPrefix("vax", "AF_") != nil {
		t.Error("an unknown arch has constants")
	}
}
