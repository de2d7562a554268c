//go:build linux

package kerneltest

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/internal/callthread"
	"github.com/scc-dev/scc/internal/reexec"
	"github.com/scc-dev/scc/loader"
	"github.com/scc-dev/scc/program"
)

// init registers the child (see package reexec): it then runs during package
// initialization, when the main goroutine is locked to the main thread, the thread-group
// leader; the call is made on another thread.
func init() {
	reexec.Register(childRole, childMain)
}

// reportFD is where the child writes its reports.
const reportFD = 3

// childMain runs the child and returns its exit status.
func childMain() int {
	runtime.LockOSThread()
	if err := child(); err != nil {
		send(report{Err: "kerneltest child: " + err.Error()})
		return 3
	}
	return 0
}

// send writes one report line with a plain write(2), which touches no poller.
func send(r report) {
	line, _ := json.Marshal(r)
	line = append(line, '\n')
	for len(line) > 0 {
		n, err := unix.Write(reportFD, line)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return
		}
		line = line[n:]
	}
}

func child() error {
	s, err := readSpec()
	if err != nil {
		return err
	}
	if err := prepare(); err != nil {
		return err
	}
	if s.Mode == probeI386 {
		send(report{Installed: true})
		o := makeCall(s.Call, unix.Getpid())
		send(report{Outcome: &o})
		return nil
	}
	lo, hi, err := siteRange(s.Call.ABI)
	if err != nil {
		return err
	}
	wrap := func(prog []bpf.RawInstruction) []bpf.RawInstruction { return route(lo, hi, prog) }
	leader := unix.Getpid()
	var listener = -1
	switch s.Mode {
	case Dry:
		probe := wrap([]bpf.RawInstruction{ret(program.RetErrno | uint32(s.Probe))})
		if _, err := loader.InstallGo(probe, loader.Options{}); err != nil {
			return fmt.Errorf("installing the probe filter: %w", err)
		}
	case Notify:
		probe := wrap([]bpf.RawInstruction{ret(program.RetUserNotif)})
		if listener, err = loader.InstallGo(probe, loader.Options{Flags: program.FlagNewListener}); err != nil {
			return fmt.Errorf("installing the notifying probe filter: %w", err)
		}
		go answer(listener, s.Probe)
	}
	if len(s.Prog)+headLen > program.MaxInsns {
		return fmt.Errorf("the filter has %d instructions: with the harness's %d it is over the kernel's %d",
			len(s.Prog), headLen, program.MaxInsns)
	}
	if _, err := loader.InstallGo(wrap(s.Prog), s.Opts); err != nil {
		return fmt.Errorf("installing the filter: %w", err)
	}
	send(report{Installed: true})
	o := makeCall(s.Call, leader)
	send(report{Outcome: &o})
	return nil
}

// readSpec reads the spec from stdin with plain read(2) calls.
func readSpec() (spec, error) {
	var s spec
	var data []byte
	buf := make([]byte, 64<<10)
	for {
		n, err := unix.Read(0, buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return s, fmt.Errorf("reading the spec: %w", err)
		}
		if n == 0 {
			break
		}
		data = append(data, buf[:n]...)
	}
	return s, json.Unmarshal(data, &s)
}

// prepare gives the child /dev/null for stdin and stdout and no descriptor above the report
// pipe, makes it non-dumpable (a killed child leaves no core file), and installs its SIGSYS
// handler, all before any filter.
func prepare() error {
	null, err := unix.Open("/dev/null", unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	for _, fd := range []int{0, 1} {
		if err := unix.Dup3(null, fd, 0); err != nil {
			return err
		}
	}
	if err := unix.CloseRange(reportFD+1, ^uint(0), 0); err != nil {
		return fmt.Errorf("close_range: %w", err)
	}
	if err := unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0); err != nil {
		return fmt.Errorf("prctl(PR_SET_DUMPABLE): %w", err)
	}
	if err := callthread.InstallTrapHandler(); err != nil && !errors.Is(err, callthread.ErrNoTrapHandler) {
		return err
	}
	// Without a handler of the package's, a trap's SIGSYS reaches the Go runtime, which ends
	// the child with runtimeTrapExit: Observe tells that apart (see trapByExit).
	return nil
}

// headLen is the length of the routing prefix route puts in front of a program.
const headLen = 6

// route puts a prefix in front of prog that allows every call whose
// seccomp_data.instruction_pointer is outside [lo, hi), the call site's code, and hands the
// rest to prog, whose own jumps are relative and stay as they are. The pointer is a 64-bit
// field in the kernel's byte order: its high word comes first on a big-endian kernel.
func route(lo, hi uint64, prog []bpf.RawInstruction) []bpf.RawInstruction {
	loOff, hiOff := uint32(program.SeccompDataIPOffset), uint32(program.SeccompDataIPOffset+4)
	if program.HostBigEndian() {
		loOff, hiOff = hiOff, loOff
	}
	out := []bpf.RawInstruction{
		{Op: 0x20, K: hiOff},                   // 0: ld [ip high word]
		{Op: 0x15, K: uint32(lo >> 32), Jf: 3}, // 1: jeq #hi, next, allow
		{Op: 0x20, K: loOff},                   // 2: ld [ip low word]
		{Op: 0x35, K: uint32(lo), Jf: 1},       // 3: jge #lo, next, allow
		{Op: 0x35, K: uint32(hi), Jf: 1},       // 4: jge #hi, allow, prog
		ret(program.RetAllow),                  // 5: allow
	}
	return append(out, prog...)
}

func ret(k uint32) bpf.RawInstruction { return bpf.RawInstruction{Op: 0x06, K: k} }

// answer answers every notification on listener with the error -errno, never letting the call
// through.
func answer(listener int, errno uint16) {
	runtime.LockOSThread()
	for {
		n, err := loader.ReceiveNotif(listener)
		if err != nil {
			if errors.Is(err, unix.EINTR) || errors.Is(err, unix.ENOENT) {
				continue
			}
			return
		}
		loader.SendNotifResp(listener, loader.NotifResp{ID: n.ID, Error: -int32(errno)})
	}
}

// makeCall makes c at its ABI's site on a fresh OS thread (see callthread.Run).
func makeCall(c Call, leader int) Outcome {
	r := callthread.Run(func() uintptr { return callSite(c) }, leader, callTimeout)
	o := Outcome{Kind: kinds[r.End], Ret: uint64(r.R1), TrapData: r.Trap.Data, TrapNr: r.Trap.Nr, TrapArch: r.Trap.Arch}
	if r.End == callthread.Returned {
		o.Errno = int(callthread.Errno(r.R1))
	}
	return o
}

// kinds maps the ends of callthread.Run onto the kinds of outcome.
var kinds = [...]Kind{
	callthread.Returned: Returned, callthread.Trapped: Trapped,
	callthread.KilledThread: KilledThread, callthread.Blocked: Blocked,
}
