//go:build linux

package record

import (
	"errors"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/loader"
	"github.com/scc-dev/scc/program"
)

// notifyAll is the recording filter: every system call, of every arch, goes to the listener.
var notifyAll = []bpf.RawInstruction{{Op: 0x06, K: unix.SECCOMP_RET_USER_NOTIF}}

// serve answers every notification on listener with SECCOMP_USER_NOTIF_FLAG_CONTINUE and
// hands its seccomp_data to seen, until no task uses the filter any more (POLLHUP).
func serve(listener int, seen func(program.SeccompData)) error {
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
func answer(listener int) (program.SeccompData, bool, error) {
	n, err := loader.ReceiveNotif(listener)
	if err != nil {
		if errors.Is(err, unix.ENOENT) || errors.Is(err, unix.EINTR) {
			return program.SeccompData{}, false, nil
		}
		return program.SeccompData{}, false, err
	}
	resp := loader.NotifResp{ID: n.ID, Flags: unix.SECCOMP_USER_NOTIF_FLAG_CONTINUE}
	if err := loader.SendNotifResp(listener, resp); err != nil && !errors.Is(err, unix.ENOENT) {
		// ENOENT: the task died waiting; the call was still made (or not) by its own fate.
		return program.SeccompData{}, false, err
	}
	return n.Data, true, nil
}
