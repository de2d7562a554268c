//go:build linux

package record

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/internal/reexec"
	"github.com/scc-dev/scc/loader"
	"github.com/scc-dev/scc/program"
)

// helperRole is the helper's role in the re-execution protocol (package reexec): its
// arguments are the command's argv, and helperSocket its end of the recorder's socket.
const helperRole = "record"

// helperSocket is the descriptor of the helper's end of the socket (the recorder's
// ExtraFiles[0]).
const helperSocket = 3

// childExit is the helper's exit status when the command could not be started.
const childExit = 127

// init registers the helper: a binary that imports record and is started by Run as its
// helper runs helperMain before anything else.
func init() {
	reexec.Register(helperRole, helperMain)
}

// helperMain is the helper's side of Run: it installs the recording filter on the calling
// thread only and executes its arguments (the command, looked up in PATH) with its
// environment, which reexec has stripped of the helper's mark. The recorder takes the
// listener from this process with pidfd_getfd(2): the filtered thread cannot send it, since
// its own system calls (the Go runtime's futex wake-ups and signal returns included) wait
// for a recorder that does not have the listener yet. Only the thread that calls execve is
// filtered, so the runtime's other threads never wait; after execve the command's single
// thread and everything it starts inherit the filter.
//
// helperMain returns only on failure, having reported the error to the recorder over the
// socket: with status 127.
func helperMain() int {
	syscall.CloseOnExec(helperSocket)
	err := startCommand(os.Args[1:])
	report(helperSocket, err)
	return childExit
}

// startCommand does helperMain's work and returns only on failure.
func startCommand(argv []string) error {
	if len(argv) == 0 {
		return fmt.Errorf("no command")
	}
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return err
	}
	env := os.Environ()
	runtime.LockOSThread() // never undone: this thread execs
	// From here on every system call of this thread waits until the recorder, which takes
	// the listener with pidfd_getfd(2), answers it.
	if _, err := loader.Install(notifyAll, loader.Options{Flags: program.FlagNewListener}); err != nil {
		return err
	}
	return syscall.Exec(path, argv, env)
}

// report tells the recorder why the command did not start.
func report(sock int, err error) {
	msg := "E" + err.Error()
	if uerr := unix.Sendmsg(sock, []byte(msg), nil, nil, 0); uerr != nil {
		fmt.Fprintf(os.Stderr, "scc record: %v\n", err)
	}
}
