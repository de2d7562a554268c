//go:build linux

package loader

import (
	"errors"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/program"
)

// seccomp calls seccomp(2).
func seccomp(op, flags uint32, arg unsafe.Pointer) (uintptr, error) {
	r, _, errno := unix.Syscall(unix.SYS_SECCOMP, uintptr(op), uintptr(flags), uintptr(arg))
	if errno != 0 {
		return r, errno
	}
	return r, nil
}

// ActionAvailable tells whether the running kernel knows a filter return action
// (SECCOMP_GET_ACTION_AVAIL). Only the action part of the value counts: ERRNO|5 asks about
// ERRNO. A kernel without seccomp(2) (before 3.17) or without the query (before 4.14) has
// none available.
func ActionAvailable(action uint32) bool {
	a := action & unix.SECCOMP_RET_ACTION_FULL
	_, err := seccomp(unix.SECCOMP_GET_ACTION_AVAIL, 0, unsafe.Pointer(&a))
	return err == nil
}

// probe asks the kernel whether it accepts exactly these flags, without installing anything:
// seccomp(SECCOMP_SET_MODE_FILTER, flags, NULL) validates the flags (EINVAL when one is
// unknown or the combination is refused) before it copies the program in (EFAULT for NULL).
// See kernel/seccomp.c, seccomp_set_mode_filter. It returns nil when the flags are accepted,
// errFlagRefused when refused, and any other errno as it came.
func probe(flags uint32) error {
	_, err := seccomp(unix.SECCOMP_SET_MODE_FILTER, flags, nil)
	switch err {
	case unix.EFAULT:
		return nil
	case unix.EINVAL:
		return errFlagRefused
	case nil:
		// Impossible with a NULL program; never claim success on a surprise.
		return &SyscallError{Op: "seccomp(SECCOMP_SET_MODE_FILTER) probe", Err: unix.EINVAL}
	}
	return &SyscallError{Op: "seccomp(SECCOMP_SET_MODE_FILTER) probe", Err: err}
}

var errFlagRefused = errors.New("flags refused")

// FlagSupported tells whether the running kernel knows every kernel filter flag in flag.
// Flags that the kernel accepts only together with another (WAIT_KILLABLE_RECV needs
// NEW_LISTENER: program.FlagPrerequisites) are probed with it. Nothing is installed.
func FlagSupported(flag uint32) bool {
	for f := flag; f != 0; f &= f - 1 {
		bit := f & -f
		if probe(bit|program.FlagPrerequisites(bit)) != nil {
			return false
		}
	}
	return true
}

// checkFlags makes sure the kernel accepts flags as a whole, naming the first unknown flag or
// explaining a refused combination by the kernel's rule (program.FlagRules).
func checkFlags(flags uint32) error {
	for f := flags; f != 0; f &= f - 1 {
		bit := f & -f
		err := probe(bit | program.FlagPrerequisites(bit))
		if err == errFlagRefused {
			return &FlagError{Flags: bit}
		}
		if err != nil {
			return err
		}
	}
	if rule, broken := program.BrokenFlagRule(flags); broken {
		return &FlagError{Flags: flags, Reason: rule.String()}
	}
	err := probe(flags)
	if err == errFlagRefused {
		return &FlagError{Flags: flags, Reason: "the kernel refuses this combination"}
	}
	return err
}
