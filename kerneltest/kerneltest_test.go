//go:build linux && amd64

package kerneltest

import (
	"testing"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/loader"
	"github.com/scc-dev/scc/program"
)

// one returns a filter that returns a for syscall nr and allows the rest.
func one(nr uint32, a ir.Action) *loader.Filter {
	return &loader.Filter{
		Program: []bpf.RawInstruction{
			{Op: 0x20, K: 0},                // ld [nr]
			{Op: 0x15, K: nr, Jf: 1},        // jeq #nr
			{Op: 0x06, K: a.Ret()},          // ret a
			{Op: 0x06, K: program.RetAllow}, // ret allow
		},
		Options: loader.Options{KillProcess: a.Kind == ir.KillProcess},
	}
}

func TestCheck(t *testing.T) {
	getpid := Call{Nr: unix.SYS_GETPID}
	for _, tc := range []struct {
		a    ir.Action
		safe bool
		want string
	}{
		{ir.ErrnoAction(1), true, "errno(1)"},
		{ir.ErrnoAction(0), true, "errno(0)"},
		{ir.ErrnoAction(5000), true, "errno(4095)"},
		{ir.ActKillProcess, true, "kill_process"},
		{ir.ActKillThread, true, "kill_thread"},
		{ir.Action{Kind: ir.Trap, Data: 7}, true, "trap(7)"},
		{ir.ActLog, true, "allow or log"},
		{ir.Action{Kind: ir.UserNotif}, true, "user_notif"},
		{ir.Action{Kind: ir.Trace, Data: 3}, true, "trace"},
		{ir.Action{Kind: ir.Trace, Data: 3}, false, "trace or allow"},
	} {
		v, err := Check(one(unix.SYS_GETPID, tc.a), getpid, tc.safe)
		if err != nil {
			t.Errorf("%v: %v", tc.a, err)
			continue
		}
		if v.String() != tc.want || !v.Matches(tc.a) {
			t.Errorf("%v (safe %v): verdict %v (runs %v), want %s", tc.a, tc.safe, v, v.Runs, tc.want)
		}
		if v.Unresolved != !tc.safe {
			t.Errorf("%v (safe %v): unresolved %v", tc.a, tc.safe, v.Unresolved)
		}
	}
	// Trace against allow, for a call the filter allows: made for real when safe.
	v, err := Check(one(unix.SYS_GETPPID, ir.Action{Kind: ir.Trace}), getpid, true)
	if err != nil || v.String() != "allow" || len(v.Runs) != 2 {
		t.Errorf("allowed getpid under a tracing filter: %v %v %v", v, v.Runs, err)
	}
}

// TestAllowedCallIsNotMade: an allowed exit_group would end the child before it reports.
func TestAllowedCallIsNotMade(t *testing.T) {
	v, err := Check(one(unix.SYS_GETPID, ir.ErrnoAction(1)), Call{Nr: unix.SYS_EXIT_GROUP, Args: [6]uint64{42}}, false)
	if err != nil || v.String() != "allow" || v.Unresolved {
		t.Errorf("allowed exit_group: %v %v %v", v, v.Runs, err)
	}
}

func TestI386AndX32(t *testing.T) {
	if err := Supports(I386); err != nil {
		t.Skip(err)
	}
	// i386 getpid is 20; the x86_64 filter's arch is not checked here, only the number.
	v, err := Check(one(20, ir.ErrnoAction(9)), Call{ABI: I386, Nr: 20}, false)
	if err != nil || v.String() != "errno(9)" {
		t.Errorf("i386 getpid: %v %v %v", v, v.Runs, err)
	}
	x32 := uint32(ir.X32SyscallBit | unix.SYS_GETPID)
	v, err = Check(one(x32, ir.Action{Kind: ir.Trap, Data: 2}), Call{Nr: uint64(x32)}, false)
	if err != nil || v.String() != "trap(2)" {
		t.Errorf("x32 getpid: %v %v %v", v, v.Runs, err)
	}
}
