//go:build linux

// Package runtime holds the end-to-end tests of installed filters, all in the real kernel:
// scc run on policies, blobs and raw programs, the example programs that embed a filter
// (examples/embed-go, examples/embed-c), and bubblewrap taking scc's raw output. The test
// binary doubles as the helper program these tests run under a filter (see helper_test.go).
package runtime

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// scc is the path of the scc binary built for this test run.
var scc string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

// buildAndRun builds scc, turns core dumps off for every child (filters kill with SIGSYS,
// which dumps core), and runs the tests.
func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "scc-runtime-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(dir)
	scc = filepath.Join(dir, "scc")
	if err := goBuild(scc, "github.com/scc-dev/scc/cmd/scc"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	var core unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_CORE, &core); err == nil {
		core.Cur = 0
		unix.Setrlimit(unix.RLIMIT_CORE, &core)
	}
	return m.Run()
}

// goBuild builds a package of this module into out.
func goBuild(out, pkg string) error {
	build := exec.Command("go", "build", "-o", out, pkg)
	if msg, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, msg)
	}
	return nil
}

// result is how a child process ended and what it wrote.
type result struct {
	stdout, stderr string
	status         syscall.WaitStatus
}

// exited tells whether the child exited with the given status.
func (r result) exited(code int) bool { return r.status.Exited() && r.status.ExitStatus() == code }

// killedBy tells whether a signal ended the child.
func (r result) killedBy(sig syscall.Signal) bool {
	return r.status.Signaled() && r.status.Signal() == sig
}

func (r result) String() string {
	return fmt.Sprintf("status %v\nstdout: %q\nstderr: %q", statusText(r.status), r.stdout, r.stderr)
}

func statusText(ws syscall.WaitStatus) string {
	if ws.Signaled() {
		return "killed by " + ws.Signal().String()
	}
	return fmt.Sprintf("exit %d", ws.ExitStatus())
}

// runCmd runs a command with extra environment variables (and extra files from fd 3 on) and
// waits for it; only a failure to run it at all fails the test.
func runCmd(t *testing.T, cmd *exec.Cmd, env ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := exec.CommandContext(ctx, cmd.Path, cmd.Args[1:]...)
	c.Dir, c.ExtraFiles = cmd.Dir, cmd.ExtraFiles
	c.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	err := c.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("%v: %v", c.Args, err)
	}
	if ctx.Err() != nil {
		t.Fatalf("%v: timed out", c.Args)
	}
	return result{stdout.String(), stderr.String(), c.ProcessState.Sys().(syscall.WaitStatus)}
}

// run runs name with args.
func run(t *testing.T, name string, args ...string) result {
	t.Helper()
	return runCmd(t, exec.Command(name, args...))
}

// sccRun runs scc run on filter, then the command.
func sccRun(t *testing.T, filter string, argv ...string) result {
	t.Helper()
	return run(t, scc, append([]string{"run", filter, "--"}, argv...)...)
}

// writePolicy writes a policy for x86_64 in a temporary directory: allow everything but the
// given rules.
func writePolicy(t *testing.T, rules ...string) string {
	t.Helper()
	src := "policy p {\n    arch x86_64\n    default allow\n    " + strings.Join(rules, "\n    ") + "\n}\n"
	path := filepath.Join(t.TempDir(), "p.sc")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// build compiles a policy with scc build in the given format, next to it.
func build(t *testing.T, policy, format string) string {
	t.Helper()
	out := strings.TrimSuffix(policy, ".sc") + "." + format
	if r := run(t, scc, "build", "--format", format, "-o", out, policy); !r.exited(0) {
		t.Fatalf("scc build --format %s: %v", format, r)
	}
	return out
}

// skipUnlessX86_64 skips tests whose policies name x86_64.
func skipUnlessX86_64(t *testing.T) {
	var u unix.Utsname
	if unix.Uname(&u) != nil || unix.ByteSliceToString(u.Machine[:]) != "x86_64" {
		t.Skip("the test policies are for x86_64")
	}
}

// noDir fails the test when dir exists.
func noDir(t *testing.T, dir string) {
	t.Helper()
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s exists (or cannot be checked: %v): the filter did not deny mkdir", dir, err)
	}
}
