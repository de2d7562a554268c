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
