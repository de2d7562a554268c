//go:build linux

// Package kerneltest asks the running kernel what a compiled seccomp filter does with one
// system call: it installs the filter in a child process, makes the call there and observes
// the outcome (the errno returned, a SIGSYS trap and its data, the thread or the whole process
// killed). `scc test --kernel` checks a policy's expect lines with it.
//
// # The child
//
// The child is the running binary itself, re-executed as the helper of the role "kerneltest"
// (package reexec), which this package's init function registers: any binary that imports
// the package can use it. It
// runs in a fresh temporary directory, with /dev/null as stdin and stdout, no file descriptors
// above 3 (fd 3 carries its reports), no core dumps, and a SIGSYS handler of its own.
//
// A policy's filter cannot be installed as it is on a Go program: it would refuse the Go
// runtime's own calls (futex, mmap, clone, ...). The child therefore makes the call from one
// dedicated instruction (SYSCALL for x86_64 and x32, INT $0x80 for i386) and installs the
// filter behind a five-instruction prefix that returns SECCOMP_RET_ALLOW for every call whose
// seccomp_data.instruction_pointer is not that instruction's: the policy's program decides the
// test call, and only it, unchanged. The call is made on an OS thread of its own (not the
// thread-group leader), so that a thread kill leaves the child alive to report it.
//
// # Observing without making the call
//
// An allowed call reaches the kernel's real syscall, which may have effects, and whose own
// errors look like a filter's errno. So the child first installs a probe filter, with the same
// prefix, that returns ERRNO(P) for the test call, P a value no RET of the policy returns; the
// policy's filter is installed after it. Across stacked filters the kernel takes the action of
// lowest precedence value, and the newest filter on a tie, so the outcome is the policy's own
// kill_process, kill_thread, trap(N) or errno(N) exactly, and errno P for allow, log, trace and
// user_notif: those never run the call (Dry). A second probe run sets the two last apart where
// the program can return user_notif: the probe returns USER_NOTIF to a listener of the child's
// that answers errno P, while the policy's own user_notif, newer and without a listener,
// returns ENOSYS (Notify). Only trace against allow or log needs the real call (Live): without
// a tracer a trace returns ENOSYS, an allowed call does what the kernel does. Check asks for
// it only when the program can return trace, and only when the caller says the call is safe
// to make. Allow and log look the same to a process (log also writes an audit record).
//
// It must not import the language, the compiler or the optimizer: it takes a finished program.
package kerneltest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/internal/reexec"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/loader"
	"github.com/scc-dev/scc/program"
)

// ABI is how the child makes a call.
type ABI uint8

// The ABIs the child can call with.
const (
	// X8664 is the SYSCALL instruction of x86_64: native calls, and x32 calls when the number
	// has __X32_SYSCALL_BIT (seccomp sees those with the x86_64 audit arch).
	X8664 ABI = iota
	// I386 is INT $0x80 from the 64-bit child: an i386 call (AUDIT_ARCH_I386), with 32-bit
	// argument registers; it needs the kernel's IA32 emulation.
	I386
	// Native is the system-call instruction of the arch this binary is built for, on every
	// arch but amd64 (SVC on arm64, ECALL on riscv64, INT $0x80 on 386, ...): calls of that
	// arch's own audit arch (NativeAudit).
	Native
)

func (a ABI) String() string {
	switch a {
	case I386:
		return "i386"
	case Native:
		return runtime.GOARCH
	}
	return "x86_64"
}

// nativeAudit is the AUDIT_ARCH value of each GOARCH's own calls.
var nativeAudit = map[string]uint32{
	"amd64": unix.AUDIT_ARCH_X86_64, "386": unix.AUDIT_ARCH_I386,
	"arm64": unix.AUDIT_ARCH_AARCH64, "arm": unix.AUDIT_ARCH_ARM,
	"riscv64": unix.AUDIT_ARCH_RISCV64, "ppc64le": unix.AUDIT_ARCH_PPC64LE,
	"ppc64": unix.AUDIT_ARCH_PPC64, "s390x": unix.AUDIT_ARCH_S390X,
	"mips64le": unix.AUDIT_ARCH_MIPSEL64, "mips64": unix.AUDIT_ARCH_MIPS64,
}

// NativeAudit is the AUDIT_ARCH value of this binary's own calls.
func NativeAudit() uint32 { return nativeAudit[runtime.GOARCH] }

// ABIFor returns the ABI that makes calls of the audit arch, on this machine: x86_64 and
// i386 on amd64, else the binary's own arch only.
func ABIFor(audit uint32) (ABI, bool) {
	if !supported {
		return 0, false
	}
	if runtime.GOARCH != "amd64" {
		return Native, audit == NativeAudit()
	}
	switch audit {
	case unix.AUDIT_ARCH_X86_64:
		return X8664, true
	case unix.AUDIT_ARCH_I386:
		return I386, true
	}
	return 0, false
}

// Call is one system call: the ABI, the raw number (x32 bit included) and the argument
// registers, passed as they are (pointers too).
type Call struct {
	ABI  ABI
	Nr   uint64
	Args [6]uint64
}

// Mode is how the child installs the filter: see the package documentation.
type Mode uint8

// The modes.
const (
	Dry Mode = iota
	Notify
	Live
	probeI386 // no filter: a getpid of an ABI (i386, x32), to learn whether the kernel runs it
)

// Kind is what happened to a call.
type Kind uint8

// The kinds of outcome.
const (
	Returned      Kind = iota + 1 // the call returned (Ret, Errno)
	Trapped                       // the SIGSYS handler caught a trap (TrapData)
	KilledThread                  // the calling thread died, the child lived on
	KilledProcess                 // the child died by Signal
	Blocked                       // the call did not return within the wait
)

// Outcome is what happened to one call.
type Outcome struct {
	Kind     Kind
	Ret      uint64
	Errno    int // of a Returned call: -Ret when Ret is in -4095..-1, else 0
	TrapData uint16
	// TrapNoData: the child had no SIGSYS handler to read the trap's siginfo (every arch but
	// amd64), so TrapData, TrapNr and TrapArch are unknown; Check learns the data otherwise.
	TrapNoData bool
	TrapNr     int32
	TrapArch   uint32
	Signal     syscall.Signal
}

func (o Outcome) String() string {
	switch o.Kind {
	case Returned:
		if o.Errno != 0 {
			return fmt.Sprintf("errno %d (%v)", o.Errno, unix.Errno(o.Errno))
		}
		return fmt.Sprintf("returned %d", int64(o.Ret))
	case Trapped:
		if o.TrapNoData {
			return "trapped"
		}
		return fmt.Sprintf("trapped, data %d", o.TrapData)
	case KilledThread:
		return "thread killed"
	case KilledProcess:
		return fmt.Sprintf("process killed by %v", o.Signal)
	case Blocked:
		return "blocked"
	}
	return "not run"
}

// childRole is the child's role in the re-execution protocol (package reexec): it reads the
// spec on its stdin and writes its reports on fd 3.
const childRole = "kerneltest"

// childTimeout bounds one child's life; callTimeout one call's (in the child).
const (
	childTimeout = 30 * time.Second
	callTimeout  = 3 * time.Second
)

// spec is what the parent hands the child on its stdin.
type spec struct {
	Prog  []bpf.RawInstruction
	Opts  loader.Options
	Call  Call
	Mode  Mode
	Probe uint16 // the probe's errno
}

// report is one line the child writes on fd 3.
type report struct {
	Installed bool     `json:",omitempty"`
	Err       string   `json:",omitempty"`
	Outcome   *Outcome `json:",omitempty"`
}

// Observe installs prog with opts in a child process, as mode says, makes the call there and
// returns what happened. probe is the errno the probe filters answer with (Dry, Notify). It
// fails when the harness itself fails or the filter cannot be installed.
func Observe(prog []bpf.RawInstruction, opts loader.Options, c Call, mode Mode, probe uint16) (Outcome, error) {
	if !supported {
		return Outcome{}, errors.New("kerneltest: only implemented on linux/amd64")
	}
	in, err := json.Marshal(spec{Prog: prog, Opts: opts, Call: c, Mode: mode, Probe: probe})
	if err != nil {
		return Outcome{}, err
	}
	dir, err := os.MkdirTemp("", "scc-kerneltest-*")
	if err != nil {
		return Outcome{}, err
	}
	defer os.RemoveAll(dir)
	r, w, err := os.Pipe()
	if err != nil {
		return Outcome{}, err
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), childTimeout)
	defer cancel()
	cmd := reexec.Command(ctx, childRole, nil)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.ExtraFiles = []*os.File{w} // fd 3
	err = cmd.Start()
	w.Close()
	if err != nil {
		return Outcome{}, fmt.Errorf("kerneltest: starting the child: %w", err)
	}
	var reports []report
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		var rep report
		if err := json.Unmarshal(sc.Bytes(), &rep); err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			return Outcome{}, fmt.Errorf("kerneltest: bad report %q: %w", sc.Text(), err)
		}
		reports = append(reports, rep)
	}
	werr := cmd.Wait()
	var exitErr *exec.ExitError
	if werr != nil && !errors.As(werr, &exitErr) {
		return Outcome{}, fmt.Errorf("kerneltest: waiting for the child: %w", werr)
	}
	if ctx.Err() != nil {
		return Outcome{}, fmt.Errorf("kerneltest: the child ran over %v", childTimeout)
	}
	status := cmd.ProcessState.Sys().(syscall.WaitStatus)
	fail := func(what string) error {
		msg := fmt.Sprintf("kerneltest: %s (child status: %v)", what, status)
		if s := strings.TrimSpace(stderr.String()); s != "" {
			msg += "\n" + s
		}
		return errors.New(msg)
	}
	switch {
	case len(reports) == 0:
		return Outcome{}, fail("the child reported nothing")
	case reports[0].Err != "":
		return Outcome{}, errors.New(reports[0].Err)
	case !reports[0].Installed:
		return Outcome{}, fail("the child's first report is not its install")
	case len(reports) > 1 && reports[1].Outcome != nil:
		return *reports[1].Outcome, nil
	case trapByExit(status, stderr.String()):
		return Outcome{Kind: Trapped, TrapNoData: true}, nil
	case status.Signaled():
		return Outcome{Kind: KilledProcess, Signal: status.Signal()}, nil
	}
	return Outcome{}, fail("the child made no report of its call")
}

// trapByExit tells whether a child without a SIGSYS handler of its own was ended by the Go
// runtime on a seccomp trap: the runtime prints the signal's name and exits with status 2.
func trapByExit(status syscall.WaitStatus, stderr string) bool {
	return status.Exited() && status.ExitStatus() == 2 && strings.Contains(stderr, "SIGSYS: bad system call")
}

var x32Once struct {
	sync.Once
	err error
}

// SupportsX32 tells whether the running kernel runs x32 calls (CONFIG_X86_X32_ABI, and not
// turned off with syscall.x32=n): a child without a filter makes an x32 getpid once. A filter
// sees x32 numbers either way; only an allowed x32 call needs the kernel's x32 ABI to run.
func SupportsX32() error {
	if !supported || runtime.GOARCH != "amd64" {
		return errors.New("x32 calls are made on amd64 only")
	}
	x32Once.Do(func() {
		o, err := Observe(nil, loader.Options{}, Call{ABI: X8664, Nr: uint64(ir.X32SyscallBit) | 39}, probeI386, 0)
		switch {
		case err != nil:
			x32Once.err = err
		case o.Kind != Returned || o.Errno != 0:
			x32Once.err = fmt.Errorf("this kernel makes no x32 calls (an x32 getpid: %v)", o)
		}
	})
	return x32Once.err
}

var i386Once struct {
	sync.Once
	err error
}

// Supports tells whether the child can make calls of abi here: i386 calls need the kernel's
// IA32 emulation, which a child without a filter tries once.
func Supports(abi ABI) error {
	if !supported {
		return errors.New("the kernel harness has no call site for " + runtime.GOARCH)
	}
	if abi != I386 {
		return nil
	}
	i386Once.Do(func() {
		o, err := Observe(nil, loader.Options{}, Call{ABI: I386, Nr: 20}, probeI386, 0) // getpid
		switch {
		case err != nil:
			i386Once.err = err
		case o.Kind != Returned || o.Errno != 0:
			i386Once.err = fmt.Errorf("this kernel makes no i386 calls (an i386 getpid: %v)", o)
		}
	})
	return i386Once.err
}

// Verdict is what the kernel showed of a filter's action for a call: the kinds of action
// consistent with it (one, unless the kernel cannot set them apart), and the data of an errno
// or a trap.
type Verdict struct {
	Kinds []ir.ActionKind
	Data  uint16
	// Unresolved: the program can return trace, and the kernel showed only that the action is
	// one of allow, log and trace, because the call was not safe to make.
	Unresolved bool
	// Runs are the outcomes of the child runs, in order, for diagnostics.
	Runs []string
}

// Has tells whether kind is among the verdict's kinds.
func (v Verdict) Has(kind ir.ActionKind) bool {
	for _, k := range v.Kinds {
		if k == kind {
			return true
		}
	}
	return false
}

// Matches tells whether the filter action a is consistent with the verdict: an errno's data
// as the kernel clamps it to 4095, a trap's data, and for trace the kind only (the child has
// no tracer to read its data).
func (v Verdict) Matches(a ir.Action) bool {
	if !v.Has(a.Kind) {
		return false
	}
	switch a.Kind {
	case ir.Errno:
		return min(a.Data, ir.MaxErrno) == v.Data
	case ir.Trap:
		return a.Data == v.Data
	}
	return true
}

func (v Verdict) String() string {
	var names []string
	for _, k := range v.Kinds {
		a := ir.Action{Kind: k, Data: v.Data}
		switch k {
		case ir.Trace:
			names = append(names, "trace")
		default:
			names = append(names, a.String())
		}
	}
	switch len(names) {
	case 0:
		return "nothing"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Returns is what a program's RET instructions can return: the action kinds, and every errno
// data. Any is set when a RET returns the accumulator, which could be anything.
type Returns struct {
	Kinds  map[ir.ActionKind]bool
	Errnos map[uint16]bool
	Any    bool
}

// ReturnsOf reads a program's RET instructions.
func ReturnsOf(prog []bpf.RawInstruction) Returns {
	r := Returns{Kinds: map[ir.ActionKind]bool{}, Errnos: map[uint16]bool{}}
	for _, ins := range prog {
		if ins.Op&0x07 != 0x06 { // BPF_RET
			continue
		}
		if ins.Op&0x18 != 0x00 { // not BPF_K
			r.Any = true
			continue
		}
		a := ir.ActionFromRet(ins.K)
		r.Kinds[a.Kind] = true
		if a.Kind == ir.Errno {
			r.Errnos[min(a.Data, ir.MaxErrno)] = true
		}
	}
	return r
}

// Can tells whether the program may return an action of the kind.
func (r Returns) Can(kind ir.ActionKind) bool { return r.Any || r.Kinds[kind] }

// probeErrno picks the probe's errno: one no RET of the program returns.
func (r Returns) probeErrno() (uint16, error) {
	for p := uint16(4000); p < ir.MaxErrno; p++ {
		if !r.Errnos[p] {
			return p, nil
		}
	}
	return 0, errors.New("kerneltest: the program returns every errno from 4000 to 4094: no probe value is left")
}

// trapData learns which trap the kernel took where the child cannot read the trap's siginfo:
// it runs the program again with each RET of a trap replaced by a RET of an errno of its own
// (a value no RET of the program returns, nor the probe), and the errno the kernel returns
// names the RET the kernel reached, whose data is the trap's. The program's paths are
// unchanged: only what its trap RETs return is.
func trapData(prog []bpf.RawInstruction, opts loader.Options, c Call, probe uint16, rets Returns, v *Verdict) (uint16, error) {
	marked := slices.Clone(prog)
	data := map[uint16]uint16{} // errno -> trap data
	next := uint16(3999)
	for i, ins := range marked {
		if ins.Op != 0x06 || ins.K&program.RetActionFull != program.RetTrap {
			continue
		}
		for next > 0 && (rets.Errnos[next] || next == probe) {
			next--
		}
		if next == 0 {
			return 0, errors.New("kerneltest: no errno is left to mark the program's traps with")
		}
		marked[i].K = program.RetErrno | uint32(next)
		data[next] = uint16(ins.K & program.RetData)
		next--
	}
	o, err := Observe(marked, opts, c, Dry, probe)
	if err != nil {
		return 0, err
	}
	v.Runs = append(v.Runs, fmt.Sprintf("traps marked: %v", o))
	d, ok := data[uint16(o.Errno)]
	if o.Kind != Returned || !ok {
		return 0, fmt.Errorf("kerneltest: the program trapped, but with its traps marked it gave %v", o)
	}
	return d, nil
}

// passThrough are the actions a probe's errno stands for in a Dry run. Check relies on the
// order: the Notify run sets the first apart, the Live run the next.
var passThrough = []ir.ActionKind{ir.UserNotif, ir.Trace, ir.Allow, ir.Log}

// Check asks the kernel which action f takes on the call. It never makes the call unless it
// must (the program can return trace, and its Dry and Notify runs leave allow, log and trace
// open) and mayMake says the call is safe to make; otherwise such a verdict is Unresolved.
// The filter's NEW_LISTENER flag is dropped (a user_notif then returns ENOSYS) and its
// arches are not checked against the machine's.
func Check(f *loader.Filter, c Call, mayMake bool) (Verdict, error) {
	var v Verdict
	rets := ReturnsOf(f.Program)
	probe, err := rets.probeErrno()
	if err != nil {
		return v, err
	}
	opts := f.Options
	opts.Flags &^= program.FlagNewListener
	opts.Arches = nil
	run := func(mode Mode) (Outcome, error) {
		o, err := Observe(f.Program, opts, c, mode, probe)
		if err == nil {
			v.Runs = append(v.Runs, fmt.Sprintf("%s: %v", [...]string{"dry", "notify", "live"}[mode], o))
		}
		return o, err
	}
	o, err := run(Dry)
	if err != nil {
		return v, err
	}
	switch {
	case o.Kind == KilledProcess && o.Signal == unix.SIGSYS:
		v.Kinds = []ir.ActionKind{ir.KillProcess}
	case o.Kind == KilledThread:
		v.Kinds = []ir.ActionKind{ir.KillThread}
	case o.Kind == Trapped && o.TrapNoData:
		v.Kinds = []ir.ActionKind{ir.Trap}
		if v.Data, err = trapData(f.Program, opts, c, probe, rets, &v); err != nil {
			return v, err
		}
	case o.Kind == Trapped:
		v.Kinds, v.Data = []ir.ActionKind{ir.Trap}, o.TrapData
	case o.Kind == Returned && o.Errno == int(probe):
		for _, k := range passThrough {
			if rets.Can(k) {
				v.Kinds = append(v.Kinds, k)
			}
		}
	case o.Kind == Returned && (o.Errno != 0 || o.Ret == 0):
		v.Kinds, v.Data = []ir.ActionKind{ir.Errno}, uint16(o.Errno)
	default:
		// The call was made, or the child died otherwise: the filter did something no
		// action does under a probe.
		return v, fmt.Errorf("kerneltest: unexpected outcome with the probe filter installed: %v", o)
	}
	if v.Has(ir.UserNotif) && len(v.Kinds) > 1 {
		o, err := run(Notify)
		if err != nil {
			return v, err
		}
		switch {
		case o.Kind == Returned && o.Errno == int(unix.ENOSYS):
			v.Kinds = []ir.ActionKind{ir.UserNotif}
		case o.Kind == Returned && o.Errno == int(probe):
			v.Kinds = v.Kinds[1:]
		default:
			return v, fmt.Errorf("kerneltest: unexpected outcome with the notifying probe installed: %v", o)
		}
	}
	if v.Has(ir.Trace) && len(v.Kinds) > 1 {
		if !mayMake {
			v.Unresolved = true
			return v, nil
		}
		o, err := run(Live)
		if err != nil {
			return v, err
		}
		switch {
		case o.Kind == Returned && o.Errno == int(unix.ENOSYS):
			// Without a tracer a trace returns ENOSYS; so does a call the kernel lacks (an
			// x32 call on a kernel without x32): then the verdict stays open.
			if c.ABI == X8664 && c.Nr&uint64(ir.X32SyscallBit) != 0 {
				v.Unresolved = true
			} else {
				v.Kinds = []ir.ActionKind{ir.Trace}
			}
		case o.Kind == Returned || o.Kind == Blocked:
			v.Kinds = v.Kinds[1:]
		default:
			return v, fmt.Errorf("kerneltest: unexpected outcome of the call made for real: %v", o)
		}
	}
	return v, nil
}
