package lang

import (
	"fmt"
	"strings"
	"testing"
)

// TestParseListCost bounds the allocations per name of a long syscall list, most of what a
// large policy is: the grammar reads a list by token classes (about 8 allocations a name),
// where a negative lookahead and a struct per name cost 31.
func TestParseListCost(t *testing.T) {
	const n = 400
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("call%d", i)
	}
	src := []byte("policy p {\n    allow " + strings.Join(names, ", ") + "\n}\n")
	empty := []byte("policy p {\n    allow call\n}\n")
	perName := (testing.AllocsPerRun(20, func() { Parse("f.sc", src) }) -
		testing.AllocsPerRun(20, func() { Parse("f.sc", empty) })) / n
	if perName > 10 {
		t.Errorf("%.1f allocations per name of a list, want at most 10", perName)
	}
}
