package lang

import (
	"fmt"
	"strings"
	"testing"
)

// TestInspect checks the order of the walk, and that returning false skips a node's children.
func TestInspect(t *testing.T) {
	f := mustParse(t, `include "a.sc"
const C = -1 + (2)
group @g = read, @h
policy p {
    arch x86_64
    default newer errno(C)
    flags log
    allow read, @g if fd in {1, C} && !(x == 1)
    use q
    expect read(1) => allow
    expect nr=7(2) => log
}
`)
	var got []string
	Inspect(f, func(n Node) bool {
		s := strings.TrimPrefix(fmt.Sprintf("%T", n), "*lang.")
		switch n := n.(type) {
		case *Ident:
			s = n.Name
		case *Number:
			s = n.Text
		case *Binary:
			s = n.Op.String()
		case *Unary:
			s = n.Op.String()
		case *Action:
			s = n.Name
		}
		got = append(got, s)
		return true
	})
	want := "File Include ConstDecl C + - 1 Paren 2 GroupDecl @g read @h PolicyDecl p ArchStmt x86_64 " +
		"DefaultStmt errno C FlagsStmt log RuleStmt allow read @g && InSet fd 1 C ! Paren == x 1 " +
		"UseStmt q ExpectStmt read 1 allow ExpectStmt 7 2 log"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("walk:\n got %s\nwant %s", g, want)
	}

	var rules, nodes int
	Inspect(f, func(n Node) bool {
		nodes++
		_, isRule := n.(*RuleStmt)
		if isRule {
			rules++
		}
		return !isRule
	})
	if rules != 1 || nodes != len(got)-13 {
		t.Errorf("skipping the rule's children: %d rules, %d nodes", rules, nodes)
	}
}

// TestInspectCall walks a call that ParseCall returns: no action, and no name when the call
// is by number.
func TestInspectCall(t *testing.T) {
	st, errs := ParseCall("call", "nr=0x40000001(1, A)")
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	n := 0
	Inspect(st, func(Node) bool { n++; return true })
	if n != 4 {
		t.Errorf("visited %d nodes, want 4", n)
	}
}
