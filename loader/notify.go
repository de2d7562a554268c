//go:build linux

package loader

import (
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/program"
)

// Notif is the kernel's struct seccomp_notif: a call that a filter returned
// SECCOMP_RET_USER_NOTIF for, waiting on the listener that Install returns with
// FlagNewListener.
type Notif struct {
	ID    uint64
	Pid   uint32
	Flags uint32
	Data  program.SeccompData
}

// NotifResp is the kernel's struct seccomp_notif_resp: the answer to the notification ID,
// either Val with Error 0, the error -Error, or (with SECCOMP_USER_NOTIF_FLAG_CONTINUE in
// Flags) the call made as it is.
type NotifResp struct {
	ID    uint64
	Val   int64
	Error int32
	Flags uint32
}

// Sizes the ioctl numbers encode; a mismatch would be a build defect.
const (
	_ = uint(unsafe.Sizeof(Notif{})) - 80
	_ = 80 - uint(unsafe.Sizeof(Notif{}))
	_ = uint(unsafe.Sizeof(NotifResp{})) - 24
	_ = 24 - uint(unsafe.Sizeof(NotifResp{}))
)

// ReceiveNotif waits for the next notification on listener (SECCOMP_IOCTL_NOTIF_RECV). Its
// error is a *SyscallError that wraps the kernel's errno: EINTR when a signal ended the wait,
// ENOENT when the notification's task was killed before it was received; both are worth
// waiting again for.
func ReceiveNotif(listener int) (Notif, error) {
	var n Notif
	err := notifIoctl(listener, unix.SECCOMP_IOCTL_NOTIF_RECV, unsafe.Pointer(&n))
	if err != nil {
		return Notif{}, &SyscallError{Op: "ioctl(SECCOMP_IOCTL_NOTIF_RECV)", Err: err}
	}
	return n, nil
}

// SendNotifResp answers a notification on listener (SECCOMP_IOCTL_NOTIF_SEND), again when a
// signal interrupts it. Its error is a *SyscallError that wraps the kernel's errno: ENOENT
// when the notification's task was killed while it waited.
func SendNotifResp(listener int, resp NotifResp) error {
	for {
		err := notifIoctl(listener, unix.SECCOMP_IOCTL_NOTIF_SEND, unsafe.Pointer(&resp))
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return &SyscallError{Op: "ioctl(SECCOMP_IOCTL_NOTIF_SEND)", Err: err}
		}
		return nil
	}
}

func notifIoctl(fd int, req uint, arg unsafe.Pointer) error {
	_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), uintptr(req), uintptr(arg))
	if e != 0 {
		return e
	}
	return nil
}

// Flags of a notification's answer and of AddFD.
const (
	// NotifFlagContinue (SECCOMP_USER_NOTIF_FLAG_CONTINUE, Linux 5.5), in NotifResp.Flags,
	// lets the notified call run as it is; Val and Error must be 0. The call is not checked
	// again: a supervisor that continues a call must not decide on memory the task can
	// still change.
	NotifFlagContinue = unix.SECCOMP_USER_NOTIF_FLAG_CONTINUE
	// AddFDSetFD (SECCOMP_ADDFD_FLAG_SETFD) installs the fd at NotifAddFD.NewFD exactly.
	AddFDSetFD = unix.SECCOMP_ADDFD_FLAG_SETFD
	// AddFDSend (SECCOMP_ADDFD_FLAG_SEND, Linux 5.14) also answers the notification: the
	// call returns the new fd's number, atomically with its installation.
	AddFDSend = unix.SECCOMP_ADDFD_FLAG_SEND
)

// NotifAddFD is the kernel's struct seccomp_notif_addfd: a file of the supervisor (SrcFD)
// to install in the task of notification ID, at NewFD with AddFDSetFD, with NewFDFlags
// (O_CLOEXEC) on the new descriptor.
type NotifAddFD struct {
	ID         uint64
	Flags      uint32
	SrcFD      uint32
	NewFD      uint32
	NewFDFlags uint32
}

const (
	_ = uint(unsafe.Sizeof(NotifAddFD{})) - 24
	_ = 24 - uint(unsafe.Sizeof(NotifAddFD{}))
)

// AddFD installs a copy of a supervisor's file in a notified task (SECCOMP_IOCTL_NOTIF_ADDFD,
// Linux 5.9) and returns its number there. With AddFDSend it answers the notification too;
// without, the supervisor still sends an answer (typically Val = the new number). Its error
// is a *SyscallError wrapping the kernel's errno: ENOENT when the task is gone or the
// notification already answered, EINPROGRESS when it was not received yet.
func AddFD(listener int, a NotifAddFD) (int, error) {
	for {
		r, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(listener), uintptr(unix.SECCOMP_IOCTL_NOTIF_ADDFD), uintptr(unsafe.Pointer(&a)))
		if e == unix.EINTR {
			continue
		}
		if e != 0 {
			return -1, &SyscallError{Op: "ioctl(SECCOMP_IOCTL_NOTIF_ADDFD)", Err: e}
		}
		return int(r), nil
	}
}

// NotifIDValid tells whether notification id is still pending on listener
// (SECCOMP_IOCTL_NOTIF_ID_VALID): a supervisor that reads the task's memory checks it after
// reading, since the task may have died and its pid been reused meanwhile.
func NotifIDValid(listener int, id uint64) bool {
	return notifIoctl(listener, unix.SECCOMP_IOCTL_NOTIF_ID_VALID, unsafe.Pointer(&id)) == nil
}
