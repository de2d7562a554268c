package lang

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/scc-dev/scc/lang/internal/grammar"
)

//go:generate go test -run TestLanguageDocEBNF -update

const (
	docPath     = "../docs/language.md"
	ebnfBegin   = "<!-- ebnf:begin -->"
	ebnfEnd     = "<!-- ebnf:end -->"
	docGenerate = "<!-- generated from lang/internal/grammar by `go test ./lang -run TestLanguageDocEBNF -update`; do not edit -->"
)

// TestLanguageDocEBNF fails when the grammar in docs/language.md differs from the parser's;
// with -update it rewrites that part of the document.
func TestLanguageDocEBNF(t *testing.T) {
	doc, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	begin, end := bytes.Index(doc, []byte(ebnfBegin)), bytes.Index(doc, []byte(ebnfEnd))
	if begin < 0 || end < begin {
		t.Fatalf("%s: no %s … %s section", docPath, ebnfBegin, ebnfEnd)
	}
	want := ebnfBegin + "\n" + grammarSection() + ebnfEnd
	got := string(doc[begin : end+len(ebnfEnd)])
	if got == want {
		return
	}
	if !*update {
		t.Fatalf("%s: the grammar differs from the parser's; run go generate ./lang", docPath)
	}
	updated := string(doc[:begin]) + want + string(doc[end+len(ebnfEnd):])
	if err := os.WriteFile(docPath, []byte(updated), 0o644); err != nil {
		t.Fatal(err)
	}
}

// grammarSection renders the lexer rules and the EBNF for the document.
func grammarSection() string {
	var b strings.Builder
	b.WriteString(docGenerate + "\n\n")
	b.WriteString("Tokens, tried in this order at each position (the first that matches wins; " +
		"comments and whitespace separate tokens and are otherwise ignored):\n\n")
	b.WriteString("| token | regular expression (Go syntax) |\n| --- | --- |\n")
	for _, r := range grammar.Rules() {
		fmt.Fprintf(&b, "| `%s` | `%s` |\n", strings.ToLower(r.Name), strings.ReplaceAll(r.Pattern, "|", `\|`))
	}
	b.WriteString("\nGrammar (participle's EBNF: `<token>` is a token of that type, `\"x\"` a literal, " +
		"`(?= …)` and `(?! …)` a lookahead that must match or must not):\n\n```ebnf\n")
	b.WriteString(grammar.EBNF())
	b.WriteString("\n```\n")
	return b.String()
}
