//go:build linux

package record

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/loader"
	"github.com/scc-dev/scc/program"
)

// envChild marks the re-executed helper; its value is the number of the socket inherited from
// the recorder.
const envChild = "SCC_RECORD_CHILD"

// childExit is the helper's exit status when the command could not be started.
const childExit = 127

// IsChild tells whether this process is the helper a recorder re-executed: a program that
// records must then call ChildMain before doing anything else.
func IsChild() bool { return os.Getenv(envChild) != "" }

// ChildMain is the helper's side of Run: it installs the recording filter on the calling
// thread only and executes argv (looked up in PATH) with the environment minus the helper's
// mark. The recorder takes the listener from this process with pidfd_getfd(2): the filtered
// thread cannot send it, since its own system calls (the Go runtime's futex wake-ups and
// signal returns included) wait for a recorder that does not have the listener yet. Only the
// thread that calls execve is filtered, so the runtime's other threads never wait; after
// execve the command's single thread and everything it starts inherit the filter.
//
// ChildMain never returns: on failure it reports the error to the recorder over the socket
// and exits with status 127.
func ChildMain(argv []string) {
	sock, err := strconv.Atoi(os.Getenv(envChild))
	if err != nil {
		fmt.Fprintf(os.Stderr, "scc record: bad %s: %v\n", envChild, err)
		os.Exit(childExit)
	}
	syscall.CloseOnExec(sock)
	err = startCommand(sock, argv)
	report(sock, err)
	os.Exit(childExit)
}

// startCommand does ChildMain's work and returns only on failure.
func startCommand(sock int, argv []string) error {
	if len(argv) == 0 {
		return fmt.Errorf("no command")
	}
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return err
	}
	env := childEnv(os.Environ())
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

// childEnv is env without the helper's mark.
func childEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if !strings.HasPrefix(kv, envChild+"=") {
			out = append(out, kv)
		}
	}
	return out
}
