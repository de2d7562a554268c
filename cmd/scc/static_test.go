package main

import (
	"debug/buildinfo"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// releasePlatforms are the platforms `make release` builds; keep them in step with the
// Makefile's RELEASE_PLATFORMS.
var releasePlatforms = []string{"linux/amd64", "linux/arm64", "linux/riscv64"}

// TestNoCgo: no package scc is built from uses cgo but the standard library's (net and
// runtime/cgo, which CGO_ENABLED=0 replaces with pure Go): libseccomp is for the tests only.
func TestNoCgo(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if .CgoFiles}}{{if not .Standard}}{{.ImportPath}}{{end}}{{end}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	if s := strings.TrimSpace(string(out)); s != "" {
		t.Errorf("scc depends on packages that use cgo, so it would not build with CGO_ENABLED=0:\n%s", s)
	}
}

// TestStaticBuild: scc builds with CGO_ENABLED=0, as `make release` builds it, into a static
// executable whose build info says so, and that runs. The other release platforms are
// checked by listing scc's packages for them with CGO_ENABLED=0 (every import resolves,
// no file is missing for the arch); `make release` builds them.
func TestStaticBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds scc")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	bin := filepath.Join(t.TempDir(), "scc")
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 go build: %v\n%s", err, out)
	}
	checkStatic(t, bin, runtime.GOARCH)
	if out, err := exec.Command(bin, "version").CombinedOutput(); err != nil || !strings.HasPrefix(string(out), "scc ") {
		t.Errorf("%s version: %v\n%s", bin, err, out)
	}
	for _, p := range releasePlatforms {
		goos, goarch, _ := strings.Cut(p, "/")
		cmd := exec.Command("go", "list", "-deps", "-f", "{{if .Error}}{{.ImportPath}}: {{.Error}}{{end}}", ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+goos, "GOARCH="+goarch)
		out, err := cmd.CombinedOutput()
		if s := strings.TrimSpace(string(out)); err != nil || s != "" {
			t.Errorf("%s with CGO_ENABLED=0: %v\n%s", p, err, s)
		}
	}
}

// checkStatic checks that bin is an ELF executable for goarch with no interpreter and no
// shared libraries, built with CGO_ENABLED=0.
func checkStatic(t *testing.T, bin, goarch string) {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	machine := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64, "riscv64": elf.EM_RISCV}[goarch]
	if f.Machine != machine {
		t.Errorf("%s: machine %v, want %v", bin, f.Machine, machine)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("%s is dynamically linked (%v)", bin, p.Type)
		}
	}
	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if settings["CGO_ENABLED"] != "0" || settings["GOARCH"] != goarch || settings["-trimpath"] != "true" {
		t.Errorf("%s: build settings %v", bin, settings)
	}
}
