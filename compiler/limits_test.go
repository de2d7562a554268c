package compiler

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/stdlib"
)

// useDiamond is `policy pN { use pN-1 use pN-1 }` for N up to n, over a p0 of two rules: a
// splice by copy doubles the rules at each level.
func useDiamond(n int) string {
	var b strings.Builder
	b.WriteString("policy p0 { allow read if fd == 1\n allow write }\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "policy p%d { use p%d use p%d }\n", i, i-1, i-1)
	}
	fmt.Fprintf(&b, "policy top { arch x86_64\n default errno(EPERM)\n use p%d\n allow close }\n", n)
	return b.String()
}

// groupDiamond is `group @gN = @gN-1, @gN-1` for N up to n.
func groupDiamond(n int) string {
	var b strings.Builder
	b.WriteString("group @g0 = read, write, read\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "group @g%d = @g%d, @g%d\n", i, i-1, i-1)
	}
	fmt.Fprintf(&b, "policy top { arch x86_64\n default errno(EPERM)\n allow @g%d if fd == 1\n }\n", n)
	return b.String()
}

func compileTop(t *testing.T, src string) (*Result, diag.List) {
	t.Helper()
	return CompileSource("test.sc", []byte(src), Options{Policy: "top"})
}

func compileTopOK(t *testing.T, src string) *Result {
	t.Helper()
	res, errs := compileTop(t, src)
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	return res
}

// ruleCount counts an arch's rules over all its syscalls: the work the stages after the
// compiler do.
func ruleCount(ap *ir.ArchPolicy) int {
	n := 0
	for _, rs := range ap.Rules {
		n += len(rs)
	}
	return n
}

func TestUseDiamondIsSplicedOnce(t *testing.T) {
	for _, n := range []int{28, 40, 60} {
		res, errs := compileTop(t, useDiamond(n))
		if errs.HasErrors() {
			t.Fatalf("n=%d: %v", n, errs)
		}
		ap := x86(t, res.Policy)
		if got := ruleCount(ap); got != 3 {
			t.Errorf("n=%d: %d rules, want 3 (read, write, close once each)", n, got)
		}
		if got := len(res.RepeatedUses); got != n {
			t.Errorf("n=%d: %d repeated uses, want %d (the second use of each level)", n, got, n)
		}
	}
}

func TestGroupDiamondIsExpandedOnce(t *testing.T) {
	for _, n := range []int{39, 60} {
		res, errs := compileTop(t, groupDiamond(n))
		if errs.HasErrors() {
			t.Fatalf("n=%d: %v", n, errs)
		}
		ap := x86(t, res.Policy)
		if got := ruleCount(ap); got != 2 {
			t.Errorf("n=%d: %d rules, want 2 (read and write, each once)", n, got)
		}
	}
}

// TestRepeatedUseKeepsMeaning checks that splicing a policy once decides as splicing it at
// every use does: the rules of the repeat come after the same rules and never decide.
func TestRepeatedUseKeepsMeaning(t *testing.T) {
	const shared = `
policy a { allow read if fd == 0
 errno(EACCES) read }
policy b { use a
 allow write if fd == 1 }
policy c { errno(ENOENT) write
 use a }
`
	spliced := compileTopOK(t, shared+"policy top { arch x86_64\n use b\n use c\n use a\n allow close }")
	byHand := compileTopOK(t, shared+`policy top { arch x86_64
 allow read if fd == 0
 errno(EACCES) read
 allow write if fd == 1
 errno(ENOENT) write
 allow close }`)
	got, want := x86(t, spliced.Policy), x86(t, byHand.Policy)
	if len(got.Rules) != len(want.Rules) {
		t.Fatalf("%d syscalls with rules, want %d", len(got.Rules), len(want.Rules))
	}
	for nr, rs := range want.Rules {
		g := got.Rules[nr]
		if len(g) != len(rs) {
			t.Fatalf("syscall %d: %d rules, want %d", nr, len(g), len(rs))
		}
		for i := range rs {
			if g[i].Action != rs[i].Action || fmt.Sprint(g[i].Cond) != fmt.Sprint(rs[i].Cond) {
				t.Errorf("syscall %d rule %d: %v if %v, want %v if %v", nr, i, g[i].Action, g[i].Cond, rs[i].Action, rs[i].Cond)
			}
		}
	}
	var repeats []string
	for _, u := range spliced.RepeatedUses {
		repeats = append(repeats, fmt.Sprintf("%s at %d:%d, first %d:%d", u.Policy, u.Pos.Line, u.Pos.Col, u.First.Line, u.First.Col))
	}
	// c's use of a (line 7) repeats b's (line 4); top's use of a (line 11) repeats it too.
	want2 := "a at 7:2, first 4:12|a at 11:2, first 4:12"
	if strings.Join(repeats, "|") != want2 {
		t.Errorf("repeated uses %q, want %q", strings.Join(repeats, "|"), want2)
	}
}

func TestUseCycleStillReported(t *testing.T) {
	_, errs := compileTop(t, "policy a { use b }\npolicy b { use a use a }\npolicy top { use a }")
	if !strings.Contains(errs.Error(), "use cycle: a → b → a") {
		t.Fatalf("want a use cycle, got %v", errs)
	}
}

func TestGroupCycleStillReported(t *testing.T) {
	_, errs := compileTop(t, "group @a = read, @b\ngroup @b = @a, @a\npolicy top { allow @a }")
	if !strings.Contains(errs.Error(), "group cycle: @a → @b → @a") {
		t.Fatalf("want a group cycle, got %v", errs)
	}
}

// errorAt checks that errs holds one error, at line:col, whose message matches pattern.
func errorAt(t *testing.T, errs diag.List, line, col int, pattern string) {
	t.Helper()
	if len(errs) != 1 {
		t.Fatalf("want one error, got %d:\n%v", len(errs), errs)
	}
	d := errs[0]
	if d.Pos.Line != line || d.Pos.Col != col || !regexp.MustCompile(pattern).MatchString(d.Message) {
		t.Fatalf("got %v, want an error at %d:%d matching %q", d, line, col, pattern)
	}
}

// bigGroup is a group of every syscall of x86_64; bigGroupSize counts them.
var bigGroup, bigGroupSize = func() (string, int) {
	var names []string
	for _, name := range stdlib.SyscallNames("x86_64") {
		if name != "" {
			names = append(names, name)
		}
	}
	return "group @big = " + strings.Join(names, ", ") + "\n", len(names)
}()

func TestExpandedRulesBound(t *testing.T) {
	// Each rule of p counts bigGroupSize syscalls × 2 comparisons: rule number pass (from 1)
	// passes MaxExpandedRules.
	perRule := 2 * bigGroupSize
	pass := MaxExpandedRules/perRule + 1
	var p strings.Builder
	p.WriteString("policy p {\n")
	for i := 0; i < pass+5; i++ {
		fmt.Fprintf(&p, " allow @big if arg0 == %d && arg1 == 1\n", i)
	}
	p.WriteString("}\n")
	t.Run("at the use", func(t *testing.T) {
		_, errs := compileTop(t, bigGroup+p.String()+"policy top { arch x86_64\n allow read\n use p\n }")
		errorAt(t, errs, pass+11, 2, `policy top passes scc's bound of 100000 expanded rules at use p`)
	})
	t.Run("at the group", func(t *testing.T) {
		src := bigGroup + strings.Replace(p.String(), "policy p {", "policy top { arch x86_64", 1)
		_, errs := compileTop(t, src)
		errorAt(t, errs, pass+2, 8, `policy top passes scc's bound of 100000 expanded rules at group @big`)
	})
	t.Run("within the bound", func(t *testing.T) {
		src := bigGroup + strings.Replace(p.String(), "policy p {", "policy top { arch x86_64", 1)
		src = strings.Join(strings.SplitAfter(src, "\n")[:pass+1], "") + "}\n"
		res, errs := compileTop(t, src)
		if errs.HasErrors() {
			t.Fatal(errs)
		}
		if n := ruleCount(x86(t, res.Policy)); n != (pass-1)*bigGroupSize {
			t.Fatalf("%d rules, want %d", n, (pass-1)*bigGroupSize)
		}
	})
}

func TestSetSizeLimit(t *testing.T) {
	members := make([]string, MaxSetSize+1)
	for i := range members {
		members[i] = fmt.Sprint(i)
	}
	src := "policy top { arch x86_64\n allow read if fd in {" + strings.Join(members[:MaxSetSize], ", ") + "} }"
	if _, errs := compileTop(t, src); errs.HasErrors() {
		t.Fatalf("a set of %d members: %v", MaxSetSize, errs)
	}
	src = "policy top { arch x86_64\n allow read if fd in {" + strings.Join(members, ", ") + "} }"
	_, errs := compileTop(t, src)
	col := len(" allow read if fd in {"+strings.Join(members[:MaxSetSize], ", ")+", ") + 1
	errorAt(t, errs, 2, col, `the set has more than scc's limit of 4096 members`)
}

func TestIncludeDepthLimit(t *testing.T) {
	files := map[string]string{}
	for i := 1; i < MaxIncludeDepth+1; i++ {
		files[fmt.Sprintf("f%d.sc", i)] = fmt.Sprintf("include \"f%d.sc\"\n", i+1)
	}
	files[fmt.Sprintf("f%d.sc", MaxIncludeDepth+1)] = "const X = 1\n"
	read := func(path string) ([]byte, error) {
		if src, ok := files[filepath.Base(path)]; ok {
			return []byte(src), nil
		}
		return nil, os.ErrNotExist
	}
	top := "include \"f1.sc\"\npolicy top { allow read }"
	_, errs := CompileSource("top.sc", []byte(top), Options{ReadFile: read})
	if len(errs) != 1 || errs[0].Pos.File != fmt.Sprintf("f%d.sc", MaxIncludeDepth-1) ||
		!strings.Contains(errs[0].Message, "includes nest deeper than scc's limit of 32 files") {
		t.Fatalf("want one error at the include of f%d.sc, got %v", MaxIncludeDepth, errs)
	}
	delete(files, fmt.Sprintf("f%d.sc", MaxIncludeDepth+1))
	files[fmt.Sprintf("f%d.sc", MaxIncludeDepth-1)] = "const X = 1\n"
	if _, errs := CompileSource("top.sc", []byte(top), Options{ReadFile: read}); errs.HasErrors() {
		t.Fatalf("includes %d deep: %v", MaxIncludeDepth, errs)
	}
}

func TestFileSizeLimit(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.sc")
	src := "policy top { allow read }\n" + strings.Repeat("# padding\n", lang.MaxFileSize/10)
	if err := os.WriteFile(big, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs := CompileFile(big, Options{})
	if len(errs) != 1 || errs[0].Pos.Offset != lang.MaxFileSize || !strings.Contains(errs[0].Message, "larger than scc's limit") {
		t.Fatalf("want one error at byte %d, got %v", lang.MaxFileSize, errs)
	}
	// The default reader stops one byte past the limit.
	data, _, err := ReadFile(big)
	if err != nil || len(data) != lang.MaxFileSize+1 {
		t.Fatalf("read %d bytes (%v), want %d", len(data), err, lang.MaxFileSize+1)
	}
}

// TestManyErrorsCapped: 100,000 unknown names give ten errors, with their hints, and "too
// many errors" with the count.
func TestManyErrorsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("policy top { arch x86_64, aarch64\n")
	for i := 0; i < 100_000; i++ {
		if i%2 == 0 {
			b.WriteString(" allow opnat\n")
		} else {
			fmt.Fprintf(&b, " allow read if fd == NO_SUCH_%d\n", i)
		}
	}
	b.WriteString("}\n")
	_, errs := compileTop(t, b.String())
	if len(errs) != diag.MaxErrors+1 {
		t.Fatalf("%d errors, want %d", len(errs), diag.MaxErrors+1)
	}
	if errs[0].Message != "unknown syscall opnat" || errs[0].Hint != "did you mean openat?" {
		t.Errorf("first error %v, hint %q", errs[0], errs[0].Hint)
	}
	last := errs[diag.MaxErrors]
	if last.Message != "too many errors" || last.Pos.Line != 12 || last.Hint != "100000 errors in all; the first 10 are shown" {
		t.Errorf("last error %v, hint %q", last, last.Hint)
	}
}

func TestLimitsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/language.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"4 MiB (4,194,304 bytes)",
		fmt.Sprintf("| include depth | %d files", MaxIncludeDepth),
		fmt.Sprintf("| nesting depth | %d levels", lang.MaxNesting),
		"| expanded rules | 100,000 over the policy's architectures",
		"| set size | 4,096 members",
		fmt.Sprintf("| constant size | %d bits", MaxConstBits),
		"| instructions | 4,096 per filter",
		fmt.Sprintf("| errors shown | %d, then", diag.MaxErrors),
	} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("docs/language.md's Limits lack %q", want)
		}
	}
	if lang.MaxFileSize != 4<<20 || MaxExpandedRules != 100_000 || MaxSetSize != 4096 {
		t.Error("a limit changed: update the table in docs/language.md and this test")
	}
}

// constDiamond is `const CK = CK-1 + CK-1` for K up to n, over first.
func constDiamond(first string, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "const C0 = %s\n", first)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "const C%d = C%d + C%d\n", i, i-1, i-1)
	}
	fmt.Fprintf(&b, "policy top { arch x86_64\n allow read if fd == C%d }\n", n)
	return b.String()
}

// TestConstantDiamond: a constant is evaluated once per arch, even when it fails, and a
// value past MaxConstBits is an error where it passes the limit.
func TestConstantDiamond(t *testing.T) {
	_, errs := compileTop(t, constDiamond("NO_SUCH", 60))
	errorAt(t, errs, 1, 12, `unknown constant NO_SUCH`)

	_, errs = compileTop(t, constDiamond("1", 60))
	errorAt(t, errs, 63, 22, `does not fit the 32-bit argument fd of read`)

	_, errs = compileTop(t, constDiamond("1", 10_000))
	errorAt(t, errs, MaxConstBits+1, 19, `the value passes scc's limit of 256 bits for constants`)
}

func TestLongCycles(t *testing.T) {
	var b strings.Builder
	const n = 50_000
	fmt.Fprintf(&b, "group @g0 = read, @g%d\n", n)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "group @g%d = @g%d\n", i, i-1)
	}
	fmt.Fprintf(&b, "policy p0 { use p%d }\n", n)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "policy p%d { use p%d }\n", i, i-1)
	}
	b.WriteString("policy top { allow @g0\n use p0 }\n")
	_, errs := compileTop(t, b.String())
	want := []string{
		"group cycle: @g0 → @g50000 → @g49999 → @g49998 → @g49997 → … → @g5 → @g4 → @g3 → @g2 → @g1 → @g0",
		"use cycle: p0 → p50000 → p49999 → p49998 → p49997 → … → p5 → p4 → p3 → p2 → p1 → p0",
	}
	if len(errs) != 2 || errs[0].Message != want[0] || errs[1].Message != want[1] {
		t.Fatalf("got %v, want %q", errs, want)
	}
}

// TestExpandedRulesOverArches: the bound counts the rules of every arch together.
func TestExpandedRulesOverArches(t *testing.T) {
	members := make([]string, MaxSetSize)
	for i := range members {
		members[i] = fmt.Sprint(3 * i)
	}
	rule := " allow read if fd in {" + strings.Join(members, ", ") + "}\n"
	body := strings.Repeat(rule, 13) + "}\n" // 13 × 4096 = 53,248 on one arch
	if _, errs := compileTop(t, "policy top { arch x86_64\n"+body); errs.HasErrors() {
		t.Fatal(errs)
	}
	// On two arches, the 12th rule of the second passes 100,000.
	_, errs := compileTop(t, "policy top { arch x86_64, aarch64\n"+body)
	errorAt(t, errs, 13, 2, `policy top passes scc's bound of 100000 expanded rules at this rule`)
}

// TestIncludeReadOnce: a file included many times, from many files, is read once.
func TestIncludeReadOnce(t *testing.T) {
	reads := map[string]int{}
	files := map[string]string{
		"big.sc": "const BIG = 1\n",
		"a.sc":   strings.Repeat("include \"big.sc\"\n", 1000),
	}
	read := func(path string) ([]byte, error) {
		reads[path]++
		if src, ok := files[filepath.Base(path)]; ok {
			return []byte(src), nil
		}
		return nil, os.ErrNotExist
	}
	top := strings.Repeat("include \"big.sc\"\ninclude \"./a.sc\"\n", 1000) + "policy top { allow read if fd == BIG }"
	if _, errs := CompileSource("top.sc", []byte(top), Options{ReadFile: read}); errs.HasErrors() {
		t.Fatal(errs)
	}
	for path, n := range reads {
		if n != 1 {
			t.Errorf("%s read %d times", path, n)
		}
	}
	if len(reads) != 2 {
		t.Errorf("reads %v, want big.sc and a.sc once each", reads)
	}
}
