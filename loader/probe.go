//go:build linux

package loader

import (
	"errors"
	"fmt"
	"math/bits"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Kernel filter flags (SECCOMP_FILTER_FLAG_*), by their real values: what Options.Flags holds
// and what seccomp(2) receives.
const (
	FlagTSync            uint32 = unix.SECCOMP_FILTER_FLAG_TSYNC              // 1: apply to every thread
	FlagLog              uint32 = unix.SECCOMP_FILTER_FLAG_LOG                // 2: log every non-allow action
	FlagSpecAllow        uint32 = unix.SECCOMP_FILTER_FLAG_SPEC_ALLOW         // 4: no forced SSB mitigation
	FlagNewListener      uint32 = unix.SECCOMP_FILTER_FLAG_NEW_LISTENER       // 8: return a user-notification fd
	FlagTSyncESRCH       uint32 = unix.SECCOMP_FILTER_FLAG_TSYNC_ESRCH        // 16: TSYNC fails with ESRCH, not a tid
	FlagWaitKillableRecv uint32 = unix.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV // 32: killable wait once received
)

var flagNames = map[uint32]string{
	FlagTSync:            "TSYNC",
	FlagLog:              "LOG",
	FlagSpecAllow:        "SPEC_ALLOW",
	FlagNewListener:      "NEW_LISTENER",
	FlagTSyncESRCH:       "TSYNC_ESRCH",
	FlagWaitKillableRecv: "WAIT_KILLABLE_RECV",
}

// FlagString spells a set of kernel filter flags, e.g. "TSYNC|LOG (0x3)"; bits without a name
// read "bit30".
func FlagString(flags uint32) string {
	if flags == 0 {
		return "none (0x0)"
	}
	var parts []string
	for f := flags; f != 0; f &= f - 1 {
		bit := f & -f
		name, ok := flagNames[bit]
		if !ok {
			name = fmt.Sprintf("bit%d", bits.TrailingZeros32(bit))
		}
		parts = append(parts, name)
	}
	return fmt.Sprintf("%s (%#x)", strings.Join(parts, "|"), flags)
}

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

// prerequisites returns the flags the kernel insists on alongside flags: WAIT_KILLABLE_RECV
// is refused without NEW_LISTENER.
func prerequisites(flags uint32) uint32 {
	if flags&FlagWaitKillableRecv != 0 {
		return FlagNewListener
	}
	return 0
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
// NEW_LISTENER) are probed with it. Nothing is installed.
func FlagSupported(flag uint32) bool {
	for f := flag; f != 0; f &= f - 1 {
		bit := f & -f
		if probe(bit|prerequisites(bit)) != nil {
			return false
		}
	}
	return true
}

// checkFlags makes sure the kernel accepts flags as a whole, naming the first unknown flag or
// explaining a refused combination.
func checkFlags(flags uint32) error {
	for f := flags; f != 0; f &= f - 1 {
		bit := f & -f
		err := probe(bit | prerequisites(bit))
		if err == errFlagRefused {
			return &FlagError{Flags: bit}
		}
		if err != nil {
			return err
		}
	}
	if reason := combinationRule(flags); reason != "" {
		return &FlagError{Flags: flags, Reason: reason}
	}
	err := probe(flags)
	if err == errFlagRefused {
		return &FlagError{Flags: flags, Reason: "the kernel refuses this combination"}
	}
	return err
}

// combinationRule names the kernel's rule that flags break, if any (kernel/seccomp.c).
func combinationRule(flags uint32) string {
	if flags&FlagTSync != 0 && flags&FlagNewListener != 0 && flags&FlagTSyncESRCH == 0 {
		return "TSYNC with NEW_LISTENER needs TSYNC_ESRCH (a failed TSYNC would return a thread id " +
			"indistinguishable from a listener fd)"
	}
	if flags&FlagWaitKillableRecv != 0 && flags&FlagNewListener == 0 {
		return "WAIT_KILLABLE_RECV needs NEW_LISTENER"
	}
	return ""
}
