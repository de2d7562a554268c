//go:build linux

// Command notify-supervisor answers seccomp user notifications: the calls a filter returns
// user_notif for wait until a supervisor holding the filter's listener fd decides them. It
// answers socket(2) by making the socket itself and installing it in the calling task
// (SECCOMP_IOCTL_NOTIF_ADDFD with SECCOMP_ADDFD_FLAG_SEND: the call returns the new fd),
// and lets every other call run as it is (SECCOMP_USER_NOTIF_FLAG_CONTINUE). It uses scc's
// loader package for the notification calls.
//
// Usage:
//
//	notify-supervisor SOCKET   listen on the unix socket SOCKET, as an OCI profile's
//	                           listenerPath names it, for runtimes (runc) to send listeners
//	notify-supervisor -demo    run a child under sandbox.sc and supervise it
//
// A runtime connects to SOCKET after it installs the container's filter and sends one
// message: the container's state as JSON (runc's ContainerProcessState: "fds" names the fds
// passed, "seccompFd" among them; "metadata" is the profile's listenerMetadata) with the fds
// as SCM_RIGHTS. The demo does the same over a socket pair: its child compiles sandbox.sc
// with scc's pipeline, installs it with the loader (flags new_listener) and sends the
// listener; then it calls socket(AF_INET, SOCK_DGRAM, 0), which the supervisor answers with
// a socket it bound to 127.0.0.1 itself, and getppid(), which it lets run.
package main

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"

	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/loader"
	"github.com/scc-dev/scc/pipeline"
)

//go:embed sandbox.sc
var sandboxPolicy []byte

// processState is the part of runc's ContainerProcessState (runtime-spec, seccomp
// listener) the supervisor reads.
type processState struct {
	Fds      []string `json:"fds"`
	Pid      int      `json:"pid"`
	Metadata string   `json:"metadata"`
}

func main() {
	var err error
	switch {
	case len(os.Args) == 2 && os.Args[1] == "-demo":
		err = demo()
	case len(os.Args) == 2 && os.Getenv(childEnv) != "":
		err = child()
	case len(os.Args) == 2:
		err = listen(os.Args[1])
	default:
		fmt.Fprintln(os.Stderr, "usage: notify-supervisor SOCKET | -demo")
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "notify-supervisor:", err)
		os.Exit(1)
	}
}

// listen accepts runtimes' connections on a unix socket and supervises each listener sent.
func listen(path string) error {
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return err
	}
	defer l.Close()
	for {
		conn, err := l.AcceptUnix()
		if err != nil {
			return err
		}
		go func() {
			if err := serveConn(conn); err != nil {
				fmt.Fprintln(os.Stderr, "notify-supervisor:", err)
			}
		}()
	}
}

// serveConn reads one runtime message from conn and supervises its seccomp listener.
func serveConn(conn *net.UnixConn) error {
	defer conn.Close()
	state, listener, err := receiveListener(conn)
	if err != nil {
		return err
	}
	defer unix.Close(listener)
	fmt.Printf("supervising pid %d (metadata %q)\n", state.Pid, state.Metadata)
	return supervise(listener)
}

// receiveListener reads the state and the fds of one message, and returns the seccomp fd.
func receiveListener(conn *net.UnixConn) (processState, int, error) {
	var st processState
	buf, oob := make([]byte, 1<<16), make([]byte, unix.CmsgSpace(4*8))
	n, oobn, _, _, err := conn.ReadMsgUnix(buf, oob)
	if err != nil {
		return st, -1, err
	}
	fds, err := parseRights(oob[:oobn])
	if err != nil {
		return st, -1, err
	}
	if err := json.Unmarshal(buf[:n], &st); err != nil {
		closeAll(fds)
		return st, -1, fmt.Errorf("the runtime's state: %w", err)
	}
	for i, name := range st.Fds {
		if name == "seccompFd" && i < len(fds) {
			closeAll(append(fds[:i:i], fds[i+1:]...))
			return st, fds[i], nil
		}
	}
	closeAll(fds)
	return st, -1, errors.New("the runtime sent no seccompFd")
}

func parseRights(oob []byte) ([]int, error) {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return nil, err
	}
	var fds []int
	for _, m := range msgs {
		got, err := unix.ParseUnixRights(&m)
		if err == nil {
			fds = append(fds, got...)
		}
	}
	return fds, nil
}

func closeAll(fds []int) {
	for _, fd := range fds {
		unix.Close(fd)
	}
}

// supervise answers the listener's notifications until the filtered tasks are gone: the
// listener then polls as hung up (a receive would wait for ever).
func supervise(listener int) error {
	for {
		pfd := []unix.PollFd{{Fd: int32(listener), Events: unix.POLLIN}}
		if _, err := unix.Poll(pfd, -1); err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			return err
		}
		if pfd[0].Revents&unix.POLLIN == 0 {
			return nil // POLLHUP: no task uses the filter any more
		}
		n, err := loader.ReceiveNotif(listener)
		switch {
		case errors.Is(err, unix.EINTR), errors.Is(err, unix.ENOENT):
			continue // a signal, or a task killed before we received its call
		case err != nil:
			return err
		}
		if err := answer(listener, n); err != nil && !errors.Is(err, unix.ENOENT) {
			return err
		}
	}
}

// answer decides one notification: socket gets a socket of the supervisor's, anything
// else runs as it is.
func answer(listener int, n loader.Notif) error {
	if n.Data.Nr == unix.SYS_SOCKET {
		return giveSocket(listener, n)
	}
	fmt.Printf("continue syscall %d of task %d\n", n.Data.Nr, n.Pid)
	return loader.SendNotifResp(listener, loader.NotifResp{ID: n.ID, Flags: loader.NotifFlagContinue})
}

// giveSocket makes the socket the task asked for (domain, type and protocol are in its
// registers: no memory to read), binds it to the loopback address, and installs it in the
// task as the call's result. A supervisor could make it in another network namespace.
func giveSocket(listener int, n loader.Notif) error {
	domain, typ, proto := int(int32(n.Data.Args[0])), int(int32(n.Data.Args[1])), int(int32(n.Data.Args[2]))
	fd, err := unix.Socket(domain, typ, proto)
	if err != nil {
		errno, _ := err.(unix.Errno)
		return loader.SendNotifResp(listener, loader.NotifResp{ID: n.ID, Error: -int32(errno)})
	}
	defer unix.Close(fd)
	if domain == unix.AF_INET {
		if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
			return err
		}
	}
	var flags uint32
	if typ&unix.SOCK_CLOEXEC != 0 {
		flags = unix.O_CLOEXEC
	}
	newfd, err := loader.AddFD(listener, loader.NotifAddFD{
		ID: n.ID, Flags: loader.AddFDSend, SrcFD: uint32(fd), NewFDFlags: flags,
	})
	if err != nil {
		return err
	}
	fmt.Printf("socket(%d, %#x, %d) of task %d: gave it fd %d\n", domain, typ, proto, n.Pid, newfd)
	return nil
}

// childEnv marks the demo's child process.
const childEnv = "NOTIFY_SUPERVISOR_CHILD"

// demo runs itself as a child under sandbox.sc and supervises it through a socket pair,
// which carries the listener as a runtime's socket would.
func demo() error {
	pair, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	parentEnd, childEnd := os.NewFile(uintptr(pair[0]), "parent"), os.NewFile(uintptr(pair[1]), "child")
	cmd := exec.Command(os.Args[0], "child")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d", childEnv, os.Getpid()))
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.ExtraFiles = []*os.File{childEnd} // fd 3 in the child
	if err := cmd.Start(); err != nil {
		return err
	}
	childEnd.Close()
	conn, err := net.FileConn(parentEnd)
	parentEnd.Close()
	if err != nil {
		return err
	}
	if err := serveConn(conn.(*net.UnixConn)); err != nil {
		return err
	}
	return cmd.Wait()
}

// child installs sandbox.sc, sends the listener to the supervisor on fd 3, and makes the
// calls the supervisor answers.
func child() error {
	out, errs := pipeline.BuildSource("sandbox.sc", sandboxPolicy, pipeline.Options{})
	if errs.HasErrors() {
		return errs.Err()
	}
	blob, err := out.Filter.Blob().MarshalBinary()
	if err != nil {
		return err
	}
	f, err := loader.LoadBlob(blob, loader.Options{})
	if err != nil {
		return err
	}
	listener, err := f.InstallGo()
	if err != nil {
		return err
	}
	state, _ := json.Marshal(processState{Fds: []string{"seccompFd"}, Pid: os.Getpid(), Metadata: out.Policy.Listener.Metadata})
	if err := unix.Sendmsg(3, state, unix.UnixRights(listener), nil, 0); err != nil {
		return err
	}
	unix.Close(listener)
	unix.Close(3)

	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("socket: %w", err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return err
	}
	in4, ok := sa.(*unix.SockaddrInet4)
	if !ok || in4.Addr != [4]byte{127, 0, 0, 1} || in4.Port == 0 {
		return fmt.Errorf("socket: fd %d is not the supervisor's bound socket (%+v)", fd, sa)
	}
	fmt.Printf("child: socket() returned fd %d, bound to 127.0.0.1:%d by the supervisor\n", fd, in4.Port)
	ppid := unix.Getppid()
	fmt.Printf("child: getppid() ran: it is the supervisor's pid: %t\n", ppid == supervisorPid())
	return nil
}

// supervisorPid is the demo's parent, as the child was told in its environment.
func supervisorPid() int {
	var pid int
	fmt.Sscan(os.Getenv(childEnv), &pid)
	return pid
}
