//go:build linux

package runtime

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/scc-dev/scc/internal/reexec"
)

// denyMkdir is the rule of the mkdir tests: an errno no mkdir here would fail with by itself.
const denyMkdir = "errno(EDQUOT) mkdir, mkdirat"

const quotaMessage = "Disk quota exceeded"

// TestRunMkdir runs mkdir under a policy, its blob and its raw program: all three make it
// fail with the policy's errno; a permissive policy lets it through.
func TestRunMkdir(t *testing.T) {
	skipUnlessX86_64(t)
	policy := writePolicy(t, denyMkdir)
	for kind, filter := range map[string]string{
		"policy": policy,
		"blob":   build(t, policy, "blob"),
		"raw":    build(t, policy, "raw"),
	} {
		dir := filepath.Join(t.TempDir(), "d")
		r := sccRun(t, filter, "mkdir", dir)
		if !r.exited(1) || !strings.Contains(r.stderr, quotaMessage) {
			t.Errorf("%s: want mkdir to fail with %q\n%v", kind, quotaMessage, r)
		}
		noDir(t, dir)
	}
	dir := filepath.Join(t.TempDir(), "d")
	if r := sccRun(t, writePolicy(t), "mkdir", dir); !r.exited(0) {
		t.Errorf("permissive policy: %v", r)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Errorf("permissive policy: %v", err)
	}
}

// TestRunHarmlessCommands runs commands under a permissive policy: they behave as they do
// without scc, and they are filtered.
func TestRunHarmlessCommands(t *testing.T) {
	skipUnlessX86_64(t)
	policy := writePolicy(t, "errno(EPERM) reboot")
	if r := sccRun(t, policy, "echo", "hi"); !r.exited(0) || r.stdout != "hi\n" || r.stderr != "" {
		t.Errorf("echo hi: %v", r)
	}
	want := run(t, "ls", "/")
	if r := sccRun(t, policy, "ls", "/"); !r.exited(0) || r.stdout != want.stdout {
		t.Errorf("ls /: %v\nwithout scc: %v", r, want)
	}
	r := sccRun(t, policy, "grep", "-E", "^(Seccomp|NoNewPrivs|Seccomp_filters):", "/proc/self/status")
	for _, line := range []string{"NoNewPrivs:\t1", "Seccomp:\t2", "Seccomp_filters:\t1"} {
		if !strings.Contains(r.stdout, line+"\n") {
			t.Errorf("the command's /proc/self/status lacks %q: %v", line, r)
		}
	}
}

// TestRunPassesStatusThrough: the command's exit status and the signal that ends it are scc
// run's own, as a shell sees them too.
func TestRunPassesStatusThrough(t *testing.T) {
	skipUnlessX86_64(t)
	policy := writePolicy(t, "kill mkdir, mkdirat")
	if r := sccRun(t, policy, "sh", "-c", "exit 3"); !r.exited(3) {
		t.Errorf("sh -c 'exit 3': %v", r)
	}
	if r := sccRun(t, policy, "sh", "-c", "kill -TERM $$"); !r.killedBy(syscall.SIGTERM) {
		t.Errorf("sh -c 'kill -TERM $$': %v", r)
	}
	dir := filepath.Join(t.TempDir(), "d")
	if r := sccRun(t, policy, "mkdir", dir); !r.killedBy(syscall.SIGSYS) {
		t.Errorf("mkdir under kill: %v, want killed by SIGSYS", r)
	}
	noDir(t, dir)
	r := run(t, "sh", "-c", `"$0" run "$1" -- mkdir "$2"; echo "status $?"`, scc, policy, dir)
	if !strings.Contains(r.stdout, "status 159\n") {
		t.Errorf("a shell sees: %v, want status 159 (128 + SIGSYS)", r)
	}
}

// TestRunKillsTheWholeProcess runs the thread helper (getppid on a second thread) under kill,
// kill_thread and errno: only kill ends the process.
func TestRunKillsTheWholeProcess(t *testing.T) {
	skipUnlessX86_64(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	helper := func(action string) result {
		cmd := exec.Command(scc, "run", writePolicy(t, action+" getppid"), "--", self)
		return runCmd(t, cmd, reexec.Env+"="+threadRole)
	}
	if r := helper("kill"); !r.killedBy(syscall.SIGSYS) || r.stdout != "" {
		t.Errorf("kill: %v, want the process killed by SIGSYS", r)
	}
	if r := helper("kill_thread"); !r.exited(0) || r.stdout != threadKilled+"\n" {
		t.Errorf("kill_thread: %v, want %q", r, threadKilled)
	}
	if r := helper("errno(EPERM)"); !r.exited(0) || r.stdout != callReturned+"\n" {
		t.Errorf("errno: %v, want %q", r, callReturned)
	}
}

// TestRunLog: --log lets a call through that the policy denies or kills.
func TestRunLog(t *testing.T) {
	skipUnlessX86_64(t)
	for _, rule := range []string{denyMkdir, "kill mkdir, mkdirat", "trap(1) mkdir, mkdirat"} {
		dir := filepath.Join(t.TempDir(), "d")
		r := run(t, scc, "run", "--log", writePolicy(t, rule), "--", "mkdir", dir)
		if _, err := os.Stat(dir); !r.exited(0) || err != nil {
			t.Errorf("--log with %q: %v (%v)", rule, r, err)
		}
	}
	blob := build(t, writePolicy(t, denyMkdir), "blob")
	if r := run(t, scc, "run", "--log", blob, "--", "true"); !r.exited(2) || !strings.Contains(r.stderr, "--log needs the policy") {
		t.Errorf("--log with a blob: %v", r)
	}
}

// TestRunRefusesWhatWouldStopItsOwnExec: the filter applies to scc run's own execve, and
// scc says so before installing anything.
func TestRunRefusesWhatWouldStopItsOwnExec(t *testing.T) {
	skipUnlessX86_64(t)
	for _, rule := range []string{"errno(EPERM) execve", "kill execve"} {
		r := sccRun(t, writePolicy(t, rule), "true")
		if !r.exited(2) || !strings.Contains(r.stderr, "the policy does not allow execve") ||
			!strings.Contains(r.stderr, "so scc run cannot start true") {
			t.Errorf("%s: %v", rule, r)
		}
	}
	// Go raises its soft open-file limit at start and restores it with prlimit64 in exec:
	// under a lower soft limit, that call is made under the filter.
	policy := writePolicy(t, "kill prlimit64")
	r := run(t, "sh", "-c", `ulimit -Sn 64 && exec "$0" run "$1" -- true`, scc, policy)
	if !r.exited(2) || !strings.Contains(r.stderr, "returns kill_process for prlimit64") {
		t.Errorf("kill prlimit64: %v", r)
	}
}

func TestRunCommandNotFound(t *testing.T) {
	skipUnlessX86_64(t)
	if r := sccRun(t, writePolicy(t), "no-such-command-here"); !r.exited(127) || !strings.Contains(r.stderr, "no-such-command-here") {
		t.Errorf("%v", r)
	}
}

// TestInstallBlob installs a blob with loader.InstallBlob in the helper.
func TestInstallBlob(t *testing.T) {
	skipUnlessX86_64(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	blob := build(t, writePolicy(t, denyMkdir), "blob")
	dir := filepath.Join(t.TempDir(), "d")
	r := runCmd(t, exec.Command(self, dir), reexec.Env+"="+installBlobRole, "SCC_RUNTIME_BLOB="+blob)
	if !r.exited(0) || r.stdout != "mkdir "+dir+": disk quota exceeded\n" {
		t.Errorf("%v", r)
	}
	noDir(t, dir)
}
