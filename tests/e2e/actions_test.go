//go:build linux && amd64

package e2e_test

import (
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/tests/kernel"
)

// Harmless calls whose arguments the kernel ignores or only reads.
var (
	getppid = sys("getppid", unix.SYS_GETPPID)
	getuid  = sys("getuid", unix.SYS_GETUID)
	getgid  = sys("getgid", unix.SYS_GETGID)
	geteuid = sys("geteuid", unix.SYS_GETEUID)
	getegid = sys("getegid", unix.SYS_GETEGID)
	getpgrp = sys("getpgrp", unix.SYS_GETPGRP)
)

// TestEveryAction gives each action to its own harmless call under a default of allow.
func TestEveryAction(t *testing.T) {
	src := policy("allow",
		"errno(EPERM) getppid",
		"errno(4095) getuid",
		"trap(0x1234) getgid",
		"log geteuid",
		"trace(7) getegid",
		"user_notif getpgrp",
		"errno(0) umask",
	)
	prove(t, src, []probe{
		{getppid, errno(1)},
		{getuid, errno(4095)},
		{getgid, trap(0x1234)},
		{geteuid, logAct},
		{getegid, trace(7)},
		{getpgrp, notif},
		{sys("umask(0)", unix.SYS_UMASK, 0), errno(0)},
		{sys("getsid(0)", unix.SYS_GETSID, 0), allow},
	})
}

// TestTrapCarriesItsData checks the SIGSYS siginfo of a trap: the filter's data in si_errno,
// the call's number and the arch.
func TestTrapCarriesItsData(t *testing.T) {
	got := prove(t, policy("allow", "trap(0xbeef) getgid"), []probe{{getgid, trap(0xbeef)}})
	if o := got[0]; o.TrapNr != unix.SYS_GETGID || o.TrapArch != unix.AUDIT_ARCH_X86_64 {
		t.Errorf("trap siginfo: nr %d arch %#x", o.TrapNr, o.TrapArch)
	}
}

// TestKillProcessFromASecondThread: the harness makes every call on a thread that is not the
// thread-group leader; `kill` must end the whole process, so the calls after it never run.
func TestKillProcessFromASecondThread(t *testing.T) {
	out := build(t, policy("allow", "kill getppid"))
	if !out.Filter.ProcessKilling {
		t.Errorf("a policy with kill is not marked process-killing")
	}
	probes := []probe{{getuid, allow}, {getppid, killP}, {getgid, allow}}
	verdicts := checkVerdicts(t, out, probes)
	res, err := kernel.Run(out.Filter.Program, installOptions(out.Filter), calls(probes))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Status.Signaled() || res.Status.Signal() != syscall.SIGSYS {
		t.Fatalf("child status %v, want killed by SIGSYS\n%s", res.Status, res.Output)
	}
	if !agrees(res.Outcomes[0], verdicts[0]) || !agrees(res.Outcomes[1], verdicts[1]) {
		t.Errorf("outcomes %v, emulator %v", res.Outcomes[:2], verdicts[:2])
	}
	if res.Outcomes[2].Kind != kernel.NotRun {
		t.Errorf("a call ran after the process was killed: %v", res.Outcomes[2])
	}
}

// TestKillThreadSparesTheProcess: kill_thread ends the calling thread only; the child goes
// on with its next calls and exits cleanly.
func TestKillThreadSparesTheProcess(t *testing.T) {
	out := build(t, policy("allow", "kill_thread getppid"))
	probes := []probe{{getppid, killT}, {getuid, allow}, {getppid, killT}, {getgid, allow}}
	verdicts := checkVerdicts(t, out, probes)
	res, err := kernel.Run(out.Filter.Program, installOptions(out.Filter), calls(probes))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Status.Exited() || res.Status.ExitStatus() != 0 {
		t.Fatalf("child status %v, want a clean exit\n%s", res.Status, res.Output)
	}
	for i, o := range res.Outcomes {
		if !agrees(o, verdicts[i]) {
			t.Errorf("%v: the kernel did %v, the emulator says %v", probes[i].call, o, verdicts[i])
		}
	}
}

// TestDefaultDenies runs a policy whose default is an errno, with the harness's own calls
// allowed by a used base policy; `use` splices its rules in place.
func TestDefaultDenies(t *testing.T) {
	src := harnessBase + policy("errno(1001)",
		"use harness",
		"allow getppid",
		"kill_thread getuid",
	)
	prove(t, src, []probe{
		{getppid, allow},
		{getuid, killT},
		{getgid, errno(1001)},
		{sys("uname(bad pointer)", unix.SYS_UNAME, 1), errno(1001)},
		{sys("close(-1)", unix.SYS_CLOSE, 0xffffffff), allow},
	})
}

func calls(probes []probe) []kernel.Call {
	out := make([]kernel.Call, len(probes))
	for i, p := range probes {
		out[i] = p.call
	}
	return out
}
