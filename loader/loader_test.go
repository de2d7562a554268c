//go:build linux

package loader_test

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/scc-dev/scc/loader"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/tests/kernel"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

var allFlags = []uint32{
	program.FlagTSync, program.FlagLog, program.FlagSpecAllow,
	program.FlagNewListener, program.FlagTSyncESRCH, program.FlagWaitKillableRecv,
}

// allowAll is the smallest filter: RET ALLOW.
var allowAll = []bpf.RawInstruction{{Op: 0x06, K: unix.SECCOMP_RET_ALLOW}}

func TestActionAvailable(t *testing.T) {
	for _, a := range []uint32{
		unix.SECCOMP_RET_KILL_PROCESS, unix.SECCOMP_RET_KILL_THREAD, unix.SECCOMP_RET_TRAP,
		unix.SECCOMP_RET_ERRNO | 1, unix.SECCOMP_RET_USER_NOTIF, unix.SECCOMP_RET_TRACE,
		unix.SECCOMP_RET_LOG, unix.SECCOMP_RET_ALLOW,
	} {
		if !loader.ActionAvailable(a) {
			t.Errorf("ActionAvailable(%#x) = false on Linux 6.x", a)
		}
	}
	if loader.ActionAvailable(0x12340000) {
		t.Errorf("ActionAvailable(0x12340000) = true for no action")
	}
}

func TestFlagSupported(t *testing.T) {
	for _, f := range allFlags {
		if !loader.FlagSupported(f) {
			t.Errorf("FlagSupported(%s) = false on Linux 6.x", program.FlagString(f))
		}
	}
	if loader.FlagSupported(1 << 30) {
		t.Errorf("FlagSupported(1<<30) = true")
	}
	if loader.FlagSupported(program.FlagLog | 1<<30) {
		t.Errorf("FlagSupported(LOG|1<<30) = true")
	}
}

func TestCheckRefusesAnUnknownFlagByName(t *testing.T) {
	err := loader.Check(allowAll, loader.Options{Flags: program.FlagLog | 1<<30})
	var fe *loader.FlagError
	if !errors.As(err, &fe) || fe.Flags != 1<<30 || !errors.Is(err, loader.ErrUnsupported) {
		t.Fatalf("got %v, want a FlagError for bit 30 wrapping ErrUnsupported", err)
	}
	if !strings.Contains(err.Error(), "bit30 (0x40000000)") {
		t.Errorf("the error does not name the flag: %v", err)
	}
}

func TestCheckExplainsRefusedCombinations(t *testing.T) {
	for flags, hint := range map[uint32]string{
		program.FlagTSync | program.FlagNewListener: "needs TSYNC_ESRCH",
		program.FlagWaitKillableRecv:                "needs NEW_LISTENER",
	} {
		err := loader.Check(allowAll, loader.Options{Flags: flags})
		var fe *loader.FlagError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), hint) || errors.Is(err, loader.ErrUnsupported) {
			t.Errorf("flags %s: got %v, want a FlagError saying %q", program.FlagString(flags), err, hint)
		}
	}
	ok := program.FlagTSync | program.FlagNewListener | program.FlagTSyncESRCH | program.FlagWaitKillableRecv
	if err := loader.Check(allowAll, loader.Options{Flags: ok}); err != nil {
		t.Errorf("flags %s: %v", program.FlagString(ok), err)
	}
}

func TestCheckVerifiesTheProgram(t *testing.T) {
	long := make([]bpf.RawInstruction, program.MaxInsns+1)
	for i := range long {
		long[i] = allowAll[0]
	}
	for name, c := range map[string]struct {
		prog []bpf.RawInstruction
		want string
	}{
		"empty":        {nil, "program is empty"},
		"too long":     {long, "the kernel's limit is 4096"},
		"no final RET": {[]bpf.RawInstruction{{Op: 0x20, K: 0}}, "not a RET"},
		"unaligned":    {[]bpf.RawInstruction{{Op: 0x20, K: 2}, allowAll[0]}, "offset 2"},
	} {
		err := loader.Check(c.prog, loader.Options{})
		if !errors.Is(err, loader.ErrBadFilter) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Check = %v; want ErrBadFilter saying %q", name, err, c.want)
		}
	}
}

func TestCheckArch(t *testing.T) {
	if got := loader.NativeArch(); got != unix.AUDIT_ARCH_X86_64 {
		t.Skipf("NativeArch = %#x: these expectations are for x86_64", got)
	}
	if err := loader.CheckArch([]uint32{unix.AUDIT_ARCH_I386, unix.AUDIT_ARCH_X86_64}); err != nil {
		t.Errorf("x86_64 in the list: %v", err)
	}
	for _, arches := range [][]uint32{nil, {unix.AUDIT_ARCH_AARCH64}, {unix.AUDIT_ARCH_I386, 0x1234}} {
		err := loader.CheckArch(arches)
		var ae *loader.ArchError
		if !errors.As(err, &ae) || !errors.Is(err, loader.ErrArch) {
			t.Errorf("CheckArch(%#x) = %v, want an ArchError", arches, err)
			continue
		}
		if !strings.Contains(err.Error(), "the kernel is x86_64") {
			t.Errorf("CheckArch(%#x): %v", arches, err)
		}
	}
	err := loader.Check(allowAll, loader.Options{Arches: []uint32{unix.AUDIT_ARCH_AARCH64}})
	if !errors.Is(err, loader.ErrArch) || !strings.Contains(err.Error(), "[aarch64]") {
		t.Errorf("Check with an aarch64 filter: %v", err)
	}
}

func TestInstallRefusesBeforeChangingAnything(t *testing.T) {
	// These fail in Check, before no_new_privs or seccomp: safe in the test process itself.
	for name, opts := range map[string]loader.Options{
		"bad flag": {Flags: 1 << 30},
		"bad arch": {Arches: []uint32{unix.AUDIT_ARCH_AARCH64}},
	} {
		if fd, err := loader.Install(allowAll, opts); err == nil || fd != -1 {
			t.Errorf("%s: Install = %d, %v", name, fd, err)
		}
	}
	nnp, err := unix.PrctlRetInt(unix.PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0)
	if err != nil || nnp != 0 {
		t.Errorf("no_new_privs = %d, %v after refused installs", nnp, err)
	}
	var mode int
	if mode, err = unix.PrctlRetInt(unix.PR_GET_SECCOMP, 0, 0, 0, 0); err != nil || mode != 0 {
		t.Errorf("seccomp mode = %d, %v after refused installs", mode, err)
	}
}

// TestInstallInAChild installs filters for real, in child processes.
func TestInstallInAChild(t *testing.T) {
	getpid := kernel.Syscall(unix.SYS_GETPID).Named("getpid")
	for name, opts := range map[string]loader.Options{
		"no flags":     {},
		"log":          {Flags: program.FlagLog},
		"spec allow":   {Flags: program.FlagSpecAllow},
		"kill process": {KillProcess: true, Arches: []uint32{loader.NativeArch()}},
		"listener":     {Flags: program.FlagNewListener | program.FlagWaitKillableRecv},
	} {
		res, err := kernel.Run(allowAll, opts, []kernel.Call{getpid})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.InstallErr != "" || res.Outcomes[0].Kind != kernel.Returned {
			t.Errorf("%s: install %q, getpid %v", name, res.InstallErr, res.Outcomes[0])
		}
		if (opts.Flags&program.FlagNewListener != 0) != (res.Listener >= 0) {
			t.Errorf("%s: listener fd %d", name, res.Listener)
		}
	}
}

func TestInstallErrorInAChildNamesTheFlag(t *testing.T) {
	res, err := kernel.Run(allowAll, loader.Options{Flags: 1 << 30}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.InstallErr, "bit30") {
		t.Errorf("install error %q does not name the flag", res.InstallErr)
	}
}

// TestInstallWithoutTSyncFiltersOnlyTheCallingThread installs a filter in the test process
// itself, on a thread that dies with its goroutine: the rest of the process stays unfiltered.
func TestInstallWithoutTSyncFiltersOnlyTheCallingThread(t *testing.T) {
	prog, err := bpf.Assemble([]bpf.Instruction{
		bpf.LoadAbsolute{Off: 0, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: unix.SYS_GETPPID, SkipFalse: 1},
		bpf.RetConstant{Val: unix.SECCOMP_RET_ERRNO | 1003},
		bpf.RetConstant{Val: unix.SECCOMP_RET_ALLOW},
	})
	if err != nil {
		t.Fatal(err)
	}
	type report struct {
		err        error
		sameThread bool
		errno      unix.Errno
	}
	done := make(chan report)
	go func() {
		runtime.LockOSThread() // never unlocked: the filtered thread ends with the goroutine
		tid := unix.Gettid()
		_, err := loader.Install(prog, loader.Options{})
		_, _, errno := unix.Syscall(unix.SYS_GETPPID, 0, 0, 0)
		done <- report{err, unix.Gettid() == tid, errno}
	}()
	r := <-done
	if r.err != nil || !r.sameThread || r.errno != 1003 {
		t.Fatalf("on the installing thread: err %v, same thread %v, getppid errno %d", r.err, r.sameThread, r.errno)
	}
	if _, _, errno := unix.Syscall(unix.SYS_GETPPID, 0, 0, 0); errno != 0 {
		t.Errorf("another thread is filtered too: getppid errno %d", errno)
	}
}
