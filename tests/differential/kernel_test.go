//go:build linux && amd64

package differential_test

import (
	"fmt"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/loader"
	"github.com/scc-dev/scc/optimizer"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/tests/differential"
	"github.com/scc-dev/scc/tests/kernel"
)

// safeNumbers are syscalls that the harness and the Go runtime never make after the filter
// is installed and that, allowed, only read their arguments as numbers: any raw register
// values are safe to pass and any action is safe to give them.
var safeNumbers = []uint32{
	unix.SYS_GETPPID, unix.SYS_GETUID, unix.SYS_GETGID, unix.SYS_GETEUID, unix.SYS_GETEGID,
	unix.SYS_GETPGRP, unix.SYS_GETSID, unix.SYS_GETPGID, unix.SYS_SCHED_GETSCHEDULER,
	unix.SYS_GETPRIORITY,
}

// kernelActions are the actions of the kernel sample: every kind, with errno values no real
// call returns, so that a filter's errno is never mistaken for the call's own.
var kernelActions = []ir.Action{
	ir.ActAllow, ir.ActAllow, ir.ActLog, ir.ActKillProcess, ir.ActKillThread,
	ir.ErrnoAction(1000), ir.ErrnoAction(1234), ir.ErrnoAction(ir.MaxErrno),
	{Kind: ir.Trap, Data: 0x77}, {Kind: ir.Trace, Data: 1}, {Kind: ir.UserNotif},
}

// TestKernelSample installs a sample of random policies outside libseccomp's subset in the
// real kernel and checks each call's outcome against the emulator, which must agree with
// Decide. Rules name only safeNumbers; the default allows, so the harness runs. Calls are
// x86_64 and x32 numbers of the safe calls with random argument registers (the kernel hands
// the filter all 64 bits), plus numbers above the table for `default newer`.
func TestKernelSample(t *testing.T) {
	policies, calls := 16, 40
	if testing.Short() {
		policies = 4
	}
	r := newRand(0x4e7, 1)
	seen := map[kernel.Kind]int{}
	for i := range policies {
		set := []string{"x86_64"}
		if i%2 == 1 {
			set = append(set, "x32")
		}
		cfg := differential.Config{Arches: arches(t, set...), Numbers: safeNumbers, Actions: kernelActions, Syscalls: 6}
		p := differential.Policy(r, cfg)
		for _, ap := range p.Arches {
			ap.Default = ir.ActAllow
		}
		f := mustCompile(t, p, optimizer.Options{})
		t.Run(fmt.Sprint(i), func(t *testing.T) { kernelAgrees(t, p, f, kernelCalls(r, p, calls), seen) })
	}
	t.Logf("outcomes seen: %v", seen)
	if len(seen) < 4 { // returned, trapped, killed thread, killed process
		t.Errorf("the sample saw only %d kinds of outcome", len(seen))
	}
}

// kernelCalls draws calls of safe numbers (and above the table) for p.
func kernelCalls(r interface{ IntN(int) int }, p *ir.Policy, n int) []program.SeccompData {
	out := make([]program.SeccompData, 0, n)
	for _, d := range differential.Calls(newRand(uint64(r.IntN(1<<30)), 2), p, 4*n) {
		nr := uint32(d.Nr)
		if d.Arch != ir.AuditArchX86_64 || !safe(nr, p) {
			continue
		}
		if out = append(out, d); len(out) == n {
			break
		}
	}
	return out
}

// safe tells whether the kernel may be asked to run syscall nr: a safe call by its x86_64
// or x32 number, or a number of no syscall (the kernel returns ENOSYS).
func safe(nr uint32, p *ir.Policy) bool {
	base := nr &^ ir.X32SyscallBit
	for _, s := range safeNumbers {
		if base == s {
			return true
		}
	}
	return base > p.Arches[0].MaxKnown && base < ir.X32SyscallBit
}

// kernelAgrees makes the calls in a child and compares each outcome with the emulator's
// verdict, and the verdict with Decide. It counts the outcomes by kind in seen.
func kernelAgrees(t *testing.T, p *ir.Policy, f *backend.Filter, calls []program.SeccompData, seen map[kernel.Kind]int) {
	agreeWithDecide(t, p, f, calls)
	kcalls := make([]kernel.Call, len(calls))
	for i, d := range calls {
		kcalls[i] = kernel.Syscall(uintptr(uint32(d.Nr)), d.Args[:]...)
	}
	opts := loader.Options{Flags: f.FilterFlags, KillProcess: f.ProcessKilling, Arches: f.Arches}
	for i, o := range kernel.RunChild(t, f.Program, opts, kcalls) {
		want := ir.ActionFromRet(emulate(t, f, calls[i]))
		seen[o.Kind]++
		if !o.Matches(want) || (want.Kind == ir.Allow || want.Kind == ir.Log) && o.Errno >= 1000 {
			t.Errorf("the kernel did %v, the emulator says %v\ncall: %s\npolicy: %s",
				o, want, describeCall(calls[i]), describeNr(p, calls[i]))
		}
	}
}

// TestKernelArgumentSearch installs filters whose argument rules are searched (a 300-value
// set, 1,000 equalities and ranges of several actions on one 32-bit word, and on both words
// of a 64-bit argument) in the real kernel, and checks the outcome of calls on the values,
// their neighbours and random ones against the emulator and Decide.
func TestKernelArgumentSearch(t *testing.T) {
	r := newRand(0x5ea7c4, 1)
	acts := []ir.Action{ir.ErrnoAction(1000), ir.ErrnoAction(1234), ir.ActLog, ir.ErrnoAction(ir.MaxErrno)}
	seen := map[kernel.Kind]int{}
	for i, width := range []int{32, 32, 64} {
		var rules []ir.Rule
		var values []uint64
		n := 300
		if i > 0 {
			n = 1000
		}
		for k := range n {
			v := r.Uint64N(1 << 20)
			if width == 64 {
				v |= r.Uint64N(4) << 32
			}
			values = append(values, v)
			c := ir.Cmp{Arg: 1, Width: width, Mask: ^uint64(0), Op: ir.EQ, Value: v}
			act := acts[0]
			if i > 0 {
				act = acts[k%len(acts)]
				if k%5 == 0 { // a range
					c.Op, c.Value = ir.LT, v
					rules = append(rules, ir.Rule{Cond: ir.And{c, ir.Cmp{Arg: 1, Width: width, Mask: ^uint64(0), Op: ir.GE, Value: v - v%512}}, Action: act})
					continue
				}
			}
			rules = append(rules, ir.Rule{Cond: c, Action: act})
		}
		ap := &ir.ArchPolicy{
			Arch: arches(t, "x86_64")[0], Default: ir.ActAllow, MaxKnown: 1000,
			Rules: map[uint32][]ir.Rule{unix.SYS_GETPRIORITY: rules},
		}
		p := &ir.Policy{Name: "search", Arches: []*ir.ArchPolicy{ap}, BadArch: ir.ActKillProcess}
		f := mustCompile(t, p, optimizer.Options{})
		var calls []program.SeccompData
		for _, v := range values[:100] {
			for _, x := range []uint64{v, v + 1, v - 1, r.Uint64N(1 << 21), r.Uint64()} {
				calls = append(calls, program.SeccompData{Nr: unix.SYS_GETPRIORITY, Arch: ir.AuditArchX86_64, Args: [6]uint64{0, x}})
			}
		}
		t.Run(fmt.Sprint(i), func(t *testing.T) { kernelAgrees(t, p, f, calls, seen) })
	}
	if seen[kernel.Returned] == 0 {
		t.Errorf("outcomes: %v", seen)
	}
}
