package lint

import (
	"fmt"
	"strings"
	"testing"

	"github.com/scc-dev/scc/compiler"
)

// TestRepeatedUse: the compiler splices a policy once; lint reports each later use of it
// as a duplicate, at the use, naming the first, and nothing else about its rules.
func TestRepeatedUse(t *testing.T) {
	src := `policy base {
    allow read if fd == 0
    allow write
}
policy mid {
    use base
}
policy top {
    arch x86_64
    use base
    allow close
    use base
    use mid
}
`
	rep := Source("p.sc", []byte(src), compiler.Options{Policy: "top"})
	if len(rep.Errors) > 0 {
		t.Fatal(rep.Errors)
	}
	got := findingsOf(rep.Findings, DuplicateRule)
	want := []string{
		"6:5 use base repeats the use at line 10: base's rules are spliced there already, and these copies never decide",
		"12:5 use base repeats the use at line 10: base's rules are spliced there already, and these copies never decide",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := len(findingsOf(rep.Findings, UnreachableRule)); n != 0 {
		t.Errorf("%d unreachable-rule findings", n)
	}
}

// TestRepeatedUseDiamond: lint of policy pN { use pN-1 use pN-1 } at 60 levels reports the
// 60 repeated uses, one each.
func TestRepeatedUseDiamond(t *testing.T) {
	var b strings.Builder
	b.WriteString("policy p0 { allow read if fd == 1\n allow write }\n")
	for i := 1; i <= 60; i++ {
		fmt.Fprintf(&b, "policy p%d { use p%d use p%d }\n", i, i-1, i-1)
	}
	b.WriteString("policy top { arch x86_64\n default errno(EPERM)\n use p60 }\n")
	rep := Source("p.sc", []byte(b.String()), compiler.Options{Policy: "top"})
	if len(rep.Errors) > 0 {
		t.Fatal(rep.Errors)
	}
	if n := len(findingsOf(rep.Findings, DuplicateRule)); n != 60 {
		t.Errorf("%d duplicate-rule findings, want 60", n)
	}
}
