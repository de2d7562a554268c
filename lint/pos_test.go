package lint_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lint"
)

// TestFindingPositionsFromIR: a finding about a rule stands where the rule's IR says, to the
// byte, for rules of an included file spliced by use (one named, one through a group), and
// names the covering rule of the main file by its place.
func TestFindingPositionsFromIR(t *testing.T) {
	mainSrc := "include \"lib/more.sc\"\npolicy main {\n    arch x86_64, aarch64\n    default kill\n" +
		"    allow read, write\n    use more\n}\n"
	libSrc := "# spliced by main\ngroup @rw = read, write\npolicy more {\n" +
		"    errno(EPERM) read if fd == 0\n    log @rw if fd == 1\n    allow close\n}\n"
	dir := t.TempDir()
	for name, text := range map[string]string{"main.sc": mainSrc, "lib/more.sc": libSrc} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	res, errs := compiler.CompileFile("main.sc", compiler.Options{})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	// The IR's positions of the two rules the findings are about.
	var irPos []diag.Pos
	for _, r := range res.Policy.Arches[0].Rules[0] { // read on x86_64
		irPos = append(irPos, r.Pos)
	}
	errnoAt := diag.Pos{File: "lib/more.sc", Offset: strings.Index(libSrc, "errno"), Line: 4, Col: 5}
	logAt := diag.Pos{File: "lib/more.sc", Offset: strings.Index(libSrc, "log"), Line: 5, Col: 5}
	if len(irPos) != 3 || irPos[1] != errnoAt || irPos[2] != logAt {
		t.Fatalf("read's rules in the IR stand at %+v", irPos)
	}
	var got []string
	for _, f := range lint.Result(res) {
		if f.Check != lint.UnreachableRule {
			continue
		}
		if f.Pos != errnoAt && f.Pos != logAt {
			t.Errorf("finding at %+v, not at a rule of the IR: %s", f.Pos, f.Message)
		}
		got = append(got, f.Pos.String()+": "+f.Message)
	}
	want := []string{
		"lib/more.sc:4:5: the rule never decides read: the earlier rule at main.sc:5 always matches first",
		"lib/more.sc:5:5: the rule decides nothing: the earlier rule at main.sc:5 decides every syscall it names",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
