//go:build linux && cgo

package libseccomp

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/moby/profiles/seccomp"

	"github.com/scc-dev/scc/cmd/scc/cli"
	"github.com/scc-dev/scc/program"
)

// TestDecompileDockerDefault decompiles libseccomp's build of Docker's default profile,
// rebuilds the policy and checks with scc diff that the two programs decide alike: the
// policy says libseccomp's bad-arch action (default foreign kill_thread) and its 64-bit
// comparisons of int arguments (u64(ARG)).
//
// On amd64 libseccomp 2.5.4 knows map_shadow_stack on x86_64 and i386 but not on x32, which
// gets the default for it: the policy says so with an arch condition, and keeps the other
// rules plain.
func TestDecompileDockerDefault(t *testing.T) {
	for _, arch := range []string{"amd64", "arm64"} {
		t.Run(arch, func(t *testing.T) {
			dir := t.TempDir()
			raw := filepath.Join(dir, "docker-libseccomp.raw")
			dec := filepath.Join(dir, "docker.sc")
			writeDockerProgram(t, raw, arch, false)
			mustScc(t, "decompile", "-o", dec, raw)
			src, err := os.ReadFile(dec)
			if err != nil {
				t.Fatal(err)
			}
			forms := []string{"default foreign kill_thread\n", "u64("}
			if arch == "amd64" {
				forms = append(forms, "    arch i386, x86_64, x32\n", "    allow map_shadow_stack if arch != x32\n")
			}
			for _, form := range forms {
				if !bytes.Contains(src, []byte(form)) {
					t.Errorf("the decompiled policy lacks %q:\n%s", form, src)
				}
			}
			if n := bytes.Count(src, []byte(" if arch ")); arch == "amd64" && n != 1 {
				t.Errorf("the decompiled policy has %d arch conditions, want 1 (map_shadow_stack's):\n%s", n, src)
			}
			rebuilt := filepath.Join(dir, "rebuilt.raw")
			mustScc(t, "build", "--prove", "--format", "raw", "-o", rebuilt, dec)
			mustScc(t, "diff", raw, rebuilt)
			mustScc(t, "diff", raw, dec)
		})
	}
}

// writeDockerProgram writes libseccomp's build of Docker's default profile for arch as a raw
// program, the profile without map_shadow_stack when noShadowStack.
func writeDockerProgram(t *testing.T, path, arch string, noShadowStack bool) {
	t.Helper()
	p := seccomp.DefaultProfile()
	if noShadowStack {
		for i := range p.Syscalls {
			p.Syscalls[i].Names = slices.DeleteFunc(p.Syscalls[i].Names, func(n string) bool { return n == "map_shadow_stack" })
		}
	}
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := BuildProfile(data, arch, nil, "6.1", OptimizeBinaryTree)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, program.EncodeRaw(prog, false), 0o644); err != nil {
		t.Fatal(err)
	}
}

// scc runs scc's command line in-process and returns its exit status.
func scc(args ...string) int {
	saved := os.Args
	defer func() { os.Args = saved }()
	os.Args = append([]string{"scc"}, args...)
	return cli.Main()
}

// mustScc runs scc and fails the test unless it succeeds.
func mustScc(t *testing.T, args ...string) {
	t.Helper()
	if code := scc(args...); code != 0 {
		t.Fatalf("scc %v: exit status %d", args, code)
	}
}
