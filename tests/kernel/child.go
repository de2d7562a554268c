//go:build linux

package kernel

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"time"
	"unsafe"

	"github.com/scc-dev/scc/loader"
	"golang.org/x/sys/unix"
)

// callTimeout is how long the child waits for one call before it reports it Blocked.
const callTimeout = 3 * time.Second

// threadPoll is how often the child checks whether a calling thread still exists.
const threadPoll = time.Millisecond

// init turns a re-executed binary into a child when envSpec is set. It runs during package
// initialization, when the main goroutine is locked to the main thread: the child's calls
// are all made on other threads, so the thread-group leader never dies of a thread kill.
func init() {
	path := os.Getenv(envSpec)
	if path == "" {
		return
	}
	os.Exit(childMain(path))
}

// childMain runs the child and returns its exit status.
func childMain(path string) int {
	runtime.LockOSThread()
	if err := child(path, json.NewEncoder(os.NewFile(3, "results"))); err != nil {
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
	return installTrapHandler()
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

// result is what a calling thread sends back.
type result struct {
	r1   uintptr
	trap trapInfo
}

// makeCall makes c on a new OS thread and watches it: the call returns, traps, blocks, or
// its thread vanishes (killed). A kill of the process ends the child here.
func makeCall(c Call, args [6]uintptr) Outcome {
	tids := make(chan int, 1)
	done := make(chan result, 1)
	go callOnThread(c, args, tids, done)
	tid := <-tids
	if tid == leader {
		panic("kernel child: a call landed on the thread-group leader")
	}
	return watch(tid, done)
}

// callOnThread runs on its own locked OS thread, which the runtime ends when the goroutine
// returns: every call gets a fresh thread.
func callOnThread(c Call, args [6]uintptr, tids chan<- int, done chan<- result) {
	runtime.LockOSThread()
	tids <- unix.Gettid()
	resetTrap()
	r1, _, errno := unix.Syscall6(uintptr(c.Nr), args[0], args[1], args[2], args[3], args[4], args[5])
	if errno != 0 {
		r1 = -uintptr(errno) // Go reports -1 and the errno; keep the raw register value
	}
	res := result{r1: r1, trap: takeTrap()}
	if c.CloseFD && decodeErrno(r1) == 0 && !res.trap.trapped {
		unix.Close(int(r1))
	}
	done <- res
}

// watch waits for the call on thread tid to finish, die, or time out.
func watch(tid int, done <-chan result) Outcome {
	tick := time.NewTicker(threadPoll)
	defer tick.Stop()
	deadline := time.After(callTimeout)
	taskDir := fmt.Sprintf("/proc/self/task/%d", tid)
	for {
		select {
		case r := <-done:
			return r.outcome()
		case <-deadline:
			return Outcome{Kind: Blocked}
		case <-tick.C:
		}
		select {
		case r := <-done: // the thread may have ended normally after sending
			return r.outcome()
		default:
		}
		if _, err := os.Stat(taskDir); err != nil {
			return Outcome{Kind: KilledThread}
		}
	}
}

func (r result) outcome() Outcome {
	if r.trap.trapped {
		return Outcome{Kind: Trapped, Ret: uint64(r.r1), TrapData: uint16(r.trap.data),
			TrapNr: r.trap.nr, TrapArch: r.trap.arch}
	}
	return Outcome{Kind: Returned, Ret: uint64(r.r1), Errno: decodeErrno(r.r1)}
}

// decodeErrno reads the errno out of a raw return value as the kernel and libc define it:
// -4095..-1. (Go's unix.Syscall6 reports -4095, MAX_ERRNO, as a success: a filter's
// errno(4095), and any errno data above it, which the kernel clamps to 4095.)
func decodeErrno(r1 uintptr) unix.Errno {
	if r1 >= ^uintptr(4095-1) {
		return unix.Errno(-r1)
	}
	return 0
}
