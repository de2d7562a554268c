package lang

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that Parse never panics, that it reports an error or returns a tree, and
// that Format of a tree re-parses to the same tree, comments and output.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.sc")
	more, _ := filepath.Glob("testdata/format/*")
	for _, name := range append(seeds, more...) {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, s := range []string{
		"policy p { allow read, }", "policy a {\n allow read\npolicy b {", "const X = 0755 + 0x1_0000_0000_0000_0000",
		"policy p { allow a if x in {1, , 2} }", "include \"a", "\x00", "policy p { kill kill, allow if a == -1 }",
		"policy p { expect f(1, (2)) => errno(E) default newer trap(1) flags log }", "group @a-b = @c, _llseek",
		"policy p { default newer named errno(ENOSYS) listener \"/s\" metadata \"m\" listener x }",
		"policy p { default foreign errno(1) allow read if u64(fd) == 1 && u64 == u64(u64) }",
		"policy p { arch x86_64 allow a if arch == x86_64 && (arch != i386 || !(arch in {x32, amd64})) }",
		"policy p { allow a if arch\n arch x86_64 allow b if x == arch arch i386 }",
		"policy p { allow nr=463, a, nr=0x1_0 if arg0 == 1 kill nr allow b=3, nr=x }",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file, errs := Parse("fuzz.sc", src)
		if file == nil {
			t.Fatal("nil File")
		}
		for _, d := range errs {
			if d.Pos.Line < 1 || d.Pos.Col < 1 || d.Pos.Offset > len(src) {
				t.Fatalf("error without a valid position: %v (offset %d)", d, d.Pos.Offset)
			}
		}
		if errs.HasErrors() {
			return
		}
		out := Format(file)
		again, errs := Parse("fuzz.sc", out)
		if errs.HasErrors() {
			t.Fatalf("formatted output does not parse: %v\n%s", errs, out)
		}
		if a, b := dump(file), dump(again); a != b {
			t.Fatalf("Format changed the tree:\n%s\n%s\noutput:\n%s", a, b, out)
		}
		if len(again.Comments) != len(file.Comments) {
			t.Fatalf("Format kept %d of %d comments:\n%s", len(again.Comments), len(file.Comments), out)
		}
		if out2 := Format(again); string(out2) != string(out) {
			t.Fatalf("Format is not idempotent:\n%s\n----\n%s", out, out2)
		}
	})
}
