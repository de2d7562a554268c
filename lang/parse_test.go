package lang

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lang/token"
)

func mustParse(t *testing.T, src string) *File {
	t.Helper()
	f, errs := Parse("test.sc", []byte(src))
	if errs.HasErrors() {
		t.Fatalf("Parse(%q): %v", src, errs)
	}
	return f
}

// Helpers that build syntax trees without positions.
func id(name string) *Ident { return &Ident{Name: name} }

func ids(names ...string) []*Ident {
	var r []*Ident
	for _, n := range names {
		r = append(r, id(n))
	}
	return r
}

func num(text string, v uint64) *Number         { return &Number{Text: text, Value: v} }
func bin(op string, x, y Expr) *Binary          { return &Binary{Op: token.LookupOperator(op), X: x, Y: y} }
func act(name string) *Action                   { return &Action{Name: name} }
func actArg(name string, arg Expr) *Action      { return &Action{Name: name, Arg: arg} }
func rule(a *Action, names ...string) *RuleStmt { return &RuleStmt{Action: a, Syscalls: ids(names...)} }

func TestParseDesignExample(t *testing.T) {
	src, err := os.ReadFile("testdata/web.sc")
	if err != nil {
		t.Fatal(err)
	}
	f := mustParse(t, string(src))
	ruleIf := func(r *RuleStmt, cond Expr) *RuleStmt { r.Cond = cond; return r }
	want := []Decl{
		&Include{Path: "common.sc"},
		&ConstDecl{Name: id("MAX_FD"), Value: num("1024", 1024)},
		&GroupDecl{Name: id("@web-io"), Members: ids("read", "write", "readv", "writev", "@network-io")},
		&PolicyDecl{Name: id("web"), Body: []Stmt{
			&ArchStmt{Arches: ids("x86_64", "i386", "x32")},
			&DefaultStmt{Action: actArg("errno", id("EPERM"))},
			rule(act("allow"), "@web-io", "close", "futex", "exit_group", "rt_sigreturn"),
			ruleIf(rule(act("allow"), "mmap", "mprotect"),
				bin("==", bin("&", id("prot"), id("PROT_EXEC")), num("0", 0))),
			ruleIf(rule(act("allow"), "socket"),
				&InSet{X: id("domain"), Set: []Expr{id("AF_INET"), id("AF_INET6"), id("AF_UNIX")}}),
			rule(actArg("errno", id("EAFNOSUPPORT")), "socket"),
			ruleIf(rule(act("allow"), "fcntl"), bin("&&",
				bin("<", id("fd"), id("MAX_FD")),
				&Paren{X: bin("||", bin("==", id("cmd"), id("F_GETFL")), bin("==", id("cmd"), id("F_SETFL")))})),
			ruleIf(rule(act("allow"), "ioctl"), bin("==", id("arg1"), id("TCGETS"))),
			rule(act("kill"), "ptrace", "process_vm_writev"),
			rule(act("log"), "personality"),
			&UseStmt{Policy: id("base")},
			&ExpectStmt{Syscall: id("socket"), Args: []Expr{id("AF_INET"), id("SOCK_STREAM"), num("0", 0)}, Action: act("allow")},
			&ExpectStmt{Syscall: id("socket"), Args: []Expr{id("AF_PACKET"), id("SOCK_RAW"), num("0", 0)},
				Action: actArg("errno", id("EAFNOSUPPORT"))},
		}},
	}
	if diff := cmp.Diff(want, f.Decls, cmpopts.IgnoreTypes(diag.Pos{})); diff != "" {
		t.Errorf("AST mismatch (-want +got):\n%s", diff)
	}
	if got := len(f.Comments); got != 10 {
		t.Errorf("got %d comments, want 10", got)
	}
}

func TestParsePositions(t *testing.T) {
	src := "# c\npolicy p {\n\tallow read, write if a & B == 0\n}\n"
	f := mustParse(t, src)
	pol := f.Decls[0].(*PolicyDecl)
	r := pol.Body[0].(*RuleStmt)
	cond := r.Cond.(*Binary)
	for _, c := range []struct {
		what string
		got  diag.Pos
		want string
		off  int
	}{
		{"comment", f.Comments[0].At, "test.sc:1:1", 0},
		{"policy", pol.At, "test.sc:2:1", 4},
		{"policy name", pol.Name.At, "test.sc:2:8", 11},
		{"close", pol.Close, "test.sc:4:1", 48},
		{"rule", r.At, "test.sc:3:2", 16},
		{"action", r.Action.At, "test.sc:3:2", 16},
		{"second syscall", r.Syscalls[1].At, "test.sc:3:14", 28},
		{"== operator", cond.At, "test.sc:3:29", 43},
		{"& operator", cond.X.(*Binary).At, "test.sc:3:25", 39},
	} {
		if c.got.String() != c.want || c.got.Offset != c.off {
			t.Errorf("%s at %v (offset %d), want %s (offset %d)", c.what, c.got, c.got.Offset, c.want, c.off)
		}
	}
	if got, want := cond.Pos(), r.Cond.(*Binary).X.Pos(); got != want {
		t.Errorf("Binary.Pos() = %v, want its left operand's %v", got, want)
	}
}

func TestParse(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"", ""},
		{"# only a comment\n", ""},
		{`include "a/b.sc"`, `include "a/b.sc"`},
		{`include "tab\there"`, `include "tab\there"`},
		{"const X = 1", "const X 1=1"},
		{"group @a-b-c = _llseek, @x", "group @a-b-c [_llseek @x]"},
		{"policy a {} policy b {}", "policy a {}; policy b {}"},
		// Newlines are insignificant: statements start with their keyword or action.
		{"policy p { allow a, b\n kill c }", "policy p {allow [a b]; kill [c]}"},
		{"policy p { allow a, b kill c }", "policy p {allow [a b]; kill [c]}"},
		{"policy p { allow a,\n b }", "policy p {allow [a b]}"},
		// kill is an action and a syscall.
		{"policy p { allow kill }", "policy p {allow [kill]}"},
		{"policy p { kill kill }", "policy p {kill [kill]}"},
		{"policy p { kill kill, allow }", "policy p {kill [kill allow]}"},
		{"policy p { kill_thread tgkill kill_process x user_notif y log z }",
			"policy p {kill_thread [tgkill]; kill_process [x]; user_notif [y]; log [z]}"},
		{"policy p { trap(1) a trace(0x10) b errno(EPERM) c }",
			"policy p {trap(1=1) [a]; trace(0x10=16) [b]; errno(EPERM) [c]}"},
		{"policy p { default kill default newer errno(ENOSYS) }",
			"policy p {default kill; default newer errno(ENOSYS)}"},
		{"policy p { default newer named errno(ENOSYS) allow named }",
			"policy p {default newer named errno(ENOSYS); allow [named]}"},
		// foreign is a word of default only; u64 followed by ( is the width override, a name
		// otherwise.
		{"policy p { default foreign kill_thread allow foreign }",
			"policy p {default foreign kill_thread; allow [foreign]}"},
		{"policy p { allow read if u64(fd) == 1 && u64 == 2 || u64((arg1)) & 3 != 0 }",
			"policy p {allow [read] if (|| (&& (== (u64 fd) 1=1) (== u64 2=2)) (!= (& (u64 (paren arg1)) 3=3) 0=0))}"},
		// listener and metadata are words of the listener statement only.
		{`policy p { listener "/run/a.sock" metadata "k=\"v\"" allow listener, metadata }`,
			`policy p {listener "/run/a.sock" metadata "k=\"v\""; allow [listener metadata]}`},
		{`policy p { listener "/s" flags log }`, `policy p {listener "/s"; flags [log]}`},
		{"policy p { flags log, spec_allow, tsync arch x86_64 use base }",
			"policy p {flags [log spec_allow tsync]; arch [x86_64]; use base}"},
		{"policy p { expect getpid() => allow }", "policy p {expect getpid[] allow}"},
		{"policy p { expect f(-1, ~0) => errno(1) }", "policy p {expect f[(- 1=1) (~ 0=0)] errno(1=1)}"},
		// A condition ends where no operator continues it.
		{"policy p { allow a if x == 1\n kill b }", "policy p {allow [a] if (== x 1=1); kill [b]}"},
	} {
		f, errs := Parse("test.sc", []byte(c.src))
		if errs.HasErrors() {
			t.Errorf("Parse(%q): %v", c.src, errs)
			continue
		}
		if got := dump(f); got != c.want {
			t.Errorf("Parse(%q)\n got %s\nwant %s", c.src, got, c.want)
		}
	}
}

func TestParseExpr(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"prot & PROT_EXEC == 0", "(== (& prot PROT_EXEC) 0=0)"},
		{"a | b == c", "(== (| a b) c)"},
		{"a << 2 + 1", "(+ (<< a 2=2) 1=1)"},
		{"a + b << 2", "(+ a (<< b 2=2))"},
		{"a - b - c", "(- (- a b) c)"},
		{"a - (b - c)", "(- a (paren (- b c)))"},
		{"a || b && c", "(|| a (&& b c))"},
		{"a && b || c && d", "(|| (&& a b) (&& c d))"},
		{"!a && b", "(&& (! a) b)"},
		{"!(a && b)", "(! (paren (&& a b)))"},
		{"-1", "(- 1=1)"},
		{"~MASK & x", "(& (~ MASK) x)"},
		{"--x", "(- (- x))"},
		{"x in {1, A | B}", "(in x [1=1 (| A B)])"},
		{"a + b in {1} && c", "(&& (in (+ a b) [1=1]) c)"},
		{"a && b in {1}", "(&& a (in b [1=1]))"},
		{"a == b in {1}", "(in (== a b) [1=1])"},
		{"a < b != c <= d", "(<= (!= (< a b) c) d)"},
		{"a >= 1 && a > 2", "(&& (>= a 1=1) (> a 2=2))"},
		{"0x_ff + 0o17 + 0b1010 + 1_000", "(+ (+ (+ 0x_ff=255 0o17=15) 0b1010=10) 1_000=1000)"},
		{"0xffffffffffffffff", "0xffffffffffffffff=18446744073709551615"},
		{"0", "0=0"},
	} {
		f, errs := Parse("test.sc", []byte("const X = "+c.src))
		if errs.HasErrors() {
			t.Errorf("Parse(%q): %v", c.src, errs)
			continue
		}
		if got := dumpExpr(f.Decls[0].(*ConstDecl).Value); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.src, got, c.want)
		}
	}
}

// TestParseErrors checks every syntax error's position, message and hint.
func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      []string // "line:col: message | hint"
	}{
		{"trailing comma", "policy p {\n    allow read,\n}\n",
			[]string{"3:1: expected a syscall name after ',' | found '}'; a list has no trailing ','"}},
		{"trailing comma at EOF", "group @g = a,",
			[]string{"1:14: expected a syscall name or @group after ',' | found end of file; a list has no trailing ','"}},
		{"trailing comma in arch", "policy p { arch x86_64, }",
			[]string{"1:25: expected an architecture name after ',' | found '}'; a list has no trailing ','"}},
		{"trailing comma in flags", "policy p { flags log, }",
			[]string{"1:23: expected a flag name after ',' | found '}'; a list has no trailing ','"}},
		{"unterminated block", "policy web {\n    allow read\n",
			[]string{"1:12: policy web: missing '}' | the block opened here is not closed before end of file"}},
		{"unterminated block before next policy", "policy a {\n allow read\npolicy b {\n allow x\n}\n",
			[]string{`1:10: policy a: missing '}' | the block opened here is not closed before "policy"`}},
		{"incomplete expression", "policy p { allow read if a == }",
			[]string{"1:31: incomplete expression: expected an operand after '==', found '}'"}},
		{"incomplete condition", "policy p {\n allow read if\n kill x\n}",
			[]string{`3:2: incomplete expression: expected an operand after 'if', found "kill"`}},
		{"incomplete const", "const X = 1 +",
			[]string{"1:14: incomplete expression: expected an operand after '+', found end of file"}},
		{"empty set", "policy p { allow a if x in {} }",
			[]string{"1:29: incomplete expression: expected an operand after '{', found '}' | a set needs at least one value: x in {1, 2}; a set of none would never match"}},
		{"set ending in a comma", "policy p { allow a if x in {1,} }",
			[]string{"1:31: incomplete expression: expected an operand after ',', found '}' | remove the ',' before '}': a set does not end with a comma"}},
		{"assignment for comparison", "policy p { allow a if x = 1 }",
			[]string{"1:25: '=' is not a comparison | compare with ==, as in fd == 1"}},
		{"in without set", "policy p { allow a if x in 1 }",
			[]string{`1:28: expected '{', as in x in {A, B}, after "in", found number 1`}},
		{"unknown action", "policy p { alow read }",
			[]string{`1:12: unknown action or statement "alow" | did you mean allow?`}},
		{"unknown default action", "policy p { default kil }",
			[]string{`1:20: unknown action "kil" | did you mean kill?`}},
		{"unknown expect action", "policy p { expect a() => nope }",
			[]string{`1:26: unknown action "nope" | the actions are allow, log, kill, kill_process, kill_thread, user_notif, errno, trap, trace`}},
		{"missing comma", "policy p { allow read write }",
			[]string{`1:23: unknown action or statement "write" | missing ',' after "read"?`}},
		{"trailing comma before an action", "policy p {\n allow read,\n kill ptrace\n}",
			[]string{`3:7: unknown action or statement "ptrace" | the ',' before "kill" continues the list on line 2: remove it`}},
		{"errno without parens", "policy p { errno EPERM read }",
			[]string{`1:18: expected '(' and the errno value, as in errno(EPERM), after "errno", found "EPERM"`}},
		{"action without syscalls", "policy p { allow }",
			[]string{`1:18: expected a syscall name after "allow", found '}'`}},
		{"errno without syscalls", "policy p { errno(1) if x }",
			[]string{`1:21: expected a syscall name after "errno(…)", found keyword "if"`}},
		{"statement outside policy", "allow read",
			[]string{`1:1: expected include, const, group or policy, found "allow" | statements belong in a policy block: policy NAME { … }`}},
		{"misspelt declaration", "polcy p {}",
			[]string{`1:1: expected include, const, group or policy, found "polcy" | did you mean policy?`}},
		{"missing policy name", "policy { allow a }",
			[]string{`1:8: expected a policy name after "policy", found '{'`}},
		{"missing brace", "policy p allow a }",
			[]string{`1:10: expected '{' after "p", found "allow"`}},
		{"missing equals", "const X 1\ngroup @g read",
			[]string{`1:9: expected '=' after "X", found number 1`, `2:10: expected '=' after "@g", found "read"`}},
		{"expect without parens", "policy p { expect getpid => allow }",
			[]string{`1:26: expected '(' after "getpid", found '=>'`}},
		{"expect without arrow", "policy p { expect getpid() allow }",
			[]string{`1:28: expected "=>" Action, found "allow"`}},
		{"include without string", "include common.sc",
			[]string{`1:9: expected a quoted path after "include", found "common"`}},
		{"unterminated string", "include \"common.sc\n",
			[]string{`1:9: unterminated string | a string ends with '"' on the same line`}},
		{"bad escape", `include "a\qb"`,
			[]string{`1:9: invalid string "a\qb" | the escapes are Go's: \" \\ \n \t \xHH`}},
		{"invalid character", "policy p { allow a if x $ 1 }",
			[]string{`1:25: invalid character "$"`}},
		{"lone at", "group @ = a",
			[]string{`1:7: '@' must be followed by a group name | group names are like @web-io`}},
		{"overflow", "const X = 0x1_0000_0000_0000_0000",
			[]string{"1:11: number 0x1_0000_0000_0000_0000 overflows 64 bits"}},
		{"decimal overflow", "const X = 18446744073709551616",
			[]string{"1:11: number 18446744073709551616 overflows 64 bits"}},
		{"leading zero", "const X = 0755",
			[]string{"1:11: invalid number 0755: leading zero is not octal here | write 0o755 for octal"}},
		{"bad digits", "const X = 0x1g + 1__0 + 12ab",
			[]string{"1:11: invalid number 0x1g", "1:18: invalid number 1__0", "1:25: invalid number 12ab"}},
		{"NUL byte", "policy p {\n\x00\x01\x02 allow }",
			[]string{"2:1: not a policy file: NUL byte (binary data?) | scc reads policy text (.sc files)"}},
		{"invalid UTF-8", "policy p { \xff\xfe }",
			[]string{"1:12: not a policy file: invalid UTF-8 byte 0xff | policy files are UTF-8 text"}},
		{"too deep", "const X = " + strings.Repeat("(", 200) + "1" + strings.Repeat(")", 200),
			[]string{"1:111: expression nested too deeply (more than 100 levels)"}},
		{"errors in two policies", "policy a {\n allow read,\n}\npolicy b {\n alow x\n}\n", []string{
			"3:1: expected a syscall name after ',' | found '}'; a list has no trailing ','",
			`5:2: unknown action or statement "alow" | did you mean allow?`,
		}},
		{"errors in two statements", "policy p {\n allow a if\n allow b,\n default\n}", []string{
			`3:2: incomplete expression: expected an operand after 'if', found "allow"`,
			"4:2: expected a syscall name after ',' | found \"default\"; a list has no trailing ','",
			"5:1: expected an action after \"default\", found '}'",
		}},
		{"errors in declarations", "const X = \nconst Y = )\ngroup g = a\n", []string{
			`2:1: incomplete expression: expected an operand after '=', found "const"`,
			"2:11: incomplete expression: expected an operand after '=', found ')'",
			`3:7: expected a @group name after "group", found "g"`,
		}},
		{"set inside broken statement", "policy p {\n allow a if x in {1, , 2}\n allow b\n}\npolicy q { alow }", []string{
			"2:22: incomplete expression: expected an operand after ',', found ','",
			`5:12: unknown action or statement "alow" | did you mean allow?`,
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, errs := Parse("test.sc", []byte(c.src))
			if f == nil {
				t.Fatal("Parse returned a nil File")
			}
			var got []string
			for _, d := range errs {
				s := d.Pos.String()[len("test.sc:"):] + ": " + d.Message
				if d.Hint != "" {
					s += " | " + d.Hint
				}
				got = append(got, s)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("errors for %q (-want +got):\n%s", c.src, diff)
			}
		})
	}
}

// TestParsePartial checks that a file with errors keeps what parsed.
func TestParsePartial(t *testing.T) {
	f, errs := Parse("test.sc", []byte("const A = 1\npolicy p {\n allow a\n alow b\n kill c\n}\nconst B = \n"))
	if len(errs) != 2 {
		t.Fatalf("got errors %v, want 2", errs)
	}
	if got, want := dump(f), "const A 1=1; policy p {allow [a]; kill [c]}"; got != want {
		t.Errorf("partial file\n got %s\nwant %s", got, want)
	}
}

func TestParseNumber(t *testing.T) {
	for _, c := range []struct {
		text string
		want uint64
		err  string
	}{
		{"0", 0, ""},
		{"42", 42, ""},
		{"0x7fff_0000", 0x7fff0000, ""},
		{"0X10", 16, ""},
		{"0o755", 0o755, ""},
		{"0b1_0", 2, ""},
		{"18446744073709551615", 1<<64 - 1, ""},
		{"18446744073709551616", 0, "number 18446744073709551616 overflows 64 bits"},
		{"00", 0, "invalid number 00: leading zero is not octal here"},
		{"0b2", 0, "invalid number 0b2"},
		{"1_", 0, "invalid number 1_"},
	} {
		got, err := ParseNumber(c.text)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("ParseNumber(%q) error %v, want %q", c.text, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseNumber(%q) = %d, %v; want %d", c.text, got, err, c.want)
		}
	}
}
