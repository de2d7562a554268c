package compiler

import (
	"strings"
	"testing"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/stdlib"
)

// posOf is the position of the first text in src, a file named file.
func posOf(t *testing.T, file, src, text string) diag.Pos {
	t.Helper()
	off := strings.Index(src, text)
	if off < 0 {
		t.Fatalf("%q is not in %s", text, file)
	}
	line := strings.Count(src[:off], "\n") + 1
	col := off - strings.LastIndexByte(src[:off], '\n')
	return diag.Pos{File: file, Offset: off, Line: line, Col: col}
}

// TestRulePositionsInIR: every rule of the IR, on every arch, carries the position of its
// statement in the source as a diag.Pos, for rules of the main file, of an included file and
// of a used policy.
func TestRulePositionsInIR(t *testing.T) {
	mainSrc := "include \"lib/net.sc\"\n" +
		"policy base {\n    allow read\n}\n" +
		"policy main {\n    arch x86_64, aarch64\n    default kill\n" +
		"    allow close\n    allow write if fd == 1\n    use base\n    use net\n}\n"
	libSrc := "# the network\npolicy net {\n  errno(EPERM) socket, connect\n}\n"
	t.Chdir(writeFiles(t, map[string]string{"main.sc": mainSrc, "lib/net.sc": libSrc}))
	res, errs := CompileFile("main.sc", Options{Policy: "main"})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	want := map[string]diag.Pos{
		"close":   posOf(t, "main.sc", mainSrc, "allow close"),
		"write":   posOf(t, "main.sc", mainSrc, "allow write"),
		"read":    posOf(t, "main.sc", mainSrc, "allow read"),
		"socket":  posOf(t, "lib/net.sc", libSrc, "errno(EPERM)"),
		"connect": posOf(t, "lib/net.sc", libSrc, "errno(EPERM)"),
	}
	if len(res.Policy.Arches) != 2 {
		t.Fatalf("%d arches, want 2", len(res.Policy.Arches))
	}
	for _, ap := range res.Policy.Arches {
		for name, pos := range want {
			nr, ok := stdlib.SyscallNumber(ap.Arch.Name, name)
			if !ok {
				t.Fatalf("%s has no %s", ap.Arch.Name, name)
			}
			rules := ap.Rules[nr]
			if len(rules) != 1 {
				t.Fatalf("%s on %s: %d rules, want 1", name, ap.Arch.Name, len(rules))
			}
			if rules[0].Pos != pos {
				t.Errorf("%s on %s: rule at %+v, want %+v", name, ap.Arch.Name, rules[0].Pos, pos)
			}
		}
	}
}
