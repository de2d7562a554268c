//go:build linux && amd64

package e2e_test

import (
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/loader"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/tests/kernel"
)

// filterErrnoBase is the smallest errno the test filters return where a real errno could be
// confused with it; no real syscall fails with an errno this large.
const filterErrnoBase = 1000

// harnessBase is a policy allowing what the kernel harness and the Go runtime need after the
// filter is installed, for the tests whose default denies.
const harnessBase = `
policy harness {
    allow read, write, close, openat, newfstatat, fstat, fcntl, lseek, pipe2
    allow mmap, munmap, mprotect, madvise, brk, mremap
    allow futex, clone, clone3, exit, exit_group, gettid, getpid, tgkill, tkill
    allow rt_sigaction, rt_sigprocmask, rt_sigreturn, sigaltstack
    allow sched_yield, sched_getaffinity, nanosleep, clock_nanosleep, clock_gettime
    allow epoll_create1, epoll_ctl, epoll_pwait, epoll_pwait2, epoll_wait, eventfd2
    allow getrandom, set_robust_list, rseq, prlimit64
}
`

// probe is one call to make in the kernel, with the action the test expects the policy to
// give it.
type probe struct {
	call kernel.Call
	want ir.Action
}

// sys names a call of syscall nr with raw argument registers.
func sys(name string, nr uintptr, args ...uint64) kernel.Call {
	return kernel.Syscall(nr, args...).Named(name)
}

// Actions the tests expect, by name.
var (
	allow  = ir.ActAllow
	logAct = ir.ActLog
	killP  = ir.ActKillProcess
	killT  = ir.ActKillThread
	notif  = ir.Action{Kind: ir.UserNotif}
)

func errno(n uint16) ir.Action { return ir.ErrnoAction(n) }
func trap(n uint16) ir.Action  { return ir.Action{Kind: ir.Trap, Data: n} }
func trace(n uint16) ir.Action { return ir.Action{Kind: ir.Trace, Data: n} }

// build compiles a policy source through the whole pipeline and fails the test on any error.
func build(t *testing.T, src string) *pipeline.Output {
	t.Helper()
	out, errs := pipeline.BuildSource("e2e.sc", []byte(src), pipeline.Options{})
	if errs.HasErrors() {
		t.Fatalf("building the policy: %v\n%s", errs, src)
	}
	return out
}

// installOptions are the loader options a blob of f would carry.
func installOptions(f *backend.Filter) loader.Options {
	return loader.Options{Flags: f.FilterFlags, KillProcess: f.ProcessKilling, Arches: f.Arches}
}

// seccompData is what the filter sees for a call made on x86_64.
func seccompData(c kernel.Call) program.SeccompData {
	return program.SeccompData{Nr: int32(uint32(c.Nr)), Arch: unix.AUDIT_ARCH_X86_64, Args: c.Args}
}

// emulate is the emulator's verdict on the filter for a call.
func emulate(t *testing.T, f *backend.Filter, c kernel.Call) ir.Action {
	t.Helper()
	vm, err := program.NewVM(f.Program, f.BigEndian)
	if err != nil {
		t.Fatalf("the filter does not verify: %v", err)
	}
	ret, _ := vm.Run(seccompData(c))
	return ir.ActionFromRet(ret)
}

// checkVerdicts compares, for every probe, the expected action with Decide and with the
// emulator, and returns the emulator's verdicts.
func checkVerdicts(t *testing.T, out *pipeline.Output, probes []probe) []ir.Action {
	t.Helper()
	verdicts := make([]ir.Action, len(probes))
	for i, p := range probes {
		decided := out.Policy.Decide(seccompData(p.call))
		verdicts[i] = emulate(t, out.Filter, p.call)
		if decided != p.want {
			t.Errorf("%v: Decide says %v, the policy's text says %v", p.call, decided, p.want)
		}
		if verdicts[i] != decided {
			t.Errorf("%v: the emulator says %v, Decide says %v", p.call, verdicts[i], decided)
		}
	}
	return verdicts
}

// agrees tells whether a kernel outcome is what the kernel does for the action. It is
// Outcome.Matches, stricter for allow and log: a call they let through must not fail with
// one of the test filters' errno values.
func agrees(o kernel.Outcome, a ir.Action) bool {
	if !o.Matches(a) {
		return false
	}
	if a.Kind == ir.Allow || a.Kind == ir.Log {
		return o.Errno < filterErrnoBase
	}
	return true
}

// prove builds src, checks the probes' verdicts, makes the calls in the kernel and checks
// that each outcome matches the emulator's verdict. It returns the outcomes.
func prove(t *testing.T, src string, probes []probe) []kernel.Outcome {
	t.Helper()
	out := build(t, src)
	verdicts := checkVerdicts(t, out, probes)
	calls := make([]kernel.Call, len(probes))
	for i, p := range probes {
		calls[i] = p.call
	}
	got := kernel.RunChild(t, out.Filter.Program, installOptions(out.Filter), calls)
	for i, o := range got {
		if !agrees(o, verdicts[i]) {
			t.Errorf("%v: the kernel did %v, the emulator says %v", calls[i], o, verdicts[i])
		}
	}
	return got
}

// policy wraps rule lines in a policy for x86_64 with the given default.
func policy(def string, lines ...string) string {
	return "policy t {\n    arch x86_64\n    default " + def + "\n    " +
		strings.Join(lines, "\n    ") + "\n}\n"
}
