package lang

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/scc-dev/scc/lang/internal/corpus"
	"github.com/scc-dev/scc/lang/internal/grammar"
)

// policyCorpus returns the policy files of the repository (tests, examples and the stdlib
// groups) and inputs on the edges of the grammar.
func policyCorpus(t testing.TB) []string {
	return append(corpus.Policies(t, ".."), grammarEdges...)
}

var grammarEdges = []string{
	"", "# only\n", "policy p { allow read, }", "policy a {\n allow read\npolicy b {",
	"const X = 0755 + 0x1_0000_0000_0000_0000", "policy p { allow a if x in {1, , 2} }", "include \"a",
	"include \"a\\q\"", "policy p { kill kill, allow if a == -1 }", "group @a-b = @c, _llseek",
	"policy p { expect f(1, (2)) => errno(E) default newer trap(1) flags log }",
	"policy p { expect f() => allow allow x if !~-a in {1} && (b | c << 2) in {-1, ~0} }",
	"policy p { default newer allow default errno(1) use q arch x86_64, policy }",
	"policy p { allow x if a == allow }", "policy p { allow x if a - }", "policy p { allow flags, policy if flags == policy }",
	"const A = B C", "policy p { expect f(,) => allow }", "policy p { errno x }", "policy p {} policy q { use p }",
	"policy p { allow x if a || b && c == d + e << f | g < h - i & j >= k in {1} != l }",
	"policy p { allow x if " + strings.Repeat("(", maxNesting) + "a" + strings.Repeat(")", maxNesting) + " }",
	"policy p { allow x if " + strings.Repeat("(", maxNesting+1) + "a" + strings.Repeat(")", maxNesting+1) + " }",
	"policy p { allow x if " + strings.Repeat("-", maxNesting+1) + "a }",
}

// generalAccepts tells whether the general path parses src without a syntax error.
func generalAccepts(src []byte) bool {
	p := newParser("f.sc", src)
	if !p.tokenize() {
		return false
	}
	_, err := grammar.FileParser.ParseFromLexer(p.peeking())
	return err == nil
}

// checkFastParse checks that fastParse accepts exactly the text that the general path
// parses without a syntax error, with the same tree, comments and errors.
func checkFastParse(t testing.TB, src []byte) {
	fast := newParser("f.sc", src)
	if !fast.checkText() {
		return
	}
	ok := fast.fastParse()
	if accepts := generalAccepts(src); ok != accepts {
		t.Fatalf("%q: fastParse %v, general path accepts %v", src, ok, accepts)
	}
	if !ok {
		return
	}
	general := newParser("f.sc", src)
	general.parseGeneral()
	fast.errs.Sort()
	general.errs.Sort()
	if !reflect.DeepEqual(fast.file, general.file) || !reflect.DeepEqual(fast.errs, general.errs) {
		t.Fatalf("%q: fastParse and the general path differ:\n%s\n%v\n%s\n%v", src,
			dump(fast.file), fast.errs, dump(general.file), general.errs)
	}
}

// tokens returns the significant tokens of src.
func tokens(src string) []lexer.Token {
	p := newParser("f.sc", []byte(src))
	p.tokenize()
	return p.toks[:len(p.toks)-1]
}

// join writes toks back as text, a space or a newline between tokens.
func join(r *rand.Rand, toks []lexer.Token) []byte {
	var b []byte
	for _, t := range toks {
		b = append(b, t.Value...)
		b = append(b, " \n"[r.IntN(2)])
	}
	return b
}

// TestFastParseMatchesGeneral checks fastParse against the general path on the corpus and on
// token-level mutations of it.
func TestFastParseMatchesGeneral(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, src := range policyCorpus(t) {
		checkFastParse(t, []byte(src))
		toks := tokens(src)
		for range 200 {
			m := append([]lexer.Token(nil), toks...)
			if len(m) > 0 {
				i, j := r.IntN(len(m)), r.IntN(len(m))
				switch r.IntN(3) {
				case 0: // delete a token
					m = append(m[:i], m[i+1:]...)
				case 1: // duplicate one
					m = append(m[:i+1], m[i:]...)
				default: // replace one by another
					m[i] = m[j]
				}
			}
			checkFastParse(t, join(r, m))
		}
	}
}

// FuzzFastParse checks fastParse against the general path on any text.
func FuzzFastParse(f *testing.F) {
	for _, src := range policyCorpus(f) {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, src []byte) { checkFastParse(t, src) })
}
