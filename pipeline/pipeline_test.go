package pipeline

import (
	"github.com/scc-dev/scc/compiler"

	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const policySrc = `policy base {
    default errno(EPERM)
    allow read
}

policy web {
    default errno(EPERM)
    use base
    allow write
    expect write(1, 0, 0) => allow
}

policy tool {
    default errno(EPERM)
    allow exit_group
}
`

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func build(t *testing.T, path string, opts Options) *Output {
	t.Helper()
	in, err := Read(path, nil, Auto)
	if err != nil {
		t.Fatal(err)
	}
	src, err := Load(in, opts)
	if err != nil {
		t.Fatal(err)
	}
	out, errs := src.Build("web")
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	return out
}

// TestDetect: the kind comes from the content, whatever the name.
func TestDetect(t *testing.T) {
	out := build(t, writeFile(t, "p.sc", []byte(policySrc)), Options{})
	blob, err := out.Filter.Blob().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
		want Kind
	}{
		{"policy", []byte(policySrc), Policy},
		{"empty", nil, Policy},
		{"profile", []byte(" \n{\"defaultAction\": \"SCMP_ACT_ALLOW\"}"), Profile},
		{"blob", blob, Blob},
		{"raw", out.Filter.Raw(), Raw},
		{"eight bytes of text", []byte("policy x"), Policy},
		{"a raw program without its last RET", out.Filter.Raw()[:len(out.Filter.Raw())-8], Policy},
	} {
		if got := Detect(c.data); got != c.want {
			t.Errorf("%s: Detect = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestReadDropsBOM: a UTF-8 byte order mark is not part of the input; stdin is read for "-".
func TestReadDropsBOM(t *testing.T) {
	data := append([]byte("\ufeff"), policySrc...)
	in, err := Read("-", bytes.NewReader(data), Auto)
	if err != nil {
		t.Fatal(err)
	}
	if in.Name != StdinName || in.Kind != Policy || string(in.Data) != policySrc {
		t.Errorf("Read(-) = %q %v %q", in.Name, in.Kind, in.Data)
	}
	in, err = Read(writeFile(t, "bom.sc", data), nil, Auto)
	if err != nil {
		t.Fatal(err)
	}
	if in.Kind != Policy || string(in.Data) != policySrc || in.Info == nil {
		t.Errorf("Read(file) = %v %q, info %v", in.Kind, in.Data, in.Info)
	}
}

func TestReadErrors(t *testing.T) {
	_, err := Read(filepath.Join(t.TempDir(), "none.sc"), nil, Auto)
	if err == nil || !strings.HasSuffix(err.Error(), ": no such file or directory") || strings.Contains(err.Error(), "open ") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Read(t.TempDir(), nil, Auto); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory: %v", err)
	}
	if _, err := ParseKind("elf"); err == nil {
		t.Error("ParseKind(elf) is no error")
	}
	for _, k := range []Kind{Auto, Policy, Profile, Blob, Raw} {
		if got, err := ParseKind(k.String()); err != nil || got != k {
			t.Errorf("ParseKind(%v) = %v, %v", k, got, err)
		}
	}
}

// TestPolicies: with expects, the policies that carry expect lines; else those no other
// policy uses.
func TestPolicies(t *testing.T) {
	in := &Input{Name: "p.sc", Data: []byte(policySrc), Kind: Policy}
	src, err := Load(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := src.Policies(true); !slices.Equal(got, []string{"web"}) {
		t.Errorf("Policies(true) = %v", got)
	}
	if got := src.Policies(false); !slices.Equal(got, []string{"web", "tool"}) {
		t.Errorf("Policies(false) = %v", got)
	}
	bad, _ := Load(&Input{Name: "bad.sc", Data: []byte("policy {"), Kind: Policy}, Options{})
	if got := bad.Policies(false); !slices.Equal(got, []string{""}) {
		t.Errorf("Policies of a file that does not parse = %v", got)
	}
}

// TestProfile: a profile builds as the policy it imports to, for the one host arch named.
func TestProfile(t *testing.T) {
	prof := []byte(`{"defaultAction": "SCMP_ACT_ERRNO", "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"]}],
		"syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}`)
	in := &Input{Name: "dir/prof.txt", Data: prof, Kind: Detect(prof)}
	src, err := Load(in, Options{Compile: compilerArches("amd64")})
	if err != nil {
		t.Fatal(err)
	}
	out, errs := src.Build("")
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	if len(out.Policy.Arches) != 2 {
		t.Errorf("arches %v, want the archMap's two", out.Policy.Arches)
	}
	if inputs := src.Inputs(); len(inputs) != 1 || inputs[0].Name != "dir/prof.txt" {
		t.Errorf("Inputs = %v", inputs)
	}
	if _, err := Load(in, Options{Compile: compilerArches("amd64", "arm64")}); err == nil {
		t.Error("a profile for two host arches is no error")
	}
}

// TestCompiledIsNoPolicy: a compiled filter loads as one, and compiling it is an error.
func TestCompiledIsNoPolicy(t *testing.T) {
	out := build(t, writeFile(t, "p.sc", []byte(policySrc)), Options{})
	raw := out.Filter.Raw()
	src, err := Load(&Input{Name: "f", Data: raw, Kind: Detect(raw)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if src.Filter == nil || len(src.Filter.Program) != len(out.Filter.Program) {
		t.Fatalf("raw program not decoded: %v", src.Filter)
	}
	if _, errs := src.Build(""); !errs.HasErrors() || !strings.Contains(errs[0].Message, "f is a compiled filter (raw)") {
		t.Errorf("Build of a raw program: %v", errs)
	}
}

func compilerArches(arches ...string) compiler.Options {
	return compiler.Options{Arches: arches}
}
