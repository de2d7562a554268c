//go:build linux

package kernel

import (
	"fmt"
	"syscall"

	"github.com/scc-dev/scc/ir"
	"golang.org/x/sys/unix"
)

// Kind is what happened to a call.
type Kind int

// The kinds of outcome.
const (
	// NotRun: the child never made the call (a harness failure).
	NotRun Kind = iota
	// Returned: the call returned, allowed (Ret and Errno from the real syscall) or denied
	// with an errno by the filter (Errno is the filter's data). Also user_notif without a
	// listener and trace without a tracer, which return ENOSYS.
	Returned
	// Trapped: the filter returned TRAP; the child's SIGSYS handler caught the signal.
	Trapped
	// KilledThread: the thread that made the call died and the process lived on.
	KilledThread
	// KilledProcess: the whole process died by a signal (SIGSYS for a filter kill).
	KilledProcess
	// Blocked: the call did not return within the harness's wait (user_notif with a
	// listener nobody reads, for example).
	Blocked
)

var kindNames = [...]string{
	NotRun: "not run", Returned: "returned", Trapped: "trapped",
	KilledThread: "killed thread", KilledProcess: "killed process", Blocked: "blocked",
}

// String names the kind.
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Outcome is what happened to one call.
type Outcome struct {
	Kind Kind
	// Ret is the raw return register. For Trapped it is what the interrupted syscall
	// appears to return: the kernel rolls the register back to the syscall number.
	Ret uint64
	// Errno is the error of a Returned call (0 on success).
	Errno unix.Errno
	// TrapData, TrapNr and TrapArch are the SIGSYS siginfo of a Trapped call: si_errno
	// (the filter's SECCOMP_RET_DATA), si_syscall and si_arch.
	TrapData uint16
	TrapNr   int32
	TrapArch uint32
	// Signal is the signal that killed the process (KilledProcess), Core whether it dumped
	// core (the child makes itself non-dumpable, so normally false).
	Signal syscall.Signal
	Core   bool
}

// String describes the outcome: "returned 42", "errno 1000", "trapped data=0x42 nr=110 ...".
func (o Outcome) String() string {
	switch o.Kind {
	case Returned:
		if o.Errno != 0 {
			return fmt.Sprintf("errno %d (%v)", int(o.Errno), o.Errno)
		}
		return fmt.Sprintf("returned %d", o.Ret)
	case Trapped:
		return fmt.Sprintf("trapped data=%#x nr=%d arch=%#x", o.TrapData, o.TrapNr, o.TrapArch)
	case KilledProcess:
		return fmt.Sprintf("killed process by %v (core: %v)", o.Signal, o.Core)
	}
	return o.Kind.String()
}

// IsErrno tells whether the call returned with errno e.
func (o Outcome) IsErrno(e unix.Errno) bool { return o.Kind == Returned && o.Errno == e }

// Matches tells whether the outcome is what the kernel does for a filter action, with no
// tracer and no listener attached. Allow and log match any returned call (the real
// syscall's result is not the filter's business); errno(N) matches errno min(N, 4095), and
// errno(0) a return of 0; user_notif and trace match ENOSYS; trap(N) a trap with data N;
// kill_thread and kill_process a killed thread and a process killed by SIGSYS.
func (o Outcome) Matches(a ir.Action) bool {
	switch a.Kind {
	case ir.Allow, ir.Log:
		return o.Kind == Returned
	case ir.Errno:
		if a.Data == 0 {
			return o.Kind == Returned && o.Errno == 0 && o.Ret == 0
		}
		return o.IsErrno(unix.Errno(min(a.Data, ir.MaxErrno)))
	case ir.UserNotif, ir.Trace:
		return o.IsErrno(unix.ENOSYS)
	case ir.Trap:
		return o.Kind == Trapped && o.TrapData == a.Data
	case ir.KillThread:
		return o.Kind == KilledThread
	case ir.KillProcess:
		return o.Kind == KilledProcess && o.Signal == syscall.SIGSYS
	}
	return false
}

func hex(v uint64) string { return fmt.Sprintf("%#x", v) }
