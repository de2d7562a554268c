package lang

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/scc-dev/scc/lang/token"
)

var update = flag.Bool("update", false, "rewrite the golden files and docs/language.md's EBNF")

// TestFormatGolden formats each testdata/format/*.sc and compares with its .golden file.
func TestFormatGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/format/*.sc")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, in := range files {
		t.Run(filepath.Base(in), func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got := string(formatSource(t, in, src))
			golden := strings.TrimSuffix(in, ".sc") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("Format mismatch (-want +got):\n%s", diff)
			}
			if again := string(formatSource(t, golden, []byte(got))); again != got {
				t.Errorf("Format is not idempotent:\n%s", cmp.Diff(got, again))
			}
		})
	}
}

func formatSource(t *testing.T, name string, src []byte) []byte {
	t.Helper()
	f, errs := Parse(name, src)
	if errs.HasErrors() {
		t.Fatalf("Parse: %v", errs)
	}
	return Format(f)
}

func TestFormat(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"", ""},
		{"# c  \r\n", "# c\n"},
		{"policy p{}", "policy p {\n}\n"},
		{"const X=-1", "const X = -1\n"},
		{"const X=(1+2)<<3", "const X = (1 + 2) << 3\n"},
		{"const X=!!a&&~b", "const X = !!a && ~b\n"},
		{"const X=a - -1", "const X = a - -1\n"},
		{"const X=x in{A,B}", "const X = x in {A, B}\n"},
		{"include \"a\\\"b\"", "include \"a\\\"b\"\n"},
		{"const A = 1\n\n\n\nconst B = 2", "const A = 1\n\nconst B = 2\n"},
		{"policy p {\n\n allow a\n\n}", "policy p {\n    allow a\n}\n"},
		{"policy p { allow a # x\n allow bb # y\n\n allow c # z\n}",
			"policy p {\n    allow a   # x\n    allow bb  # y\n\n    allow c  # z\n}\n"},
		// A long condition wraps after a comma or |, || and &&, never after &.
		{"policy p {\nallow socket if domain < 3 || domain in {AF_BRIDGE, AF_ATMPVC, AF_X25, AF_INET6, AF_NETBEUI, AF_SECURITY, AF_KEY, AF_NETLINK}\n}",
			"policy p {\n    allow socket if domain < 3 || domain in {AF_BRIDGE, AF_ATMPVC, AF_X25, AF_INET6, AF_NETBEUI,\n" +
				"        AF_SECURITY, AF_KEY, AF_NETLINK}\n}\n"},
		{"policy p {\nallow clone if flags & (CLONE_NEWCGROUP | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUSER) == 0 # c\n}",
			"policy p {\n    allow clone if flags & (CLONE_NEWCGROUP | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWNS |\n" +
				"        CLONE_NEWPID | CLONE_NEWUSER) == 0  # c\n}\n"},
		{"policy p {\nallow aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, cccccccccccccccc if x == 1 && yyyyyyyyyyyyy == 2\n}",
			"policy p {\n    allow aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, cccccccccccccccc if\n" +
				"        x == 1 && yyyyyyyyyyyyy == 2\n}\n"},
	} {
		if got := string(formatSource(t, "test.sc", []byte(c.src))); got != c.want {
			t.Errorf("Format(%q)\n got %q\nwant %q", c.src, got, c.want)
		}
	}
}

// TestFormatBuiltTree formats trees that did not come from Parse: parentheses are added
// where precedence needs them.
func TestFormatBuiltTree(t *testing.T) {
	for _, c := range []struct {
		x    Expr
		want string
	}{
		{bin("&", bin("+", id("a"), id("b")), id("c")), "(a + b) & c"},
		{bin("-", id("a"), bin("-", id("b"), id("c"))), "a - (b - c)"},
		{bin("-", bin("-", id("a"), id("b")), id("c")), "a - b - c"},
		{&Unary{Op: token.Not, X: bin("==", id("a"), id("b"))}, "!(a == b)"},
		{&InSet{X: bin("||", id("a"), id("b")), Set: []Expr{num("1", 1)}}, "(a || b) in {1}"},
		{bin("&", &InSet{X: id("a"), Set: []Expr{num("1", 1)}}, id("b")), "a in {1} & b"},
		{bin("&", id("b"), &InSet{X: id("a"), Set: []Expr{num("1", 1)}}), "b & (a in {1})"},
	} {
		f := &File{Decls: []Decl{&ConstDecl{Name: id("X"), Value: c.x}}}
		want := "const X = " + c.want + "\n"
		if got := string(Format(f)); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
