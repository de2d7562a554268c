package compiler

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzCompile checks the resolver on arbitrary source: CompileSource never panics, every
// error has a position inside the file, and a policy that compiles has arches.
// Includes read from a fixed in-memory file system, never the disk.
func FuzzCompile(f *testing.F) {
	seeds, _ := filepath.Glob("../examples/*.sc")
	more, _ := filepath.Glob("../lang/testdata/*.sc")
	for _, name := range append(seeds, more...) {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, s := range []string{
		"", "const X = 1", "include \"missing.sc\"",
		"policy p { allow read }",
		"policy p { arch x86_64, i386, x32\n default errno(EPERM)\n allow mmap if prot & PROT_EXEC == 0 }",
		"include \"inc.sc\"\npolicy p { use q\n allow @basic-io }",
		"const N = -1\npolicy p { allow lseek if offset == N || whence in {0, 1} }",
		"policy p { allow write if arg6 == 1 }",
		"policy a { use b }\npolicy b { use a }",
		"policy p { errno(4096) read\n trap(65536) write }",
		"policy p { arch i386\n allow socketcall, _llseek\n expect _llseek(1, 2, 3, 4, 5) => allow }",
		"policy p { default newer errno(ENOSYS)\n kill_thread ptrace if request == 0x4206 }",
		"policy p { arch x86_64, i386, x32\n allow mmap if arch == x86_64 && prot == 1\n errno(EPERM) ioctl if arch in {i386, amd64} || !(arch != x32) && request == TCGETS }",
		"policy p { allow read if arch == aarch64\n allow write if arch < i386 || fd == x86_64\n allow close if arch == arch }",
		"policy p { arch x86_64, x32, i386\n allow nr=1000, read, nr=0x400003e8 if arg0 == 1\n kill nr=0xffffffff, nr=0x1ffffffff, nr=0 if fd == 3 }",
	} {
		f.Add([]byte(s))
	}
	files := map[string]string{
		"inc.sc": "const X = 3\ngroup @g = read, write\npolicy q { allow close if fd > X }\n",
	}
	readFile := func(path string) ([]byte, error) {
		if src, ok := files[filepath.Base(path)]; ok {
			return []byte(src), nil
		}
		return nil, errors.New("no such file (fuzzing)")
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		files["fuzz.sc"] = string(src)
		res, errs := CompileSource("fuzz.sc", src, Options{ReadFile: readFile})
		for _, d := range errs {
			if d.Pos.Line < 1 || d.Pos.Col < 1 || d.Pos.File == "fuzz.sc" && d.Pos.Offset > len(src) {
				t.Fatalf("error without a valid position: %v (offset %d)", d, d.Pos.Offset)
			}
		}
		if errs.HasErrors() {
			return
		}
		if res == nil || res.Policy == nil {
			t.Fatal("no errors and no policy")
		}
		if len(res.Policy.Arches) == 0 {
			t.Fatalf("policy %s has no arches", res.Policy.Name)
		}
	})
}
