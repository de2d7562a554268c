package compiler

import (
	"os"
	"strings"
	"testing"
)

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skip("symlink:", err)
	}
}

// TestMainPathAsGiven: the main file is found under any spelling, and keeps it in messages.
func TestMainPathAsGiven(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.sc": "policy p {\n    allow nosuch\n}\n", "sub/.keep": ""})
	t.Chdir(dir)
	for _, path := range []string{"./p.sc", "sub/../p.sc", dir + "//p.sc", dir + "/./p.sc"} {
		_, errs := CompileFile(path, Options{})
		if len(errs) != 1 || !strings.HasPrefix(errs[0].Pos.String(), path+":2:11") {
			t.Errorf("%s: got %v", path, errs)
		}
	}
}

// TestIncludeThroughSymlink: ".." after a symlinked directory leads where the kernel goes,
// not where the cleaned text would; a decoy at the lexical place is not read.
func TestIncludeThroughSymlink(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"real/app/app.sc":   "include \"../inc/net.sc\"\npolicy app {\n    allow @net\n}\n",
		"real/inc/net.sc":   "group @net = socket\n",
		"inc/net.sc":        "a decoy\n",
		"cyc/a.sc":          "include \"b.sc\"\npolicy a {\n}\n",
		"cyc/b.sc":          "include \"alias.sc\"\n",
		"twice/main.sc":     "include \"x.sc\"\ninclude \"y.sc\"\npolicy main {\n    allow @x\n}\n",
		"twice/x.sc":        "group @x = read\n",
		"twice/other/.keep": "",
	})
	t.Chdir(dir)
	symlink(t, "real/app", "applink")
	symlink(t, "a.sc", "cyc/alias.sc")
	symlink(t, "x.sc", "twice/y.sc")

	res, errs := CompileFile("applink/app.sc", Options{})
	if errs.HasErrors() {
		t.Fatalf("include through a symlinked directory: %v", errs)
	}
	if _, ok := res.Sources["applink/../inc/net.sc"]; !ok {
		t.Errorf("the include is not named as opened: %v", keys(res.Sources))
	}

	_, errs = CompileFile("cyc/a.sc", Options{})
	if want := "include cycle: cyc/a.sc → cyc/b.sc → cyc/alias.sc"; len(errs) != 1 || errs[0].Message != want {
		t.Errorf("cycle through a symlink: got %v, want %s", errs, want)
	}

	fs := LoadFile("twice/main.sc", Options{})
	if _, errs := fs.Compile(Options{}); errs.HasErrors() {
		t.Errorf("a file included under two names: %v", errs)
	}
	if n := len(fs.Inputs()); n != 2 {
		t.Errorf("read %d files, want 2 (main.sc, x.sc once)", n)
	}
}

func keys(m map[string][]byte) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// TestLoadOnceCompileMany: one load serves a compilation per policy.
func TestLoadOnceCompileMany(t *testing.T) {
	fs := LoadSource("m.sc", []byte("policy a {\n    allow read\n}\npolicy b {\n    allow write\n}\n"), nil, Options{})
	for _, name := range []string{"a", "b", "a"} {
		res, errs := fs.Compile(Options{Policy: name})
		if errs.HasErrors() || res.Policy.Name != name {
			t.Errorf("Compile(%s): %v", name, errs)
		}
	}
	if fs.MainFile() == nil || fs.Main() != "m.sc" {
		t.Error("the main file is lost")
	}
	_, errs := fs.Compile(Options{})
	if !errs.HasErrors() || !strings.Contains(errs.Error(), "several policies") {
		t.Errorf("no policy named: %v", errs)
	}
}

// TestIncludeWithBOM: a byte order mark at the start of an included file is skipped.
func TestIncludeWithBOM(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.sc": "include \"g.sc\"\npolicy main {\n    allow @g\n}\n",
		"g.sc":    "\ufeffgroup @g = read\n",
	})
	if _, errs := CompileFile(dir+"/main.sc", Options{}); errs.HasErrors() {
		t.Error(errs)
	}
}
