package grammar

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"

	policies "github.com/scc-dev/scc/lang/internal/corpus"
)

// corpus returns the policy files of the repository (tests, examples and the stdlib groups)
// and inputs on the edges of the lexer's rules and the grammar.
func corpus(t testing.TB) []string {
	return append(policies.Policies(t, "../../.."), extra...)
}

// extra are inputs on the edges of the lexer's rules and the grammar.
var extra = []string{
	"", "#", "# only\n", "\"a\\\"b\" \"a\\\n\" \"x\n\" \"\\", "@ @a- @a-b- @a--b @-a @é", "if in ifx in_ if(in{",
	"é ĳ \t\r\n 0x_1Fg 09 1.5 a.b", "<<<=>=>==!=&&||=>&|<>=!~(){},-+* / % $ [ ] ; : ?",
	"policy p { allow read, }", "policy a {\n allow read\npolicy b {", "const X = 0755 + 0x1_0000_0000_0000_0000",
	"policy p { allow a if x in {1, , 2} }", "include \"a", "policy p { kill kill, allow if a == -1 }",
	"policy p { expect f(1, (2)) => errno(E) default newer trap(1) flags log }", "group @a-b = @c, _llseek",
	"policy p { expect f() => allow allow x if !~-a in {1} && (b | c << 2) in {-1, ~0} }",
	"policy p { default newer allow default errno(1) use q arch x86_64, policy }",
	"policy p { allow x if a == allow }", "policy p { allow x if a - }", "policy p { allow flags, policy if flags == policy }",
	"const A = B C", "policy p { expect f(,) => allow }", "policy p { errno x }", "policy p {} policy q { use p }",
}

func participleLex(t testing.TB, src string) []lexer.Token {
	lex, err := Spec().LexString("f.sc", src)
	if err != nil {
		t.Fatal(err)
	}
	var toks []lexer.Token
	for {
		tok, err := lex.Next()
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		toks = append(toks, tok)
		if tok.EOF() {
			return toks
		}
	}
}

// lex returns every token of src from a Scanner, through EOF.
func lex(src string) []lexer.Token {
	s := NewScanner("f.sc", src)
	var toks []lexer.Token
	for {
		toks = append(toks, s.Next())
		if toks[len(toks)-1].EOF() {
			return toks
		}
	}
}

// lexSkipping returns the tokens of src but whitespace, from a Scanner that skips it with
// SkipWhitespace, through EOF.
func lexSkipping(src string) []lexer.Token {
	s := NewScanner("f.sc", src)
	var toks []lexer.Token
	for {
		s.SkipWhitespace()
		toks = append(toks, s.Next())
		if toks[len(toks)-1].EOF() {
			return toks
		}
	}
}

// withoutWhitespace returns toks but the whitespace.
func withoutWhitespace(toks []lexer.Token) []lexer.Token {
	var out []lexer.Token
	for _, t := range toks {
		if t.Type != TypeWhitespace {
			out = append(out, t)
		}
	}
	return out
}

func checkLex(t testing.TB, src string) {
	want := participleLex(t, src)
	if got := lex(src); !reflect.DeepEqual(got, want) {
		t.Fatalf("Scanner on %q:\n got %v\nwant %v", src, got, want)
	}
	if got, want := lexSkipping(src), withoutWhitespace(want); !reflect.DeepEqual(got, want) {
		t.Fatalf("Scanner with SkipWhitespace on %q:\n got %v\nwant %v", src, got, want)
	}
}

// TestScannerMatchesLexer checks Scanner against Spec, the rules' regular expressions, on the corpus
// and on random text made of the characters that matter.
func TestScannerMatchesLexer(t *testing.T) {
	for _, src := range corpus(t) {
		checkLex(t, src)
	}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("aif_n0x9@-\"\\#\n\r \t<>=!&|(){},+~*é")
	for range 20000 {
		b := make([]rune, r.IntN(12))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		checkLex(t, string(b))
	}
}

// FuzzScanner checks Scanner against Spec on any text.
func FuzzScanner(f *testing.F) {
	for _, src := range corpus(f) {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if !utf8.ValidString(src) || strings.IndexByte(src, 0) >= 0 {
			return // package lang rejects these before lexing
		}
		checkLex(t, src)
	})
}

// TestLexerSymbols: Lexer numbers the token types as Spec, the regular expressions, does.
func TestLexerSymbols(t *testing.T) {
	want := Spec().Symbols()
	got := Lexer.Symbols()
	if len(got) != len(want) {
		t.Fatalf("Lexer has %d symbols, Spec %d", len(got), len(want))
	}
	for name, typ := range want {
		if got[name] != typ {
			t.Errorf("%s: Lexer %d, Spec %d", name, got[name], typ)
		}
	}
}

// TestLexerLexes: Lexer's Lex is the Scanner.
func TestLexerLexes(t *testing.T) {
	l, err := Lexer.Lex("f.sc", strings.NewReader("allow read"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"allow", " ", "read", ""} {
		tok, err := l.Next()
		if err != nil || tok.Value != want {
			t.Fatalf("Next = %q, %v; want %q", tok.Value, err, want)
		}
	}
}
