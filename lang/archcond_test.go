package lang

import (
	"strings"
	"testing"
)

// TestParseArchCondition: arch in a condition is the call's architecture, compared like an
// operand; a line of a policy body that starts with arch and a name is still the arch
// statement, after a complete condition and after a broken one.
func TestParseArchCondition(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"arch == x86_64", "(== arch x86_64)"},
		{"arch != i386", "(!= arch i386)"},
		{"arch in {x86_64, aarch64}", "(in arch [x86_64 aarch64])"},
		{"!(arch in {x32})", "(! (paren (in arch [x32])))"},
		{"arch == i386 && cmd == 0x5401", "(&& (== arch i386) (== cmd 0x5401=21505))"},
		{"x86_64 == arch || fd < 3", "(|| (== x86_64 arch) (< fd 3=3))"},
	} {
		f := mustParse(t, "policy p {\n    allow ioctl if "+c.src+"\n}\n")
		r := f.Decls[0].(*PolicyDecl).Body[0].(*RuleStmt)
		if got := dumpExpr(r.Cond); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.src, got, c.want)
		}
	}

	f := mustParse(t, "policy p {\n    allow read if arch == x86_64\n    arch x86_64, i386\n}\n")
	body := f.Decls[0].(*PolicyDecl).Body
	if len(body) != 2 {
		t.Fatalf("got %d statements, want a rule and an arch statement", len(body))
	}
	if _, ok := body[1].(*ArchStmt); !ok {
		t.Errorf("second statement is %T, want *ArchStmt", body[1])
	}

	// A broken condition: the error is the condition's, and the arch statement on the next
	// line parses.
	_, errs := Parse("test.sc", []byte("policy p {\n    allow read if fd ==\n    arch x86_64\n}\n"))
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "expected an operand after '=='") || errs[0].Pos.Line != 3 {
		t.Errorf("errors: %v", errs)
	}
}

// TestFormatArchCondition: the formatter writes arch conditions as written, spaced.
func TestFormatArchCondition(t *testing.T) {
	src := "policy p {\n  allow ioctl if arch==i386&&cmd==1||!(arch in{x86_64,x32})\n}\n"
	want := "policy p {\n    allow ioctl if arch == i386 && cmd == 1 || !(arch in {x86_64, x32})\n}\n"
	if got := string(Format(mustParse(t, src))); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestParseNumberNames: a rule names a syscall by number as nr=N, kept as the name "nr=N"
// as written; nr alone is a name (of no syscall), and NAME=N for another name an error.
func TestParseNumberNames(t *testing.T) {
	f := mustParse(t, "policy p {\n    allow read, nr=463, nr=0x400001cf if arg0 == 1\n}\n")
	r := f.Decls[0].(*PolicyDecl).Body[0].(*RuleStmt)
	if got := dumpIdents(r.Syscalls); got != "[read nr=463 nr=0x400001cf]" {
		t.Errorf("syscalls %s", got)
	}
	if r.Syscalls[2].At.Col != 25 {
		t.Errorf("nr=0x400001cf at column %d, want 25", r.Syscalls[2].At.Col)
	}
	if got := string(Format(f)); got != "policy p {\n    allow read, nr=463, nr=0x400001cf if arg0 == 1\n}\n" {
		t.Errorf("formatted:\n%s", got)
	}
	for src, want := range map[string]string{
		"policy p {\n    allow read=3\n}\n":  "2:15: unexpected '=' after the syscall name read",
		"policy p {\n    allow nr=x\n}\n":    "2:14: expected a number after nr=",
		"policy p {\n    allow nr=0463\n}\n": "2:14: invalid number 0463",
	} {
		_, errs := Parse("test.sc", []byte(src))
		if len(errs) == 0 || !strings.Contains(errs[0].Error(), want) {
			t.Errorf("%q: errors %v, want %q", src, errs, want)
		}
	}
}
