//go:build linux

package kerneltest

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"time"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/loader"
)

// init turns a re-executed binary into a child when envChild is set. It runs during package
// initialization, when the main goroutine is locked to the main thread, the thread-group
// leader: the call is made on another thread.
func init() {
	if os.Getenv(envChild) == "" {
		return
	}
	os.Exit(childMain())
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
	ip, err := siteIP(s.Call.ABI)
	if err != nil {
		return err
	}
	leader := unix.Getpid()
	var listener = -1
	switch s.Mode {
	case Dry:
		probe := wrap(ip, []bpf.RawInstruction{ret(ir.RetErrno | uint32(s.Probe))})
		if _, err := loader.InstallGo(probe, loader.Options{}); err != nil {
			return fmt.Errorf("installing the probe filter: %w", err)
		}
	case Notify:
		probe := wrap(ip, []bpf.RawInstruction{ret(ir.RetUserNotif)})
		if listener, err = loader.InstallGo(probe, loader.Options{Flags: loader.FlagNewListener}); err != nil {
			return fmt.Errorf("installing the notifying probe filter: %w", err)
		}
		go answer(listener, s.Probe)
	}
	if len(s.Prog)+len(head) > loader.MaxInstructions {
		return fmt.Errorf("the filter has %d instructions: with the harness's %d it is over the kernel's %d",
			len(s.Prog), len(head), loader.MaxInstructions)
	}
	if _, err := loader.InstallGo(wrap(ip, s.Prog), s.Opts); err != nil {
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
	return installTrapHandler()
}

// head is the routing prefix: calls not made at the site's instruction are allowed. Its
// jumps are filled in by wrap.
var head = []bpf.RawInstruction{
	{Op: 0x20, K: 8},  // ld [instruction_pointer low half] (little-endian)
	{Op: 0x15, Jf: 2}, // jeq #lo, next, allow
	{Op: 0x20, K: 12}, // ld [instruction_pointer high half]
	{Op: 0x15, Jt: 1}, // jeq #hi, program, allow
	ret(ir.RetAllow),  // allow
}

// wrap puts the routing prefix for ip in front of prog, whose own jumps are relative and stay
// as they are.
func wrap(ip uint64, prog []bpf.RawInstruction) []bpf.RawInstruction {
	out := append([]bpf.RawInstruction(nil), head...)
	out[1].K = uint32(ip)
	out[3].K = uint32(ip >> 32)
	return append(out, prog...)
}

func ret(k uint32) bpf.RawInstruction { return bpf.RawInstruction{Op: 0x06, K: k} }

// answer answers every notification on listener with the error -errno, never letting the call
// through.
func answer(listener int, errno uint16) {
	runtime.LockOSThread()
	for {
		var n seccompNotif
		if err := ioctl(listener, unix.SECCOMP_IOCTL_NOTIF_RECV, unsafe.Pointer(&n)); err != nil {
			if errors.Is(err, unix.EINTR) || errors.Is(err, unix.ENOENT) {
				continue
			}
			return
		}
		resp := seccompNotifResp{ID: n.ID, Error: -int32(errno)}
		ioctl(listener, unix.SECCOMP_IOCTL_NOTIF_SEND, unsafe.Pointer(&resp))
	}
}

// seccompNotif is the kernel's struct seccomp_notif (80 bytes), seccompNotifResp its struct
// seccomp_notif_resp (24 bytes).
type seccompNotif struct {
	ID    uint64
	Pid   uint32
	Flags uint32
	Data  [64]byte
}

type seccompNotifResp struct {
	ID    uint64
	Val   int64
	Error int32
	Flags uint32
}

const (
	_ = uint(unsafe.Sizeof(seccompNotif{})) - 80
	_ = 80 - uint(unsafe.Sizeof(seccompNotif{}))
	_ = uint(unsafe.Sizeof(seccompNotifResp{})) - 24
	_ = 24 - uint(unsafe.Sizeof(seccompNotifResp{}))
)

func ioctl(fd int, req uint, arg unsafe.Pointer) error {
	_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), uintptr(req), uintptr(arg))
	if e != 0 {
		return e
	}
	return nil
}

// result is what the calling thread sends back.
type result struct {
	r1       uintptr
	trapped  bool
	trapData uint16
	trapNr   int32
	trapArch uint32
}

// makeCall makes c on a new OS thread and watches it: the call returns, traps, blocks, or
// its thread vanishes (killed). A kill of the process ends the child here.
func makeCall(c Call, leader int) Outcome {
	tids := make(chan int, 1)
	done := make(chan result, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		tids <- unix.Gettid()
		resetTrap()
		r := result{r1: callSite(c)}
		r.trapped, r.trapData, r.trapNr, r.trapArch = takeTrap()
		done <- r
	}()
	tid := <-tids
	if tid == leader {
		panic("kerneltest child: the call landed on the thread-group leader")
	}
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	deadline := time.After(callTimeout)
	task := fmt.Sprintf("/proc/self/task/%d", tid)
	for {
		select {
		case r := <-done:
			return r.outcome()
		case <-deadline:
			return Outcome{Kind: Blocked}
		case <-tick.C:
		}
		select {
		case r := <-done: // the thread may have ended normally after sending
			return r.outcome()
		default:
		}
		if _, err := os.Stat(task); err != nil {
			return Outcome{Kind: KilledThread}
		}
	}
}

func (r result) outcome() Outcome {
	if r.trapped {
		return Outcome{Kind: Trapped, Ret: uint64(r.r1), TrapData: r.trapData, TrapNr: r.trapNr, TrapArch: r.trapArch}
	}
	o := Outcome{Kind: Returned, Ret: uint64(r.r1)}
	if r.r1 >= ^uintptr(4095-1) { // -4095..-1
		o.Errno = int(-r.r1)
	}
	return o
}
