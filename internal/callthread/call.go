//go:build linux

package callthread

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// ErrNoTrapHandler is InstallTrapHandler's error where no SIGSYS handler is written (every
// architecture but amd64).
var ErrNoTrapHandler = errors.New("callthread: no SIGSYS handler on " + runtime.GOARCH)

// End is how a call ended.
type End uint8

// The ends of a call.
const (
	Returned     End = iota + 1 // the call returned R1
	Trapped                     // the SIGSYS handler caught a trap (Trap)
	KilledThread                // the calling thread died, the process lived on
	Blocked                     // the call did not return within the wait
)

// Trap is the SIGSYS siginfo of a trapped call: si_errno (the filter's SECCOMP_RET_DATA),
// si_syscall and si_arch.
type Trap struct {
	Data uint16
	Nr   int32
	Arch uint32
}

// Result is what Run saw of one call.
type Result struct {
	End End
	// R1 is the raw return register of a Returned or Trapped call. For Trapped it is what
	// the interrupted syscall appears to return: the kernel rolls the register back to the
	// syscall number.
	R1   uintptr
	Trap Trap // of a Trapped call
}

// Errno reads the errno out of a raw return value as the kernel and libc define it:
// -4095..-1, else 0. (Go's unix.Syscall6 reports -4095, MAX_ERRNO, as a success: a filter's
// errno(4095), and any errno data above it, which the kernel clamps to 4095.)
func Errno(r1 uintptr) unix.Errno {
	if r1 >= ^uintptr(4095-1) {
		return unix.Errno(-r1)
	}
	return 0
}

// pollInterval is how often Run checks whether the calling thread still exists.
const pollInterval = time.Millisecond

// Run makes call on a new OS thread, locked to its goroutine and ended with it, and watches
// it: the call returns, traps, does not return within timeout (Blocked), or its thread
// vanishes (KilledThread). leader is the child's pid, read before the filter was installed:
// Run panics if the call would run on the thread-group leader, whose death would end the
// process. Calls must not overlap: the trap record is the process's.
func Run(call func() uintptr, leader int, timeout time.Duration) Result {
	tids := make(chan int, 1)
	done := make(chan Result, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		tids <- unix.Gettid()
		atomic.StoreUint32(&trapFlag, 0)
		r := Result{End: Returned, R1: call()}
		if t, ok := takeTrap(); ok {
			r.End, r.Trap = Trapped, t
		}
		done <- r
	}()
	tid := <-tids
	if tid == leader {
		panic("callthread: a call landed on the thread-group leader")
	}
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	deadline := time.After(timeout)
	task := fmt.Sprintf("/proc/self/task/%d", tid)
	for {
		select {
		case r := <-done:
			return r
		case <-deadline:
			return Result{End: Blocked}
		case <-tick.C:
		}
		select {
		case r := <-done: // the thread may have ended normally after sending
			return r
		default:
		}
		if _, err := os.Stat(task); err != nil {
			// Gone: killed, unless it sent its result and ended between the check above
			// and the stat (a locked thread ends with its goroutine).
			select {
			case r := <-done:
				return r
			default:
				return Result{End: KilledThread}
			}
		}
	}
}

// TrapRecorded reports whether the call in progress has trapped so far. A call function may
// ask, on its thread, before it acts on the call's result.
func TrapRecorded() bool {
	_, ok := takeTrap()
	return ok
}

// takeTrap reads the handler's record after a call.
func takeTrap() (Trap, bool) {
	if atomic.LoadUint32(&trapFlag) == 0 {
		return Trap{}, false
	}
	return Trap{Data: uint16(atomic.LoadUint32(&trapData)), Nr: atomic.LoadInt32(&trapNr),
		Arch: atomic.LoadUint32(&trapArch)}, true
}
