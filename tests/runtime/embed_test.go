//go:build linux

package runtime

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// examples is the examples directory of this repository.
const examples = "../../examples"

// TestEmbedGo builds examples/embed-go and runs it: it sandboxes itself as sandbox.sc says.
func TestEmbedGo(t *testing.T) {
	skipUnlessX86_64(t)
	bin := filepath.Join(t.TempDir(), "embed-go")
	if err := goBuild(bin, "github.com/scc-dev/scc/examples/embed-go"); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "d")
	r := run(t, bin, dir)
	want := "Seccomp: 2\n" +
		"mkdir " + dir + ": permission denied\n" +
		"socket(AF_INET): address family not supported by protocol\n"
	if !r.exited(0) || r.stdout != want {
		t.Errorf("%v\nwant stdout %q", r, want)
	}
	noDir(t, dir)
	if r := run(t, bin, dir, "/bin/true"); !r.killedBy(syscall.SIGSYS) {
		t.Errorf("exec under the sandbox: %v, want killed by SIGSYS", r)
	}
}

// TestEmbedGoIsGenerated: the committed sandbox_filter.go is what scc makes of sandbox.sc
// today (go generate in examples/embed-go makes it again).
func TestEmbedGoIsGenerated(t *testing.T) {
	dir := filepath.Join(examples, "embed-go")
	r := run(t, scc, "build", "--format", "go", "--package", "main", "--name", "sandbox", "-o", "-",
		filepath.Join(dir, "sandbox.sc"))
	committed, err := os.ReadFile(filepath.Join(dir, "sandbox_filter.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !r.exited(0) || r.stdout != string(committed) {
		t.Errorf("examples/embed-go/sandbox_filter.go is stale: run go generate there (%v)", r.status)
	}
}

// TestEmbedC writes the header of examples/embed-c/policy.sc with scc build --format c,
// compiles main.c against it with gcc, and runs it: mkdir fails with the policy's EACCES.
func TestEmbedC(t *testing.T) {
	skipUnlessX86_64(t)
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc is not installed (.ci/run installs it): the C example is not tested")
	}
	tmp := t.TempDir()
	src := filepath.Join(examples, "embed-c")
	header := filepath.Join(tmp, "filter.h")
	if r := run(t, scc, "build", "--format", "c", "-o", header, filepath.Join(src, "policy.sc")); !r.exited(0) {
		t.Fatalf("scc build --format c: %v", r)
	}
	bin := filepath.Join(tmp, "embed-c")
	r := run(t, gcc, "-O2", "-Wall", "-Wextra", "-Werror", "-I", tmp, "-o", bin, filepath.Join(src, "main.c"))
	if !r.exited(0) {
		t.Fatalf("gcc: %v", r)
	}
	dir := filepath.Join(tmp, "d")
	if r := run(t, bin, dir); !r.exited(0) || r.stdout != "mkdir "+dir+": Permission denied (errno 13)\n" {
		t.Errorf("%v", r)
	}
	noDir(t, dir)
}

// TestBwrap hands scc's raw output to bubblewrap (bwrap --seccomp FD), which installs it
// before it executes mkdir: mkdir fails with the policy's errno, where without the filter it
// succeeds in the same sandbox.
func TestBwrap(t *testing.T) {
	skipUnlessX86_64(t)
	bwrap, err := exec.LookPath("bwrap")
	if err != nil {
		t.Skip("bwrap is not installed (Debian's bubblewrap; .ci/run installs it)")
	}
	work := t.TempDir()
	sandbox := []string{"--ro-bind", "/", "/", "--dev", "/dev", "--bind", work, work}
	if r := run(t, bwrap, append(sandbox, "mkdir", filepath.Join(work, "plain"))...); !r.exited(0) {
		if strings.Contains(r.stderr, "namespace") || strings.Contains(r.stderr, "ermission") {
			t.Skipf("bwrap cannot make its sandbox here: %s", strings.TrimSpace(r.stderr))
		}
		t.Fatalf("bwrap without a filter: %v", r)
	}
	raw := build(t, writePolicy(t, denyMkdir), "raw")
	f, err := os.Open(raw)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dir := filepath.Join(work, "d")
	cmd := exec.Command(bwrap, append(sandbox, "--seccomp", "3", "mkdir", dir)...)
	cmd.ExtraFiles = []*os.File{f} // fd 3
	if r := runCmd(t, cmd); !r.exited(1) || !strings.Contains(r.stderr, quotaMessage) {
		t.Errorf("bwrap --seccomp 3 mkdir: %v, want %q", r, quotaMessage)
	}
	noDir(t, dir)
}
