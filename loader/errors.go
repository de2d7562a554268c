//go:build linux

package loader

import (
	"errors"
	"fmt"
	"strings"

	"github.com/scc-dev/scc/program"
)

// ErrUnsupported is wrapped by every error that reports a feature the running kernel lacks:
// test for it with errors.Is.
var ErrUnsupported = errors.New(unsupported)

// unsupported is ErrUnsupported's text.
const unsupported = "not supported by the running kernel"

// ErrKillProcessUnsupported is returned for a process-killing filter on a kernel without
// SECCOMP_RET_KILL_PROCESS (Linux < 4.14), unless Options.AcceptThreadKill is set.
// It wraps ErrUnsupported.
var ErrKillProcessUnsupported error = &unsupportedError{
	"loader: the filter is marked process-killing but SECCOMP_RET_KILL_PROCESS is " +
		unsupported + " (its kills would end only the calling thread; set AcceptThreadKill to accept that)"}

// unsupportedError is an error that wraps ErrUnsupported. Unlike fmt.Errorf's, it is built
// with no code at the start of every process.
type unsupportedError struct{ msg string }

func (e *unsupportedError) Error() string { return e.msg }
func (e *unsupportedError) Unwrap() error { return ErrUnsupported }

// ErrArch is wrapped by an ArchError: test for it with errors.Is.
var ErrArch = errors.New("filter does not cover the running kernel's architecture")

// FlagError reports a kernel filter flag the running kernel does not know, or a combination
// of flags it refuses. It wraps ErrUnsupported when a single flag is unknown.
type FlagError struct {
	Flags  uint32 // the offending flag bit, or the refused combination
	Reason string // why, for a refused combination; empty for an unknown flag
}

// Error names the flag, or the combination and the kernel's rule.
func (e *FlagError) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("loader: kernel filter flags %s are refused: %s",
			program.FlagString(e.Flags), e.Reason)
	}
	return fmt.Sprintf("loader: kernel filter flag %s is %v", program.FlagString(e.Flags), ErrUnsupported)
}

// Unwrap makes errors.Is(err, ErrUnsupported) hold for an unknown flag.
func (e *FlagError) Unwrap() error {
	if e.Reason != "" {
		return nil
	}
	return ErrUnsupported
}

// ArchError reports that the running kernel's native audit architecture is not among the
// architectures a filter was compiled for. Such a filter would kill every system call.
type ArchError struct {
	Native uint32   // the running kernel's AUDIT_ARCH_* value
	Arches []uint32 // the filter's architectures
}

// Error names the kernel's arch and the filter's.
func (e *ArchError) Error() string {
	names := make([]string, len(e.Arches))
	for i, a := range e.Arches {
		names[i] = ArchName(a)
	}
	return fmt.Sprintf("loader: %v: the kernel is %s, the filter covers [%s]",
		ErrArch, ArchName(e.Native), strings.Join(names, ", "))
}

// Unwrap makes errors.Is(err, ErrArch) hold.
func (e *ArchError) Unwrap() error { return ErrArch }

// SyscallError reports a failed system call during installation, with the step that failed.
type SyscallError struct {
	Op  string // "prctl(PR_SET_NO_NEW_PRIVS)", "seccomp(SECCOMP_SET_MODE_FILTER)", ...
	Err error  // the unix.Errno
}

// Error names the step and the errno.
func (e *SyscallError) Error() string { return fmt.Sprintf("loader: %s: %v", e.Op, e.Err) }

// Unwrap returns the errno.
func (e *SyscallError) Unwrap() error { return e.Err }
