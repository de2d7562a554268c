package lint

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/diag"
)

// lintPolicy lints a policy body (arch x86_64 unless the body names arches) and fails the
// test on compile errors.
func lintPolicy(t *testing.T, body string) diag.List {
	t.Helper()
	body = "    " + body
	if !strings.Contains(body, "arch ") {
		body = "    arch x86_64\n" + body
	}
	src := "policy p {\n" + body + "\n}\n"
	rep := Source("p.sc", []byte(src), compiler.Options{})
	if len(rep.Errors) > 0 {
		t.Fatalf("compile errors:\n%v\nin:\n%s", rep.Errors, src)
	}
	return rep.Findings
}

// want is a finding expected at line:col (lines count from the policy's first line, 1) of a
// check, with a message containing text.
type want struct {
	pos  string
	text string
}

func findingsOf(l diag.List, check string) []string {
	var out []string
	for _, d := range l {
		if d.Check == check {
			out = append(out, fmt.Sprintf("%d:%d %s", d.Pos.Line, d.Pos.Col, d.Message))
		}
	}
	return out
}

// checkCase lints body and requires exactly the wanted findings of check.
func checkCase(t *testing.T, check, body string, wants ...want) {
	t.Helper()
	got := findingsOf(lintPolicy(t, body), check)
	if len(got) != len(wants) {
		t.Fatalf("%s: got %d findings, want %d:\n%s", check, len(got), len(wants), strings.Join(got, "\n"))
	}
	for i, w := range wants {
		if !strings.HasPrefix(got[i], w.pos+" ") || !strings.Contains(got[i], w.text) {
			t.Errorf("%s: finding %d is %q, want at %s containing %q", check, i, got[i], w.pos, w.text)
		}
	}
}

// Lines: 1 policy, 2 arch, 3 onwards the body.

func TestUnreachableRule(t *testing.T) {
	checkCase(t, UnreachableRule, `default errno(EPERM)
    errno(EAFNOSUPPORT) socket if domain == AF_PACKET
    allow socket
    kill socket if type == SOCK_RAW`, want{"6:5", "earlier rule at line 5 always matches first"})
	checkCase(t, UnreachableRule, `allow read, write
    kill read if fd == 3`, want{"4:5", "never decides read: the earlier rule at line 3"})
	// Exact across several rules: the two halves of x & 1 cover everything.
	checkCase(t, UnreachableRule, `allow close if fd & 1 == 0
    errno(EBADF) close if fd & 1 == 1
    kill close if fd < 7`, want{"5:5", "lines 3, 4"})
	// Reachable: fd < 7 and fd > 7 leave fd == 7.
	checkCase(t, UnreachableRule, `allow close if fd < 7
    errno(EBADF) close if fd > 7
    kill close if fd == 7`)
	// A 32-bit argument's high half is not looked at: x < 2^32 always holds for it, so
	// the second rule is covered; a 64-bit one is not.
	checkCase(t, UnreachableRule, `allow lseek if whence <= 0xffffffff
    kill lseek`, want{"4:5", "line 3"})
	checkCase(t, UnreachableRule, `allow lseek if offset <= 0xffffffff
    kill lseek`)
}

func TestUnreachableThroughGroups(t *testing.T) {
	// Carving out before a group is on purpose.
	checkCase(t, UnreachableRule, `kill ptrace
    allow @debug, read`)
	// A refusal after an allow never applies: a hole.
	checkCase(t, UnreachableRule, `allow @debug
    errno(EPERM) @debug, read if arg0 == 1`, want{"4:5", "ptrace"})
	// A group rule that decides nothing at all.
	checkCase(t, UnreachableRule, `allow @debug, read
    allow @debug`, want{"4:5", "decides nothing"})
}

func TestDuplicateRule(t *testing.T) {
	checkCase(t, DuplicateRule, `allow read if fd == 0
    allow write
    errno(EPERM) read if fd == 0`, want{"5:5", "read already has a rule with the same condition at line 3 (allow): this one (errno(EPERM))"})
	checkCase(t, DuplicateRule, `allow read if fd == 0
    allow read if fd == 1`)
}

func TestRedundantDefault(t *testing.T) {
	checkCase(t, RedundantDefault, `default errno(EPERM)
    errno(EPERM) ptrace
    allow read`, want{"4:5", "removing it changes nothing"})
	// A later rule depends on it.
	checkCase(t, RedundantDefault, `default errno(EPERM)
    errno(EPERM) socket if domain == AF_PACKET
    allow socket`)
}

func TestConstantCondition(t *testing.T) {
	checkCase(t, ConstantCondition, `allow read if fd < 0`, want{"3:5", "never holds"})
	checkCase(t, ConstantCondition, `allow read if fd >= 0`, want{"3:5", "always holds"})
	checkCase(t, ConstantCondition, `allow read if fd == 1 || count & 0 == 0`, want{"3:5", "always holds"})
	checkCase(t, ConstantCondition, `allow read if fd == 1 && count & 0 != 0`, want{"3:5", "never holds"})
	checkCase(t, ConstantCondition, `allow read if fd < 3 && count > 1 || fd & 4 == 4`)
	checkCase(t, ConstantCondition, `allow read if fd == 1 && count >= 0`, want{"3:5", "the comparison `count >= 0` always holds"})
}

func readDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../docs/lint.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestWitnessesAgreeWithDecide checks the solver against the IR's reference semantics: for
// every rule of the examples that the solver finds reachable, its witness arguments make
// ir.ArchPolicy.Decide pick that very rule.
func TestWitnessesAgreeWithDecide(t *testing.T) {
	for _, path := range []string{"../examples/web-server.sc", "../examples/cli-tool.sc", "../examples/container.sc"} {
		res, errs := compiler.CompileFile(path, compiler.Options{})
		if errs.HasErrors() {
			t.Fatal(errs)
		}
		l := newLinter(res)
		for _, ap := range res.Policy.Arches {
			for _, nr := range sortedNrs(ap) {
				s := l.sys(ap, nr)
				for i, r := range s.rules {
					w, ok := s.m.Witness(s.firstOf(i))
					if !ok {
						continue
					}
					if r.Cond != nil && !r.Cond.Eval(w) {
						t.Fatalf("%s %s rule %d: witness %v does not satisfy %v", ap.Arch.Name, s.name, i, w, r.Cond)
					}
					for j := range i {
						if c := s.rules[j].Cond; c == nil || c.Eval(w) {
							t.Fatalf("%s %s rule %d: witness %v matches earlier rule %d", ap.Arch.Name, s.name, i, w, j)
						}
					}
				}
			}
		}
	}
}
