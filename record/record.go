//go:build linux

// Package record runs a command under a filter that reports every system call, and turns
// what it saw into a policy.
//
// Recording uses seccomp user notification: the program re-executes itself as a helper (the
// role "record" of package reexec, which this package's init function registers), which
// installs a one-instruction filter returning
// SECCOMP_RET_USER_NOTIF with SECCOMP_FILTER_FLAG_NEW_LISTENER and executes the command; the
// recorder takes the listener from the helper with pidfd_getfd(2) (Linux 5.6), and an
// inherited close-on-exec socket tells it whether execve succeeded. The recorder
// answers every notification with SECCOMP_USER_NOTIF_FLAG_CONTINUE and counts it by arch and
// number; the command's threads and children inherit the filter. Calls made by the helper
// before its execve are not recorded.
//
// Run does the recording; Generate writes the policy.
//
// It must not import the optimizer or the back end: it writes policy text.
package record

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/internal/reexec"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/stdlib"
)

// Run runs opts.Argv under the recording filter until it and every task that inherited the
// filter have exited, and returns what it called. A failure to start is a *StartError.
func Run(opts Options) (*Recording, error) {
	if len(opts.Argv) == 0 {
		return nil, &StartError{errors.New("no command")}
	}
	if _, err := exec.LookPath(opts.Argv[0]); err != nil {
		return nil, &StartError{err}
	}
	cmd, sock, err := startHelper(opts)
	if err != nil {
		return nil, err
	}
	defer sock.Close()
	stopSignals := forwardSignals(cmd.Process, opts.Forward)
	defer stopSignals()
	listener, err := takeListener(cmd.Process.Pid, sock)
	if err != nil {
		_ = cmd.Wait()
		return nil, &StartError{err}
	}
	return supervise(cmd, sock, listener, opts)
}

// startHelper starts the helper with one end of a socket pair, and returns the other.
func startHelper(opts Options) (*exec.Cmd, *os.File, error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	ours, theirs := os.NewFile(uintptr(fds[0]), "record"), os.NewFile(uintptr(fds[1]), "helper")
	defer theirs.Close()
	cmd := reexec.Command(context.Background(), helperRole, opts.Env, opts.Argv...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = opts.Stdin, opts.Stdout, opts.Stderr
	cmd.ExtraFiles = []*os.File{theirs}
	if err := cmd.Start(); err != nil {
		ours.Close()
		return nil, nil, &StartError{err}
	}
	return cmd, ours, nil
}

// takeListener waits for the helper to install the filter and takes its listener with
// pidfd_getfd(2), or returns why the helper failed.
func takeListener(pid int, sock *os.File) (int, error) {
	pidfd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		return -1, fmt.Errorf("pidfd_open: %w", err)
	}
	defer unix.Close(pidfd)
	for {
		if fd, ok := findListener(pid); ok {
			l, err := unix.PidfdGetfd(pidfd, fd, 0)
			if err != nil {
				return -1, fmt.Errorf("pidfd_getfd: %w", err)
			}
			return l, nil
		}
		fds := []unix.PollFd{{Fd: int32(sock.Fd()), Events: unix.POLLIN}}
		if n, _ := unix.Poll(fds, 1); n > 0 {
			if err := helperOutcome(sock); err != nil {
				return -1, err
			}
			return -1, errors.New("the helper exited before installing the filter")
		}
	}
}

// listenerLink is what /proc/PID/fd/N reads for a seccomp listener.
const listenerLink = "anon_inode:seccomp notify"

// findListener looks for the seccomp listener among the open files of a process.
func findListener(pid int) (int, bool) {
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return -1, false
	}
	for _, e := range entries {
		if link, err := os.Readlink(dir + "/" + e.Name()); err == nil && link == listenerLink {
			fd, err := strconv.Atoi(e.Name())
			return fd, err == nil
		}
	}
	return -1, false
}

// supervise answers notifications until every filtered task has exited, and waits for the
// command.
func supervise(cmd *exec.Cmd, sock *os.File, listener int, opts Options) (*Recording, error) {
	rec := newRecorder()
	served := make(chan error, 1)
	go func() {
		served <- serve(listener, rec.seen)
		unix.Close(listener)
	}()
	stopProgress := rec.report(opts.Progress, opts.ProgressEvery)
	startErr := helperOutcome(sock)
	waitErr := cmd.Wait()
	serveErr := <-served
	stopProgress()
	if startErr != nil {
		return nil, &StartError{startErr}
	}
	var ee *exec.ExitError
	if waitErr != nil && !errors.As(waitErr, &ee) {
		return nil, waitErr
	}
	if serveErr != nil {
		return nil, fmt.Errorf("receiving notifications: %w", serveErr)
	}
	return rec.recording(opts.Argv, exitStatus(cmd.ProcessState)), nil
}

// helperOutcome waits for the helper's socket to close, which it does when execve succeeds;
// a message before that is the reason execve failed.
func helperOutcome(sock *os.File) error {
	buf := make([]byte, 4096)
	n, _, _, _, err := unix.Recvmsg(int(sock.Fd()), buf, nil, 0)
	switch {
	case err != nil:
		return err
	case n > 0 && buf[0] == 'E':
		return errors.New(string(buf[1:n]))
	}
	return nil
}

// exitStatus is the status a shell would report: the exit code, or 128 plus the signal.
func exitStatus(ps *os.ProcessState) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}

// forwardSignals passes the signals in sigs on to p until the returned function is called.
func forwardSignals(p *os.Process, sigs []os.Signal) (stop func()) {
	if len(sigs) == 0 {
		return func() {}
	}
	ch := make(chan os.Signal, 4)
	signal.Notify(ch, sigs...)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-ch:
				_ = p.Signal(s)
			case <-done:
				return
			}
		}
	}()
	return func() { signal.Stop(ch); close(done) }
}

// key identifies a syscall of an arch.
type key struct {
	arch string
	nr   uint32
}

// argSlot is an argument to collect values of: its name, register and width.
type argSlot struct {
	name  string
	index int
	mask  uint64
}

// recorder accumulates what the notifications report.
type recorder struct {
	mu      sync.Mutex
	started time.Time
	execve  uint32 // the host's execve: recording begins with the first one
	calls   map[key]*Syscall
	values  map[key]map[string]map[uint64]bool
	slots   map[key][]argSlot
	total   int
}

func newRecorder() *recorder {
	host := stdlib.HostArch()
	nr, _ := stdlib.SyscallNumber(host.Name, "execve")
	return &recorder{
		execve: nr,
		calls:  map[key]*Syscall{},
		values: map[key]map[string]map[uint64]bool{},
		slots:  map[key][]argSlot{},
	}
}

// seen records one call; calls before the helper's execve of the command are skipped.
func (r *recorder) seen(d program.SeccompData) {
	arch := archOf(d.Arch, uint32(d.Nr))
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started.IsZero() {
		if arch != stdlib.HostArch().Name || uint32(d.Nr) != r.execve {
			return
		}
		r.started = time.Now()
	}
	k := key{arch, uint32(d.Nr)}
	s := r.calls[k]
	if s == nil {
		s = r.newSyscall(k)
	}
	s.Count++
	r.total++
	for _, slot := range r.slots[k] {
		r.values[k][slot.name][d.Args[slot.index]&slot.mask] = true
	}
}

// newSyscall adds the entry for a syscall seen for the first time.
func (r *recorder) newSyscall(k key) *Syscall {
	name, _ := stdlib.SyscallName(k.arch, k.nr)
	s := &Syscall{Arch: k.arch, Nr: k.nr, Name: name}
	r.calls[k] = s
	r.slots[k] = argSlots(k.arch, name)
	r.values[k] = map[string]map[uint64]bool{}
	for _, slot := range r.slots[k] {
		r.values[k][slot.name] = map[uint64]bool{}
	}
	return s
}

// argSlots finds the registers and widths of the arguments ArgSpecs names for a syscall.
func argSlots(arch, name string) []argSlot {
	specs := ArgSpecs[name]
	if len(specs) == 0 {
		return nil
	}
	sig, ok := stdlib.LookupSignature(arch, name)
	if !ok {
		return nil
	}
	var out []argSlot
	for _, spec := range specs {
		for i, p := range sig.Params {
			if p.Name == spec.Param && i < 6 {
				mask := ^uint64(0)
				if p.Bits < 64 {
					mask = 1<<p.Bits - 1
				}
				out = append(out, argSlot{name: p.Name, index: i, mask: mask})
			}
		}
	}
	return out
}

// archOf names the ABI of a call: its audit arch, and on x86_64 the x32 bit of the number.
func archOf(audit, nr uint32) string {
	for _, a := range stdlib.Arches() {
		switch {
		case a.Audit != audit:
		case a.NrMask != 0 && nr&a.NrMask != 0:
			return a.Name
		case a.NrMask == 0 && !(audit == unix.AUDIT_ARCH_X86_64 && nr&x32Bit != 0):
			return a.Name
		}
	}
	return fmt.Sprintf("audit-%#x", audit)
}

// x32Bit is __X32_SYSCALL_BIT.
const x32Bit = 0x40000000

// progress returns the calls and distinct syscalls seen so far.
func (r *recorder) progress(final bool) Progress {
	r.mu.Lock()
	defer r.mu.Unlock()
	return Progress{Total: r.total, Distinct: len(r.calls), Final: final}
}

// report calls progress every period until the returned function is called, and once then.
func (r *recorder) report(progress func(Progress), period time.Duration) (stop func()) {
	if progress == nil {
		return func() {}
	}
	if period <= 0 {
		period = 100 * time.Millisecond
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				progress(r.progress(false))
			case <-done:
				progress(r.progress(true))
				return
			}
		}
	}()
	return func() { close(done); <-finished }
}

// recording returns the result, syscalls sorted by arch then number.
func (r *recorder) recording(argv []string, status int) *Recording {
	r.mu.Lock()
	defer r.mu.Unlock()
	rec := &Recording{Argv: argv, Started: r.started, ExitStatus: status}
	if !r.started.IsZero() {
		rec.Duration = time.Since(r.started)
	}
	for k, s := range r.calls {
		out := *s
		if len(r.slots[k]) > 0 {
			out.Args = map[string][]uint64{}
			for name, set := range r.values[k] {
				out.Args[name] = sortedValues(set)
			}
		}
		rec.Syscalls = append(rec.Syscalls, out)
	}
	sort.Slice(rec.Syscalls, func(i, j int) bool {
		a, b := rec.Syscalls[i], rec.Syscalls[j]
		if a.Arch != b.Arch {
			return a.Arch < b.Arch
		}
		return a.Nr < b.Nr
	})
	return rec
}

// IsTerminal tells whether fd is a terminal, for a progress line rewritten in place.
func IsTerminal(fd uintptr) bool {
	_, err := unix.IoctlGetTermios(int(fd), unix.TCGETS)
	return err == nil
}
