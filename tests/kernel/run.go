//go:build linux

package kernel

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/scc-dev/scc/internal/reexec"
	"github.com/scc-dev/scc/loader"
	"golang.org/x/net/bpf"
)

// childRole is the child's role in the re-execution protocol (package reexec): its argument
// is the path of the JSON spec, and fd 3 takes its reports.
const childRole = "kernel-harness"

// childTimeout bounds one child's whole life.
const childTimeout = 60 * time.Second

// spec is what the parent hands the child.
type spec struct {
	Prog  []bpf.RawInstruction
	Opts  loader.Options
	Calls []Call
}

// report is one line the child writes on the results pipe.
type report struct {
	Installed  bool   `json:",omitempty"`
	InstallErr string `json:",omitempty"`
	Listener   int    `json:",omitempty"`
	Index      int
	Outcome    *Outcome `json:",omitempty"`
}

// Result is what one child did: whether it installed the filter, each call's outcome, and
// how it ended.
type Result struct {
	// InstallErr is loader.InstallGo's error in the child; empty when the filter was installed.
	InstallErr string
	// Listener is the user-notification fd InstallGo returned (-1 without NEW_LISTENER).
	Listener int
	// Outcomes has one entry per call; calls after one that killed the process are NotRun.
	Outcomes []Outcome
	// Status is the child's wait status.
	Status syscall.WaitStatus
	// Output is the child's stdout and stderr, for diagnostics.
	Output string
}

// Run installs prog with opts in one child process and makes the calls there in order.
// It fails only when the harness itself fails; an install error is in Result.InstallErr.
// When a call kills the process, the calls after it are NotRun: RunChild goes on with them.
func Run(prog []bpf.RawInstruction, opts loader.Options, calls []Call) (*Result, error) {
	path, err := writeSpec(spec{Prog: prog, Opts: opts, Calls: calls})
	if err != nil {
		return nil, err
	}
	defer os.Remove(path)
	reports, out, status, err := runChild(path)
	if err != nil {
		return nil, err
	}
	return assemble(reports, out, status, len(calls))
}

// RunChild installs prog with opts in child processes and returns one outcome per call. It
// uses one child for the whole batch, and a new one for the calls after any call that killed
// the process. A harness failure or an install error fails the test.
func RunChild(t testing.TB, prog []bpf.RawInstruction, opts loader.Options, calls []Call) []Outcome {
	t.Helper()
	var outcomes []Outcome
	for {
		rest := calls[len(outcomes):]
		res, err := Run(prog, opts, rest)
		if err != nil {
			t.Fatalf("kernel harness: %v", err)
		}
		if res.InstallErr != "" {
			t.Fatalf("kernel harness: installing the filter: %s", res.InstallErr)
		}
		n := ran(res.Outcomes)
		if n == 0 && len(rest) > 0 {
			t.Fatalf("kernel harness: the child made no call (status %v)\n%s", res.Status, res.Output)
		}
		outcomes = append(outcomes, res.Outcomes[:n]...)
		if len(outcomes) == len(calls) {
			return outcomes
		}
	}
}

// ran counts the outcomes up to the first NotRun.
func ran(outcomes []Outcome) int {
	for i, o := range outcomes {
		if o.Kind == NotRun {
			return i
		}
	}
	return len(outcomes)
}

func writeSpec(s spec) (string, error) {
	f, err := os.CreateTemp("", "scc-kernel-*.json")
	if err != nil {
		return "", err
	}
	err = json.NewEncoder(f).Encode(s)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("kernel harness: writing the spec: %w", err)
	}
	return f.Name(), nil
}

// runChild re-executes this binary as a child on the spec and collects its reports.
func runChild(path string) ([]report, string, syscall.WaitStatus, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, "", 0, err
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), childTimeout)
	defer cancel()
	// Under the race detector a child would sleep a second at exit (atexit_sleep_ms).
	gorace := strings.TrimSpace(os.Getenv("GORACE") + " atexit_sleep_ms=0")
	cmd := reexec.Command(ctx, childRole, append(os.Environ(), "GORACE="+gorace), path)
	cmd.ExtraFiles = []*os.File{w} // fd 3 in the child
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Start()
	w.Close()
	if err != nil {
		return nil, "", 0, fmt.Errorf("kernel harness: starting the child: %w", err)
	}
	reports, rerr := readReports(r)
	werr := cmd.Wait()
	var exitErr *exec.ExitError
	if werr != nil && !errors.As(werr, &exitErr) {
		return nil, out.String(), 0, fmt.Errorf("kernel harness: waiting for the child: %w", werr)
	}
	if ctx.Err() != nil {
		return nil, out.String(), 0, fmt.Errorf("kernel harness: the child ran over %v\n%s", childTimeout, out.String())
	}
	if rerr != nil {
		return nil, out.String(), 0, rerr
	}
	return reports, out.String(), cmd.ProcessState.Sys().(syscall.WaitStatus), nil
}

func readReports(r *os.File) ([]report, error) {
	var reports []report
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		var rep report
		if err := json.Unmarshal(sc.Bytes(), &rep); err != nil {
			return nil, fmt.Errorf("kernel harness: bad report %q: %w", sc.Text(), err)
		}
		reports = append(reports, rep)
	}
	return reports, sc.Err()
}

// assemble turns the child's reports and wait status into a Result.
func assemble(reports []report, out string, status syscall.WaitStatus, ncalls int) (*Result, error) {
	res := &Result{Listener: -1, Outcomes: make([]Outcome, ncalls), Status: status, Output: out}
	if len(reports) == 0 {
		return nil, fmt.Errorf("kernel harness: the child reported nothing (status %v)\n%s", status, out)
	}
	head := reports[0]
	if !head.Installed {
		res.InstallErr = head.InstallErr
		return res, nil
	}
	res.Listener = head.Listener
	next := 0
	for _, rep := range reports[1:] {
		if rep.Outcome == nil || rep.Index != next || next >= ncalls {
			return nil, fmt.Errorf("kernel harness: out-of-order report %+v", rep)
		}
		res.Outcomes[next] = *rep.Outcome
		next++
	}
	if next < ncalls {
		if !status.Signaled() {
			return nil, fmt.Errorf("kernel harness: the child stopped after %d of %d calls (status %v)\n%s",
				next, ncalls, status, out)
		}
		res.Outcomes[next] = Outcome{Kind: KilledProcess, Signal: status.Signal(), Core: status.CoreDump()}
	}
	return res, nil
}
