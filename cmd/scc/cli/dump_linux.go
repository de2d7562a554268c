//go:build linux

package cli

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// ptraceSeccompGetFilter is PTRACE_SECCOMP_GET_FILTER.
const ptraceSeccompGetFilter = 0x420c

// readFilters reads every seccomp filter process pid is under, in the order they were
// installed (the kernel's index 0 is the oldest), with PTRACE_SECCOMP_GET_FILTER: it attaches to the process,
// which stops it for the time of the reading, and detaches. It needs CAP_SYS_ADMIN.
func readFilters(pid int) (progs [][]bpf.RawInstruction, err error) {
	runtime.LockOSThread() // ptrace's tracer is a thread
	defer runtime.UnlockOSThread()
	if err := unix.PtraceSeize(pid); err != nil {
		return nil, ptraceError(pid, "attach to", err)
	}
	defer unix.PtraceDetach(pid)
	if err := unix.PtraceInterrupt(pid); err != nil {
		return nil, ptraceError(pid, "stop", err)
	}
	var ws unix.WaitStatus
	if _, err := unix.Wait4(pid, &ws, unix.WALL, nil); err != nil {
		return nil, ptraceError(pid, "wait for", err)
	}
	for i := 0; ; i++ {
		n, _, errno := unix.Syscall6(unix.SYS_PTRACE, ptraceSeccompGetFilter, uintptr(pid), uintptr(i), 0, 0, 0)
		if errno == unix.ENOENT {
			return progs, nil // past the newest filter
		}
		if errno == unix.EINVAL && i == 0 && seccompMode(pid) == "0" {
			return nil, nil // no filter at all
		}
		if errno != 0 {
			return nil, ptraceError(pid, "read the filters of", errno)
		}
		prog := make([]bpf.RawInstruction, n)
		if n > 0 {
			_, _, errno = unix.Syscall6(unix.SYS_PTRACE, ptraceSeccompGetFilter, uintptr(pid), uintptr(i),
				uintptr(unsafe.Pointer(&prog[0])), 0, 0)
			if errno != 0 {
				return nil, ptraceError(pid, "read the filters of", errno)
			}
		}
		progs = append(progs, prog)
	}
}

// seccompMode is the Seccomp field of /proc/PID/status: 0 none, 1 strict, 2 filter.
func seccompMode(pid int) string {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "Seccomp:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// ptraceError explains a failed ptrace request.
func ptraceError(pid int, what string, err error) error {
	switch {
	case errors.Is(err, unix.ESRCH):
		return fmt.Errorf("cannot %s process %d: no such process", what, pid)
	case errors.Is(err, unix.EPERM), errors.Is(err, unix.EACCES):
		return fmt.Errorf("cannot %s process %d: %v (reading a process's filters needs CAP_SYS_ADMIN, and ptrace access to it)", what, pid, err)
	case errors.Is(err, unix.EINVAL):
		return fmt.Errorf("cannot %s process %d: %v (the kernel lacks PTRACE_SECCOMP_GET_FILTER: CONFIG_CHECKPOINT_RESTORE)", what, pid, err)
	}
	return fmt.Errorf("cannot %s process %d: %v", what, pid, err)
}
