package backend

import (
	"bytes"
	"flag"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/optimizer"
	"github.com/scc-dev/scc/program"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func encode(t *testing.T, f *Filter, form Format, opt Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Encode(&b, form, f, opt); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update to accept):\n%s", name, got)
	}
}

func TestDisasmGolden(t *testing.T) {
	golden(t, "sample.txt", encode(t, sampleFilter(t), FormatText, Options{}))
}

func TestDisasmEveryInstruction(t *testing.T) {
	prog := []bpf.RawInstruction{
		{Op: 0x20, K: 4}, {Op: 0x15, Jt: 1, Jf: 0, K: 0x40000003}, {Op: 0x05, K: 2},
		{Op: 0x20, K: 16}, {Op: 0x20, K: 20}, {Op: 0x20, K: 12}, {Op: 0x20, K: 8},
		{Op: 0x80}, {Op: 0x81}, {Op: 0x00, K: 7}, {Op: 0x01, K: 8}, {Op: 0x02, K: 1}, {Op: 0x03, K: 2},
		{Op: 0x60, K: 1}, {Op: 0x61, K: 2}, {Op: 0x0c}, {Op: 0x74, K: 3}, {Op: 0x84}, {Op: 0x07}, {Op: 0x87},
		{Op: 0x25, Jt: 1, Jf: 2, K: 9}, {Op: 0x3d, Jt: 0, Jf: 1}, {Op: 0x45, Jt: 0, Jf: 0, K: 4},
		{Op: 0x16}, {Op: 0x06, K: 0x00030005}, {Op: 0x06, K: 0x7ff00002}, {Op: 0x06, K: 0x7fc00000},
		{Op: 0x06, K: 0x7ffc0000}, {Op: 0x06, K: 0}, {Op: 0x06, K: 0x12345678}, {Op: 0x28},
	}
	var b bytes.Buffer
	if err := Disasm(&b, Instructions(prog), nil); err != nil {
		t.Fatal(err)
	}
	golden(t, "every.txt", b.Bytes())
}

func TestDisasmNamesNeedTheArch(t *testing.T) {
	names := Names{ir.AuditArchX86_64: {{0: "read"}}, 0x40000003: {{0: "restart_syscall"}}}
	// Two arches join before the nr test: no name; after an arch test, the arch's name.
	prog := []bpf.RawInstruction{
		{Op: 0x20, K: 4},
		{Op: 0x15, Jt: 0, Jf: 2, K: ir.AuditArchX86_64},
		{Op: 0x20, K: 0},
		{Op: 0x15, Jt: 2, Jf: 3, K: 0},
		{Op: 0x20, K: 0},
		{Op: 0x15, Jt: 0, Jf: 1, K: 0},
		{Op: 0x06, K: program.RetAllow},
		{Op: 0x06, K: 0},
	}
	var b bytes.Buffer
	if err := Disasm(&b, Instructions(prog), names); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "0003: 0x15 0x02 0x03 0x00000000  if (A == read) goto 0006 else goto 0007") ||
		!strings.Contains(out, "0005: 0x15 0x00 0x01 0x00000000  if (A != 0x0) goto 0007") {
		t.Errorf("Disasm:\n%s", out)
	}
}

func TestDisasmBigEndianHighWord(t *testing.T) {
	prog := []bpf.RawInstruction{
		{Op: 0x20, K: 4}, {Op: 0x15, Jt: 0, Jf: 2, K: 0x80000016}, {Op: 0x20, K: 16}, {Op: 0x16}, {Op: 0x16},
	}
	var b bytes.Buffer
	if err := Disasm(&b, Instructions(prog), nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "A = args[0] >> 32") {
		t.Errorf("Disasm:\n%s", b.String())
	}
}

func TestCHeaderCompiles(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not found")
	}
	f := sampleFilter(t)
	dir := t.TempDir()
	header := encode(t, f, FormatC, Options{Name: "web_filter"})
	golden(t, "sample.h", header)
	write(t, filepath.Join(dir, "web_filter.h"), header)
	write(t, filepath.Join(dir, "main.c"), []byte(`#include <stdio.h>
#include <unistd.h>
#include "web_filter.h"
static const unsigned int arches[WEB_FILTER_N_ARCHES] = WEB_FILTER_ARCHES;
int main(void) {
	_Static_assert(sizeof web_filter / sizeof web_filter[0] == WEB_FILTER_LEN, "length");
	_Static_assert(WEB_FILTER_FLAGS == 5u && WEB_FILTER_PROCESS_KILLING == 1, "flags");
	(void)arches;
	fwrite(web_filter, sizeof web_filter, 1, stdout);
	return 0;
}
`))
	bin := filepath.Join(dir, "main")
	if out, err := exec.Command(gcc, "-Wall", "-Werror", "-std=c11", "-o", bin, filepath.Join(dir, "main.c")).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	out, err := exec.Command(bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, f.Raw()) {
		t.Errorf("the C array's bytes differ from --format raw:\n% x\n% x", out, f.Raw())
	}
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCOpcodeSpellings(t *testing.T) {
	for op, want := range map[uint16]string{
		0x20: "BPF_LD | BPF_W | BPF_ABS", 0x81: "BPF_LDX | BPF_W | BPF_LEN", 0x02: "BPF_ST",
		0x84: "BPF_ALU | BPF_NEG", 0x5c: "BPF_ALU | BPF_AND | BPF_X", 0x05: "BPF_JMP | BPF_JA",
		0x1d: "BPF_JMP | BPF_JEQ | BPF_X", 0x16: "BPF_RET | BPF_A", 0x87: "BPF_MISC | BPF_TXA",
		0x8c: "0x8c", 0x0d: "0x0d", 0x46: "0x46", 0x0a: "0x0a",
	} {
		if got := cOpcode(op); got != want {
			t.Errorf("cOpcode(%#x) = %q; want %q", op, got, want)
		}
	}
	if _, err := sampleFilter(t).C("not an identifier"); err == nil {
		t.Error("C accepted a bad name")
	}
}

// fakeUnix stands in for golang.org/x/sys/unix when type-checking the Go output.
const fakeUnix = `package unix
type SockFilter struct { Code uint16; Jt uint8; Jf uint8; K uint32 }`

type fakeImporter struct{ unix *types.Package }

func (i fakeImporter) Import(path string) (*types.Package, error) {
	if path == "golang.org/x/sys/unix" {
		return i.unix, nil
	}
	return importer.Default().Import(path)
}

func checkGo(t *testing.T, src []byte) {
	t.Helper()
	fset := token.NewFileSet()
	check := func(name, src string, imp types.Importer) *types.Package {
		file, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		pkg, err := (&types.Config{Importer: imp}).Check(file.Name.Name, fset, []*ast.File{file}, nil)
		if err != nil {
			t.Fatalf("type-checking the Go output: %v\n%s", err, src)
		}
		return pkg
	}
	unix := check("unix.go", fakeUnix, nil)
	check("filter.go", string(src), fakeImporter{unix})
}

func TestGoOutput(t *testing.T) {
	src := encode(t, sampleFilter(t), FormatGo, Options{Package: "policy", Name: "Web"})
	golden(t, "sample.go.txt", src)
	checkGo(t, src)
	if !bytes.Contains(src, []byte("package policy")) || !bytes.Contains(src, []byte("const WebProcessKilling = true")) {
		t.Errorf("Go output:\n%s", src)
	}
	if _, err := sampleFilter(t).Go("x-y", "F"); err == nil {
		t.Error("Go accepted a bad package name")
	}
}

func TestGoOutputVets(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil || testing.Short() {
		t.Skip("go not found, or -short")
	}
	modDir, err := exec.Command(gobin, "list", "-m", "-f", "{{.Dir}}", "golang.org/x/sys").Output()
	if err != nil {
		t.Skipf("golang.org/x/sys not in the module cache: %v", err)
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "go.mod"), []byte("module example.com/vet\n\ngo 1.22\n\nrequire golang.org/x/sys v0.0.0\n\nreplace golang.org/x/sys => "+strings.TrimSpace(string(modDir))+"\n"))
	write(t, filepath.Join(dir, "filter.go"), encode(t, sampleFilter(t), FormatGo, Options{}))
	cmd := exec.Command(gobin, "vet", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("go vet: %v\n%s", err, out)
	}
}

func TestEncodeFormats(t *testing.T) {
	f := sampleFilter(t)
	for _, form := range Formats {
		if got, err := ParseFormat(string(form)); err != nil || got != form {
			t.Errorf("ParseFormat(%q) = %q, %v", form, got, err)
		}
		if len(encode(t, f, form, Options{})) == 0 {
			t.Errorf("format %s wrote nothing", form)
		}
	}
	if err := Encode(&bytes.Buffer{}, "yaml", f, Options{}); err == nil {
		t.Error("Encode accepted format yaml")
	}
}

func TestBuildMergesSharedAuditValues(t *testing.T) {
	p := sampleProgram()
	p.Arches = append(p.Arches, ir.Arch{Name: "x32", Audit: ir.AuditArchX86_64, NrMask: ir.X32SyscallBit},
		ir.Arch{Name: "i386", Audit: 0x40000003})
	f, err := Build(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Arches) != 2 || f.Arches[1] != 0x40000003 {
		t.Errorf("Arches = %#x; want x86_64 and i386 once each", f.Arches)
	}
	_ = optimizer.JEQ
}
