//go:build linux

package kernel

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"time"
	"unsafe"

	"github.com/scc-dev/scc/internal/callthread"
	"github.com/scc-dev/scc/internal/reexec"
	"github.com/scc-dev/scc/loader"
	"golang.org/x/sys/unix"
)

// callTimeout is how long the child waits for one call before it reports it Blocked.
const callTimeout = 3 * time.Second

// init registers the child (see package reexec): it then runs during package
// initialization, when the main goroutine is locked to the main thread; the child's calls
// are all made on other threads, so the thread-group leader never dies of a thread kill.
func init() {
	reexec.Register(childRole, childMain)
}

// childMain runs the child on the spec its argument names and returns its exit status.
func childMain() int {
	runtime.LockOSThread()
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "kernel child: want the spec's path as the one argument")
		return 3
	}
	if err := child(os.Args[1], json.NewEncoder(os.NewFile(3, "results"))); err != nil {
		fmt.Fprintln(os.Stderr, "kernel child:", err)
		return 3
	}
	return 0
}

// child installs the spec's filter and makes its calls, reporting each on out (fd 3) before
// the next. An install error is reported, not returned.
func child(path string, out *json.Encoder) error {
	s, err := readSpec(path)
	if err != nil {
		return err
	}
	if err := prepareChild(); err != nil {
		return err
	}
	args := materialize(s.Calls)
	leader = unix.Getpid() // before the filter, which may deny getpid
	listener, err := loader.InstallGo(s.Prog, s.Opts)
	if err != nil {
		return out.Encode(report{InstallErr: err.Error()})
	}
	if err := out.Encode(report{Installed: true, Listener: listener}); err != nil {
		return err
	}
	for i, c := range s.Calls {
		o := makeCall(c, args[i])
		if err := out.Encode(report{Index: i, Outcome: &o}); err != nil {
			return err
		}
	}
	return nil
}

func readSpec(path string) (spec, error) {
	var s spec
	data, err := os.ReadFile(path)
	if err != nil {
		return s, err
	}
	return s, json.Unmarshal(data, &s)
}

// prepareChild makes the child non-dumpable (a killed child leaves no core file) and installs
// its SIGSYS handler, both before the filter can interfere.
func prepareChild() error {
	if err := unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0); err != nil {
		return fmt.Errorf("prctl(PR_SET_DUMPABLE): %w", err)
	}
	if err := callthread.InstallTrapHandler(); err != nil && !errors.Is(err, callthread.ErrNoTrapHandler) {
		return err
	}
	// Without a handler (not amd64) the Go runtime takes a trap's SIGSYS and the child exits
	// with status 2, which Run reports as a harness error.
	return nil
}

// materialize resolves every call's string and buffer arguments to pointers into memory the
// child keeps alive; it runs before the filter is installed.
func materialize(calls []Call) [][6]uintptr {
	args := make([][6]uintptr, len(calls))
	for i, c := range calls {
		for j, v := range c.Args {
			args[i][j] = uintptr(v)
		}
		for j, s := range c.Strings {
			args[i][j] = uintptr(unsafe.Pointer(keep(append([]byte(s), 0))))
		}
		for j, n := range c.Buffers {
			args[i][j] = uintptr(unsafe.Pointer(keep(make([]byte, max(n, 1)))))
		}
	}
	return args
}

// kept holds the memory that call arguments point to for the child's whole life.
var kept [][]byte

func keep(b []byte) *byte {
	kept = append(kept, b)
	return &b[0]
}

// leader is the child's pid: the thread-group leader's tid, which no call may run on.
var leader int

// makeCall makes c on a fresh OS thread (see callthread.Run). A CloseFD call's descriptor is
// closed on that thread when the call succeeded.
func makeCall(c Call, args [6]uintptr) Outcome {
	r := callthread.Run(func() uintptr {
		r1, _, errno := unix.Syscall6(uintptr(c.Nr), args[0], args[1], args[2], args[3], args[4], args[5])
		if errno != 0 {
			r1 = -uintptr(errno) // Go reports -1 and the errno; keep the raw register value
		}
		if c.CloseFD && callthread.Errno(r1) == 0 && !callthread.TrapRecorded() {
			unix.Close(int(r1))
		}
		return r1
	}, leader, callTimeout)
	o := Outcome{Kind: kinds[r.End], Ret: uint64(r.R1), TrapData: r.Trap.Data, TrapNr: r.Trap.Nr, TrapArch: r.Trap.Arch}
	if r.End == callthread.Returned {
		o.Errno = callthread.Errno(r.R1)
	}
	return o
}

// kinds maps the ends of callthread.Run onto the kinds of outcome.
var kinds = [...]Kind{
	callthread.Returned: Returned, callthread.Trapped: Trapped,
	callthread.KilledThread: KilledThread, callthread.Blocked: Blocked,
}
