package compiler

import (
	"testing"

	"github.com/scc-dev/scc/lang"
)

// TestExprText checks that expressions print back as lang's formatter prints them, sets
// included.
func TestExprText(t *testing.T) {
	for src, want := range map[string]string{
		"A in {1, 2,3}":      "A in {1, 2, 3}",
		"(1<<2) - 3":         "(1 << 2) - 3",
		"SOCK_STREAM|0x800":  "SOCK_STREAM | 0x800",
		"-(M)":               "-(M)",
		"~0":                 "~0",
		"0o7":                "0o7",
		"x & 0xf0 in {0x10}": "x & 0xf0 in {0x10}",
	} {
		f, errs := lang.Parse("t.sc", []byte("const x = "+src+"\n"))
		if errs.HasErrors() {
			t.Fatalf("%s: %v", src, errs)
		}
		if got := exprText(f.Decls[0].(*lang.ConstDecl).Value); got != want {
			t.Errorf("exprText(%s) = %q, want %q", src, got, want)
		}
	}
}
