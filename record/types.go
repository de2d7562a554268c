package record

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/scc-dev/scc/internal/plural"
)

// Options say what to record.
type Options struct {
	// Argv is the command and its arguments; Argv[0] is looked up in PATH.
	Argv []string
	// Env is the command's environment; nil means this process's.
	Env []string
	// Stdin, Stdout and Stderr are the command's; nil means the null device.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Progress, when set, is called about every ProgressEvery while recording, and once at
	// the end with Final set.
	Progress      func(Progress)
	ProgressEvery time.Duration // default 100ms
	// Forward lists signals that, sent to the recorder, are passed on to the command
	// (typically SIGINT and SIGTERM) instead of ending the recorder.
	Forward []os.Signal
}

// Progress is how far a recording is.
type Progress struct {
	Total    int  // calls seen
	Distinct int  // distinct syscalls (arch and number) among them
	Final    bool // the command and its descendants have exited
}

// String is the one-line report: "scc record: 1234 calls, 45 distinct syscalls".
func (p Progress) String() string {
	return fmt.Sprintf("scc record: %s, %s", plural.Count(p.Total, "call", "calls"),
		plural.Count(p.Distinct, "distinct syscall", "distinct syscalls"))
}

// Recording is what a run made.
type Recording struct {
	Argv     []string
	Started  time.Time
	Duration time.Duration
	// ExitStatus is the command's exit status, 128+N when signal N killed it.
	ExitStatus int
	// Syscalls are the calls seen, by arch then number.
	Syscalls []Syscall
}

// Syscall is one syscall of one arch, as recorded.
type Syscall struct {
	Arch  string // stdlib's canonical arch name: "x86_64", "i386", "x32"
	Nr    uint32 // with Arch's NrMask
	Name  string // "" when scc's tables do not know the number
	Count int
	// Args holds, for the arguments ArgSpecs names for this syscall, the distinct values
	// seen (cut to the argument's width), sorted.
	Args map[string][]uint64
}

// Total is the number of calls recorded.
func (r *Recording) Total() int {
	n := 0
	for _, s := range r.Syscalls {
		n += s.Count
	}
	return n
}

// StartError reports that the command could not be started; nothing was recorded.
type StartError struct{ Err error }

// Error describes the failure.
func (e *StartError) Error() string { return "cannot start the command: " + e.Err.Error() }

// Unwrap returns the cause.
func (e *StartError) Unwrap() error { return e.Err }
