package lang

import (
	"fmt"
	"strings"
	"testing"

	"github.com/scc-dev/scc/diag"
)

// parseErrors parses src and returns its errors as "line:col: message".
func parseErrors(src string) []string {
	_, errs := Parse("f.sc", []byte(src))
	var out []string
	for _, d := range errs {
		out = append(out, fmt.Sprintf("%d:%d: %s", d.Pos.Line, d.Pos.Col, d.Message))
	}
	return out
}

func TestFileSizeLimit(t *testing.T) {
	head := "policy p { allow read }\n"
	fits := head + strings.Repeat("#", MaxFileSize-len(head))
	if errs := parseErrors(fits); len(errs) != 0 {
		t.Fatalf("a file of %d bytes: %v", len(fits), errs)
	}
	_, errs := Parse("f.sc", []byte(fits+"\n"))
	if len(errs) != 1 || errs[0].Pos.Offset != MaxFileSize || errs[0].Pos.Line != 2 ||
		!strings.Contains(errs[0].Message, "larger than scc's limit of 4194304 bytes") {
		t.Fatalf("a file of %d bytes: %v", len(fits)+1, errs)
	}
}

// TestNestingLimit: deep nesting of every kind is one positioned error, found before any
// recursive descent.
func TestNestingLimit(t *testing.T) {
	const deep = 100_000
	for name, cond := range map[string]string{
		"parentheses": strings.Repeat("(", deep) + "fd == 1" + strings.Repeat(")", deep),
		"nots":        strings.Repeat("!", deep) + "(fd == 1)",
		"not-parens":  strings.Repeat("!(", deep) + "fd == 1" + strings.Repeat(")", deep),
		"minus":       "fd == " + strings.Repeat("-", deep) + "1",
		"unclosed":    strings.Repeat("(", deep),
	} {
		src := "policy p {\n allow read if " + cond + " }"
		errs := parseErrors(src)
		if len(errs) != 1 || !strings.HasPrefix(errs[0], "2:") || !strings.HasSuffix(errs[0], "expression nested too deeply (more than 100 levels)") {
			t.Errorf("%s: %v", name, errs)
		}
	}
	ok := "policy p {\n allow read if " + strings.Repeat("(", MaxNesting-1) + "fd == 1" + strings.Repeat(")", MaxNesting-1) + " }"
	if errs := parseErrors(ok); len(errs) != 0 {
		t.Errorf("%d levels: %v", MaxNesting, errs)
	}
}

// TestParserStopsAfterTooManyErrors: a file of 100,000 bad statements gives the first errors
// and stops, as Go's parser does.
func TestParserStopsAfterTooManyErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("policy p {\n")
	for i := 0; i < 100_000; i++ {
		fmt.Fprintf(&b, " allow read if fd == == %d\n", i)
	}
	b.WriteString("}\n")
	errs := parseErrors(b.String())
	if len(errs) != diag.MaxErrors+1 {
		t.Fatalf("%d errors, want %d: %v", len(errs), diag.MaxErrors+1, errs)
	}
	for i, e := range errs {
		if !strings.HasPrefix(e, fmt.Sprintf("%d:", i+2)) {
			t.Errorf("error %d at %s, want line %d", i, e, i+2)
		}
	}
	var decls strings.Builder
	for i := 0; i < 100_000; i++ {
		fmt.Fprintf(&decls, "const X%d = = 1\n", i)
	}
	if errs := parseErrors(decls.String()); len(errs) != diag.MaxErrors+1 {
		t.Fatalf("bad declarations: %d errors, want %d", len(errs), diag.MaxErrors+1)
	}
}
