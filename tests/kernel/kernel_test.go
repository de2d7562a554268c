//go:build linux && amd64

package kernel_test

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/loader"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/tests/kernel"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

var (
	getpid  = kernel.Syscall(unix.SYS_GETPID).Named("getpid")
	getppid = kernel.Syscall(unix.SYS_GETPPID).Named("getppid")
)

// mkdirat makes dir/name relative to AT_FDCWD.
func mkdirat(path string) kernel.Call {
	return kernel.Syscall(unix.SYS_MKDIRAT, atFDCWD, 0, 0o700).
		WithString(1, path).Named("mkdirat(" + filepath.Base(path) + ")")
}

func want(t *testing.T, calls []kernel.Call, got []kernel.Outcome, preds ...func(kernel.Outcome) bool) {
	t.Helper()
	if len(got) != len(calls) {
		t.Fatalf("%d outcomes for %d calls", len(got), len(calls))
	}
	for i, p := range preds {
		if !p(got[i]) {
			t.Errorf("%v: got %v", calls[i], got[i])
		}
	}
}

func is(a ir.Action) func(kernel.Outcome) bool {
	return func(o kernel.Outcome) bool { return o.Matches(a) }
}

func succeeded(o kernel.Outcome) bool { return o.Kind == kernel.Returned && o.Errno == 0 }

func TestErrnoDeniesMkdiratAndAllowsTheRest(t *testing.T) {
	dir := t.TempDir()
	prog := dispatch(t, rule{unix.SYS_MKDIRAT, errnoRet(unix.EPERM)})
	calls := []kernel.Call{
		mkdirat(filepath.Join(dir, "denied")),
		getpid,
		kernel.Syscall(unix.SYS_SOCKET, unix.AF_INET, unix.SOCK_STREAM, 0).ClosingFD().Named("socket"),
		kernel.Syscall(unix.SYS_UNAME).WithBuffer(0, int(utsnameSize)).Named("uname"),
		kernel.Syscall(unix.SYS_CLOSE, ^uint64(0)).Named("close(-1)"),
	}
	got := kernel.RunChild(t, prog, loader.Options{}, calls)
	want(t, calls, got,
		func(o kernel.Outcome) bool { return o.IsErrno(unix.EPERM) },
		func(o kernel.Outcome) bool { return succeeded(o) && o.Ret > 0 },
		succeeded,
		succeeded,
		func(o kernel.Outcome) bool { return o.IsErrno(unix.EBADF) })
	if _, err := os.Stat(filepath.Join(dir, "denied")); !os.IsNotExist(err) {
		t.Errorf("the denied mkdirat ran anyway: %v", err)
	}
}

// utsnameSize is sizeof(struct utsname): six fields of 65 bytes.
const utsnameSize = 6 * 65

func TestErrnoDataIsClampedAndZeroSkipsTheCall(t *testing.T) {
	dir := t.TempDir()
	prog := dispatch(t,
		rule{unix.SYS_MKDIRAT, unix.SECCOMP_RET_ERRNO | 0},
		rule{unix.SYS_GETPPID, unix.SECCOMP_RET_ERRNO | 5000})
	calls := []kernel.Call{mkdirat(filepath.Join(dir, "skipped")), getppid}
	got := kernel.RunChild(t, prog, loader.Options{}, calls)
	want(t, calls, got, is(ir.ErrnoAction(0)), is(ir.ErrnoAction(4095)))
	if got[1].Errno != 4095 {
		t.Errorf("errno(5000): got %v, want the kernel's MAX_ERRNO 4095", got[1])
	}
	if _, err := os.Stat(filepath.Join(dir, "skipped")); !os.IsNotExist(err) {
		t.Errorf("errno(0) let mkdirat run: %v", err)
	}
}

func TestKillProcessFromASecondThreadKillsTheProcess(t *testing.T) {
	prog := dispatch(t, rule{unix.SYS_GETPID, unix.SECCOMP_RET_KILL_PROCESS})
	calls := []kernel.Call{getppid, getpid, getppid}
	res, err := kernel.Run(prog, loader.Options{KillProcess: true}, calls)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Status.Signaled() || res.Status.Signal() != syscall.SIGSYS {
		t.Fatalf("child status %v, want killed by SIGSYS", res.Status)
	}
	want(t, calls, res.Outcomes, succeeded, is(ir.ActKillProcess),
		func(o kernel.Outcome) bool { return o.Kind == kernel.NotRun })

	// RunChild goes on with the calls after the kill in a new child.
	got := kernel.RunChild(t, prog, loader.Options{KillProcess: true}, calls)
	want(t, calls, got, succeeded, is(ir.ActKillProcess), succeeded)
}

func TestKillThreadSparesTheProcess(t *testing.T) {
	prog := dispatch(t, rule{unix.SYS_GETPID, unix.SECCOMP_RET_KILL_THREAD})
	calls := []kernel.Call{getpid, getppid, getpid, getppid}
	res, err := kernel.Run(prog, loader.Options{}, calls)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Status.Exited() || res.Status.ExitStatus() != 0 {
		t.Fatalf("child status %v, want a clean exit\n%s", res.Status, res.Output)
	}
	want(t, calls, res.Outcomes, is(ir.ActKillThread), succeeded, is(ir.ActKillThread), succeeded)
}

func TestArgumentHalvesAreSeparateWords(t *testing.T) {
	// getppid ignores its arguments, but the filter sees the raw registers.
	prog := assemble(t, append(archCheck(),
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: unix.SYS_GETPPID, SkipFalse: 5},
		bpf.LoadAbsolute{Off: offArg0Lo, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 5, SkipFalse: 3},
		bpf.LoadAbsolute{Off: offArg0Hi, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 0xdeadbeef, SkipFalse: 1},
		bpf.RetConstant{Val: errnoRet(1001)},
		bpf.RetConstant{Val: unix.SECCOMP_RET_ALLOW},
	))
	arg := func(v uint64) kernel.Call { return kernel.Syscall(unix.SYS_GETPPID, v).Named(hexName(v)) }
	calls := []kernel.Call{arg(0xdeadbeef_00000005), arg(5), arg(0xdeadbeef_00000006), arg(0xdeadbeee_00000005)}
	got := kernel.RunChild(t, prog, loader.Options{}, calls)
	want(t, calls, got, is(ir.ErrnoAction(1001)), succeeded, succeeded, succeeded)
}

func TestJumpOverMoreThan255Instructions(t *testing.T) {
	const far = 300
	prog := append(archCheck(),
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: unix.SYS_MKDIRAT, SkipFalse: 1},
		bpf.Jump{Skip: far + 1}, // over the filler and the RET ALLOW
	)
	for range far {
		prog = append(prog, bpf.ALUOpConstant{Op: bpf.ALUOpAdd, Val: 0})
	}
	prog = append(prog,
		bpf.RetConstant{Val: unix.SECCOMP_RET_ALLOW},
		bpf.RetConstant{Val: errnoRet(1002)})
	calls := []kernel.Call{mkdirat(filepath.Join(t.TempDir(), "far")), getpid}
	got := kernel.RunChild(t, assemble(t, prog), loader.Options{}, calls)
	want(t, calls, got, is(ir.ErrnoAction(1002)), succeeded)
}

func TestLogAllows(t *testing.T) {
	prog := dispatch(t, rule{unix.SYS_GETPID, unix.SECCOMP_RET_LOG})
	calls := []kernel.Call{getpid}
	got := kernel.RunChild(t, prog, loader.Options{Flags: program.FlagLog}, calls)
	want(t, calls, got, func(o kernel.Outcome) bool { return is(ir.ActLog)(o) && succeeded(o) && o.Ret > 0 })
}

func TestTrapIsCaughtWithItsData(t *testing.T) {
	prog := dispatch(t, rule{unix.SYS_GETPPID, unix.SECCOMP_RET_TRAP | 0x42})
	calls := []kernel.Call{getppid, getpid}
	got := kernel.RunChild(t, prog, loader.Options{}, calls)
	want(t, calls, got, is(ir.Action{Kind: ir.Trap, Data: 0x42}), succeeded)
	if o := got[0]; o.TrapNr != unix.SYS_GETPPID || o.TrapArch != unix.AUDIT_ARCH_X86_64 {
		t.Errorf("trap siginfo: got nr %d arch %#x, want %d %#x", o.TrapNr, o.TrapArch,
			unix.SYS_GETPPID, unix.AUDIT_ARCH_X86_64)
	}
	if got[0].Ret != unix.SYS_GETPPID {
		t.Logf("a trapped call returned %d (the kernel rolls rax back to the number)", got[0].Ret)
	}
}

func TestUserNotifAndTraceWithoutAPeerReturnENOSYS(t *testing.T) {
	prog := dispatch(t,
		rule{unix.SYS_GETPPID, unix.SECCOMP_RET_USER_NOTIF},
		rule{unix.SYS_GETUID, unix.SECCOMP_RET_TRACE | 7})
	calls := []kernel.Call{getppid, kernel.Syscall(unix.SYS_GETUID).Named("getuid")}
	got := kernel.RunChild(t, prog, loader.Options{}, calls)
	want(t, calls, got, is(ir.Action{Kind: ir.UserNotif}), is(ir.Action{Kind: ir.Trace, Data: 7}))
}

func TestNewListenerReturnsAnFD(t *testing.T) {
	res, err := kernel.Run(dispatch(t), loader.Options{Flags: program.FlagNewListener}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.InstallErr != "" || res.Listener < 0 {
		t.Fatalf("install: %q, listener %d", res.InstallErr, res.Listener)
	}
}

func hexName(v uint64) string { return fmt.Sprintf("getppid(%#x)", v) }

// atFDCWD is AT_FDCWD (-100) as the 64-bit register holds it.
const atFDCWD = ^uint64(99)
