//go:build linux

package record_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"

	"github.com/scc-dev/scc/loader"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/record"
)

// envPolicy makes the test binary a runner: it installs the policy at that path on its
// execing thread and executes its arguments, the way scc run does.
const envPolicy = "SCC_RECORD_TEST_POLICY"

func TestMain(m *testing.M) {
	if path := os.Getenv(envPolicy); path != "" {
		runUnder(path, os.Args[1:])
	}
	os.Exit(m.Run())
}

// runUnder builds the policy at path, installs it and execs argv; it never returns.
func runUnder(path string, argv []string) {
	out, errs := pipeline.BuildFile(path, pipeline.Options{})
	if errs.HasErrors() {
		fmt.Fprintln(os.Stderr, errs.Err())
		os.Exit(100)
	}
	bin, err := exec.LookPath(argv[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(100)
	}
	env := os.Environ()
	// No GC from here on: a mark assist on the filtered thread would poll the network
	// (epoll_pwait), which the policy may deny, and the runtime dies of it.
	debug.SetGCPercent(-1)
	runtime.LockOSThread()
	opts := loader.Options{KillProcess: out.Filter.ProcessKilling, Arches: out.Filter.Arches}
	if _, err := loader.Install(out.Filter.Program, opts); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(100)
	}
	err = syscall.Exec(bin, argv, env)
	fmt.Fprintln(os.Stderr, err)
	os.Exit(101)
}

// result is a finished command's output and status.
type result struct {
	stdout, stderr string
	status         int
}

// recordRun records argv and returns the recording and what the command printed.
func recordRun(t *testing.T, argv ...string) (*record.Recording, result) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	rec, err := record.Run(record.Options{Argv: argv, Stdout: &stdout, Stderr: &stderr})
	if err != nil {
		t.Fatalf("record %q: %v", argv, err)
	}
	return rec, result{stdout.String(), stderr.String(), rec.ExitStatus}
}

// policyFile generates rec's policy, checks that it builds, and writes it to a file.
func policyFile(t *testing.T, rec *record.Recording, opts record.PolicyOptions) string {
	t.Helper()
	src, err := record.Generate(rec, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, errs := pipeline.BuildSource("recorded.sc", src, pipeline.Options{}); errs.HasErrors() {
		t.Fatalf("the recorded policy does not build: %v\n%s", errs.Err(), src)
	}
	path := filepath.Join(t.TempDir(), "recorded.sc")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// replay runs argv under the policy at path.
func replay(t *testing.T, path string, argv ...string) result {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, argv...)
	cmd.Env = append(os.Environ(), envPolicy+"="+path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	status := cmd.ProcessState.ExitCode()
	if status == 100 || status == 101 {
		t.Fatalf("the runner failed: %s", stderr.String())
	}
	return result{stdout.String(), stderr.String(), status}
}

// names returns the syscall names of a recording, with their counts.
func names(rec *record.Recording) map[string]int {
	out := map[string]int{}
	for _, s := range rec.Syscalls {
		out[s.Name] += s.Count
	}
	return out
}

func TestRecordStartsAtExecve(t *testing.T) {
	rec, _ := recordRun(t, "true")
	got := names(rec)
	if got["execve"] != 1 || got["exit_group"] != 1 {
		t.Errorf("execve %d, exit_group %d times; want 1 each: %v", got["execve"], got["exit_group"], got)
	}
	// The helper's Go runtime calls (sched_getaffinity, sigaltstack, ...) are not recorded.
	for _, helperOnly := range []string{"sigaltstack", "sched_getaffinity", "clone", "gettid"} {
		if got[helperOnly] != 0 {
			t.Errorf("%s recorded: the helper's calls leaked into the recording", helperOnly)
		}
	}
	if rec.Started.IsZero() || rec.Duration <= 0 || rec.Total() < 10 {
		t.Errorf("started %v, duration %v, total %d", rec.Started, rec.Duration, rec.Total())
	}
}

func TestRecordFollowsChildren(t *testing.T) {
	rec, out := recordRun(t, "sh", "-c", "ls / | cat")
	if !strings.Contains(out.stdout, "usr\n") {
		t.Fatalf("ls / printed %q", out.stdout)
	}
	got := names(rec)
	for _, name := range []string{"pipe2", "wait4", "getdents64"} { // sh's, then ls's own
		if got[name] == 0 {
			t.Errorf("%s not recorded: %v", name, got)
		}
	}
	if got["execve"] != 3 {
		t.Errorf("execve recorded %d times, want 3 (sh, ls, cat)", got["execve"])
	}
}

func TestReplayGivesTheSameOutput(t *testing.T) {
	for _, argv := range [][]string{
		{"echo", "hello", "world"},
		{"ls", "-a", "/"},
		{"sh", "-c", "echo a; ls / | cat; exit 3"},
	} {
		for _, args := range []bool{false, true} {
			rec, want := recordRun(t, argv...)
			path := policyFile(t, rec, record.PolicyOptions{Args: args})
			if got := replay(t, path, argv...); got != want {
				src, _ := os.ReadFile(path)
				t.Errorf("%q (args %v): recorded %+v, replayed %+v\n%s", argv, args, want, got, src)
			}
		}
	}
}

func TestReplayRefusesOtherSyscalls(t *testing.T) {
	rec, _ := recordRun(t, "true")
	path := policyFile(t, rec, record.PolicyOptions{})
	// ls fails its first getrandom, and glibc aborts: refused one way or another.
	if got := replay(t, path, "ls", "/"); got.status == 0 || got.stdout != "" {
		t.Errorf("ls / under true's policy: %+v", got)
	}
	dir := filepath.Join(t.TempDir(), "x")
	if got := replay(t, path, "sh", "-c", "mkdir "+dir); got.status == 0 {
		t.Errorf("sh -c mkdir under true's policy: %+v", got)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("%s was made under true's policy", dir)
	}
}

func TestArgsAreConditions(t *testing.T) {
	script := "ls / | cat >/dev/null"
	rec, _ := recordRun(t, "sh", "-c", script)
	src, err := record.Generate(rec, record.PolicyOptions{Args: true, Name: "p"})
	if err != nil {
		t.Fatal(err)
	}
	want := "allow clone if flags in {SIGCHLD | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID}"
	if !strings.Contains(string(src), want) {
		t.Errorf("no %q in\n%s", want, src)
	}
	if !strings.Contains(string(src), "allow fcntl if cmd in {") {
		t.Errorf("no condition on fcntl in\n%s", src)
	}
	path := policyFile(t, rec, record.PolicyOptions{Args: true})
	if got := replay(t, path, "sh", "-c", script); got.status != 0 {
		t.Errorf("replay: %+v", got)
	}
}

func TestExitStatusPassesThrough(t *testing.T) {
	for script, want := range map[string]int{"exit 7": 7, "kill -TERM $$": 128 + 15} {
		rec, _ := recordRun(t, "sh", "-c", script)
		if rec.ExitStatus != want {
			t.Errorf("%q: exit status %d, want %d", script, rec.ExitStatus, want)
		}
	}
}

func TestStartErrors(t *testing.T) {
	for _, argv := range [][]string{{"scc-no-such-command"}, {"/"}, nil} {
		_, err := record.Run(record.Options{Argv: argv})
		var se *record.StartError
		if !errors.As(err, &se) {
			t.Errorf("%q: got %v, want a StartError", argv, err)
		}
	}
}

func TestProgress(t *testing.T) {
	var last record.Progress
	finals := 0
	rec, err := record.Run(record.Options{Argv: []string{"true"}, Progress: func(p record.Progress) {
		last = p
		if p.Final {
			finals++
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if finals != 1 || !last.Final || last.Total != rec.Total() || last.Distinct != len(rec.Syscalls) {
		t.Errorf("finals %d, last %+v; recording has %d calls, %d syscalls", finals, last, rec.Total(), len(rec.Syscalls))
	}
}
