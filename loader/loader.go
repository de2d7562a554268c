//go:build linux

// Package loader installs a compiled seccomp filter into the current process.
//
// Install takes the program as golang.org/x/net/bpf raw instructions, the form the backend
// emits and bpf.Assemble returns; their layout is the kernel's struct sock_filter. Options
// carries what a blob's header holds besides the program: the kernel filter flags by their
// real values (program.Flag*), scc's process-killing mark, and the audit architectures the
// filter covers, so a blob maps straight onto an Install call. LoadBlob does that mapping
// (after checking the blob's magic, version, checksum and program), NewFilter does it for a
// program.Blob value, LoadRaw takes a bare program whose options the caller gives, and
// InstallBlob installs a blob into a Go program in one call.
//
// The loader imports only package program of scc: the kernel's rules on programs and flags
// live there, and a Go program that installs a blob links neither the compiler nor the
// optimizer. It must not import the language, compiler, IR, optimizer or back end.
//
// Every check is made before anything changes: the program by the kernel's rules
// (program.Verify), the architecture, support for SECCOMP_RET_KILL_PROCESS when the filter is
// marked process-killing, and every requested flag. Only then does Install set PR_SET_NO_NEW_PRIVS and make the one seccomp(2) call that
// attaches the filter. A failed Install leaves no filter behind (no_new_privs may be set).
//
// A Go program runs on many OS threads, and a filter installed without
// SECCOMP_FILTER_FLAG_TSYNC applies only to the thread that installed it. Go callers should
// use InstallGo, which adds TSYNC; Install passes exactly the flags it is given, for a filter
// meant for one thread (or for a program about to exec from a locked thread).
package loader

import (
	"fmt"
	"runtime"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/program"
)

// Options says how to install a filter. Its fields map one to one onto a blob's header.
type Options struct {
	// Flags are the kernel filter flags (program.Flag*), passed to seccomp(2) as they are.
	Flags uint32
	// KillProcess marks a process-killing filter: its kills are SECCOMP_RET_KILL_PROCESS,
	// which the kernel must support (Linux 4.14+).
	KillProcess bool
	// AcceptThreadKill lets a process-killing filter be installed on a kernel without
	// SECCOMP_RET_KILL_PROCESS, where its kills end only the calling thread.
	AcceptThreadKill bool
	// Arches, when not empty, are the AUDIT_ARCH_* values the filter covers; Install then
	// refuses it unless NativeArch is among them (see CheckArch). Empty skips the check, for
	// raw programs that carry no arch list.
	Arches []uint32
}

// Install checks the program and options against the running kernel, then attaches the
// program as a seccomp filter with exactly opts.Flags. It returns the user-notification
// listener fd when opts.Flags has program.FlagNewListener, else -1.
//
// Without program.FlagTSync the filter (and no_new_privs) apply to the calling OS thread
// only. Install then leaves the calling goroutine locked to that thread on success
// (runtime.LockOSThread is never undone), so the goroutine stays filtered and no other
// goroutine runs on the filtered thread; other threads of the process stay unfiltered. With
// program.FlagTSync every thread is filtered and the lock is released.
func Install(prog []bpf.RawInstruction, opts Options) (listener int, err error) {
	if err := Check(prog, opts); err != nil {
		return -1, err
	}
	runtime.LockOSThread()
	listener, err = setNoNewPrivsAndAttach(prog, opts.Flags)
	if err != nil || opts.Flags&program.FlagTSync != 0 {
		runtime.UnlockOSThread()
	}
	return listener, err
}

// setNoNewPrivsAndAttach sets no_new_privs and attaches the filter, on the calling thread.
func setNoNewPrivsAndAttach(prog []bpf.RawInstruction, flags uint32) (int, error) {
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return -1, &SyscallError{Op: "prctl(PR_SET_NO_NEW_PRIVS)", Err: err}
	}
	return attach(prog, flags)
}

// InstallGo is Install for a Go program: it adds program.FlagTSync so that every thread of
// the process is filtered, and program.FlagTSyncESRCH when a listener is asked for (the
// kernel refuses TSYNC with NEW_LISTENER otherwise). Use it unless the filter is meant for one
// locked thread.
func InstallGo(prog []bpf.RawInstruction, opts Options) (listener int, err error) {
	opts.Flags = GoFlags(opts.Flags)
	return Install(prog, opts)
}

// GoFlags returns flags with what a Go program needs added: program.FlagTSync, and
// program.FlagTSyncESRCH along with program.FlagNewListener.
func GoFlags(flags uint32) uint32 {
	flags |= program.FlagTSync
	if flags&program.FlagNewListener != 0 {
		flags |= program.FlagTSyncESRCH
	}
	return flags
}

// Check makes every check Install makes before it changes anything: the program, by the
// kernel's rules (program.Verify; the error wraps ErrBadFilter), the architecture,
// kill-process support and the flags. It installs nothing.
func Check(prog []bpf.RawInstruction, opts Options) error {
	if err := program.Verify(prog); err != nil {
		return fmt.Errorf("loader: %w: %w", ErrBadFilter, err)
	}
	if len(opts.Arches) > 0 {
		if err := CheckArch(opts.Arches); err != nil {
			return err
		}
	}
	if opts.KillProcess && !opts.AcceptThreadKill &&
		!ActionAvailable(unix.SECCOMP_RET_KILL_PROCESS) {
		return ErrKillProcessUnsupported
	}
	return checkFlags(opts.Flags)
}

// attach makes the seccomp(SECCOMP_SET_MODE_FILTER) call.
func attach(prog []bpf.RawInstruction, flags uint32) (int, error) {
	filter := make([]unix.SockFilter, len(prog))
	for i, ins := range prog {
		filter[i] = unix.SockFilter{Code: ins.Op, Jt: ins.Jt, Jf: ins.Jf, K: ins.K}
	}
	fprog := unix.SockFprog{Len: uint16(len(filter)), Filter: &filter[0]}
	r, err := seccomp(unix.SECCOMP_SET_MODE_FILTER, flags, unsafe.Pointer(&fprog))
	runtime.KeepAlive(filter)
	if err != nil {
		return -1, &SyscallError{Op: "seccomp(SECCOMP_SET_MODE_FILTER, " + program.FlagString(flags) + ")", Err: err}
	}
	if flags&program.FlagNewListener != 0 {
		return int(r), nil
	}
	if r != 0 {
		// Without TSYNC_ESRCH a failed TSYNC returns the id of the thread that could not be
		// synchronized; nothing was installed.
		return -1, &SyscallError{
			Op:  fmt.Sprintf("seccomp(SECCOMP_SET_MODE_FILTER, TSYNC): thread %d could not be synchronized", r),
			Err: unix.ESRCH,
		}
	}
	return -1, nil
}
