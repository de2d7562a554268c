//go:build linux

package record

import (
	"errors"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// notifyAll is the recording filter: every system call, of every arch, goes to the listener.
var notifyAll = []bpf.RawInstruction{{Op: 0x06, K: unix.SECCOMP_RET_USER_NOTIF}}

// seccompData is the kernel's struct seccomp_data.
type seccompData struct {
	Nr                 int32
	Arch               uint32
	InstructionPointer uint64
	Args               [6]uint64
}

// seccompNotif is the kernel's struct seccomp_notif, filled by SECCOMP_IOCTL_NOTIF_RECV.
type seccompNotif struct {
	ID    uint64
	Pid   uint32
	Flags uint32
	Data  seccompData
}

// seccompNotifResp is the kernel's struct seccomp_notif_resp, read by
// SECCOMP_IOCTL_NOTIF_SEND.
type seccompNotifResp struct {
	ID    uint64
	Val   int64
	Error int32
	Flags uint32
}

// Sizes the ioctl numbers encode; a mismatch would be a build defect.
const (
	_ = uint(unsafe.Sizeof(seccompNotif{})) - 80
	_ = 80 - uint(unsafe.Sizeof(seccompNotif{}))
	_ = uint(unsafe.Sizeof(seccompNotifResp{})) - 24
	_ = 24 - uint(unsafe.Sizeof(seccompNotifResp{}))
)

// serve answers every notification on listener with SECCOMP_USER_NOTIF_FLAG_CONTINUE and
// hands its seccomp_data to seen, until no task uses the filter any more (POLLHUP).
func serve(listener int, seen func(seccompData)) error {
	for {
		fds := []unix.PollFd{{Fd: int32(listener), Events: unix.POLLIN}}
		if _, err := unix.Poll(fds, -1); err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			return err
		}
		if fds[0].Revents&unix.POLLIN != 0 {
			d, ok, err := answer(listener)
			if err != nil {
				return err
			}
			if ok {
				seen(d)
			}
			continue
		}
		if fds[0].Revents&(unix.POLLHUP|unix.POLLERR|unix.POLLNVAL) != 0 {
			return nil
		}
	}
}

// answer receives one notification and lets the call continue. It reports false when the
// notification vanished (its task was killed) before it could be received.
func answer(listener int) (seccompData, bool, error) {
	var n seccompNotif
	if err := ioctl(listener, unix.SECCOMP_IOCTL_NOTIF_RECV, unsafe.Pointer(&n)); err != nil {
		if errors.Is(err, unix.ENOENT) || errors.Is(err, unix.EINTR) {
			return seccompData{}, false, nil
		}
		return seccompData{}, false, err
	}
	resp := seccompNotifResp{ID: n.ID, Flags: unix.SECCOMP_USER_NOTIF_FLAG_CONTINUE}
	err := ioctl(listener, unix.SECCOMP_IOCTL_NOTIF_SEND, unsafe.Pointer(&resp))
	if err != nil && !errors.Is(err, unix.ENOENT) {
		// ENOENT: the task died waiting; the call was still made (or not) by its own fate.
		return seccompData{}, false, err
	}
	return n.Data, true, nil
}

// ioctl makes an ioctl with a pointer argument, retrying on EINTR only for SEND.
func ioctl(fd int, req uint, arg unsafe.Pointer) error {
	for {
		_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), uintptr(req), uintptr(arg))
		if e == 0 {
			return nil
		}
		if e == unix.EINTR && req == unix.SECCOMP_IOCTL_NOTIF_SEND {
			continue
		}
		return e
	}
}
