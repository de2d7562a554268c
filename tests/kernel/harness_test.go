//go:build linux

package kernel

import (
	"syscall"
	"testing"

	"github.com/scc-dev/scc/ir"
	"golang.org/x/sys/unix"
)

func TestCallBuilders(t *testing.T) {
	c := Syscall(unix.SYS_MKDIRAT, 1, 2, 3)
	d := c.WithString(1, "x").WithBuffer(2, 8).ClosingFD().Named("mk")
	if c.Strings != nil || c.Buffers != nil || c.CloseFD {
		t.Errorf("the With methods changed the original call: %+v", c)
	}
	if d.Args != [6]uint64{1, 2, 3} || d.Strings[1] != "x" || d.Buffers[2] != 8 || !d.CloseFD || d.String() != "mk" {
		t.Errorf("built call: %+v", d)
	}
	if s := Syscall(39).String(); s != "syscall(0x27)" {
		t.Errorf("default name %q", s)
	}
}

func TestMatches(t *testing.T) {
	ret := Outcome{Kind: Returned, Ret: 7}
	errno := func(e unix.Errno) Outcome { return Outcome{Kind: Returned, Ret: uint64(-e), Errno: e} }
	for _, tc := range []struct {
		o    Outcome
		a    ir.Action
		want bool
	}{
		{ret, ir.ActAllow, true},
		{ret, ir.ActLog, true},
		{errno(unix.EPERM), ir.ErrnoAction(1), true},
		{errno(unix.EPERM), ir.ErrnoAction(2), false},
		{errno(4095), ir.ErrnoAction(4095), true},
		{Outcome{Kind: Returned}, ir.ErrnoAction(0), true},
		{ret, ir.ErrnoAction(0), false},
		{errno(unix.ENOSYS), ir.Action{Kind: ir.UserNotif}, true},
		{errno(unix.ENOSYS), ir.Action{Kind: ir.Trace, Data: 3}, true},
		{Outcome{Kind: Trapped, TrapData: 3}, ir.Action{Kind: ir.Trap, Data: 3}, true},
		{Outcome{Kind: Trapped, TrapData: 3}, ir.Action{Kind: ir.Trap, Data: 4}, false},
		{Outcome{Kind: KilledThread}, ir.ActKillThread, true},
		{Outcome{Kind: KilledThread}, ir.ActKillProcess, false},
		{Outcome{Kind: KilledProcess, Signal: syscall.SIGSYS}, ir.ActKillProcess, true},
		{Outcome{Kind: KilledProcess, Signal: syscall.SIGKILL}, ir.ActKillProcess, false},
		{Outcome{Kind: Blocked}, ir.ActAllow, false},
	} {
		if got := tc.o.Matches(tc.a); got != tc.want {
			t.Errorf("%v matches %v = %v, want %v", tc.o, tc.a, got, tc.want)
		}
	}
}

func TestAssemble(t *testing.T) {
	ok := &Outcome{Kind: Returned}
	killed := syscall.WaitStatus(uint32(syscall.SIGSYS))
	res, err := assemble([]report{{Installed: true}, {Index: 0, Outcome: ok}}, "", killed, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []Kind{Returned, KilledProcess, NotRun}
	for i, k := range want {
		if res.Outcomes[i].Kind != k {
			t.Errorf("outcome %d: %v, want %v", i, res.Outcomes[i], k)
		}
	}
	if res.Outcomes[1].Signal != syscall.SIGSYS {
		t.Errorf("signal %v", res.Outcomes[1].Signal)
	}
	if _, err := assemble([]report{{Installed: true}}, "", 0, 1); err == nil {
		t.Errorf("a clean exit with a missing report is not a harness error")
	}
	if _, err := assemble(nil, "", 0, 1); err == nil {
		t.Errorf("no report at all is not a harness error")
	}
	res, err = assemble([]report{{InstallErr: "nope"}}, "", 0, 1)
	if err != nil || res.InstallErr != "nope" {
		t.Errorf("install error: %+v, %v", res, err)
	}
}
