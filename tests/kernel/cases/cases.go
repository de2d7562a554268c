// Package cases holds the project's hand-written kernel test cases as data, for every ABI:
// each case is a filter, the kernel filter flags it is installed with, and calls with the
// action the kernel must take on each. One definition serves two runners: tests/kernel checks
// the cases in the host's kernel, and `make test-arches` (tests/kernel's TestCasesInVMs) in
// each other ABI's own kernel under qemu, through package vm's agent. Both observe a call with
// package kerneltest, which installs the filter so that it decides the test call only.
//
// The filters are classic BPF written by hand, not compiled by scc: they test what the
// kernel does with a program (every action, errno clamping, a jump over more than 255
// instructions, the two halves of an argument in the arch's byte order, the log flag), so
// that scc's assumptions about the kernel hold on every ABI. (The new-listener flag is tested
// on the host only, by tests/kernel's own harness: kerneltest drops that flag.)
package cases

import (
	"fmt"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/stdlib"
)

// Case is one filter and the calls checked against it.
type Case struct {
	Name        string
	Program     []bpf.RawInstruction
	Flags       uint32 // kernel filter flags (program.Flag*)
	KillProcess bool   // the program kills processes (loader.Options.KillProcess)
	Calls       []Call
}

// Call is one call of a case and the action the kernel must take on it.
type Call struct {
	Name string
	Nr   uint64 // Arch.NrMask included
	Args [6]uint64
	Want ir.Action
}

// seccomp return values the filters use.
const (
	retKillProcess = 0x80000000
	retKillThread  = 0x00000000
	retTrap        = 0x00030000
	retErrno       = 0x00050000
	retUserNotif   = 0x7fc00000
	retTrace       = 0x7ff00000
	retLog         = 0x7ffc0000
	retAllow       = 0x7fff0000
)

// abi is what the filters need to know of an arch.
type abi struct {
	arch   stdlib.Arch
	wide   bool // the argument registers seccomp sees have 64 bits (x32's too)
	errors []error
}

// nr is a syscall's number on the arch; a missing one is recorded as an error.
func (a *abi) nr(name string) uint32 {
	n, ok := stdlib.SyscallNumber(a.arch.Name, name)
	if !ok {
		a.errors = append(a.errors, fmt.Errorf("%s has no %s", a.arch.Name, name))
	}
	return n
}

// argOffsets are the offsets in struct seccomp_data of argument i's low and high halves.
func (a *abi) argOffsets(i int) (lo, hi uint32) {
	lo, hi = uint32(16+8*i), uint32(20+8*i)
	if a.arch.BigEndian {
		lo, hi = hi, lo
	}
	return lo, hi
}

// archCheck kills the process for any audit arch but the ABI's (and, for the x86_64 and x32
// ABIs, for the other's numbers), then leaves the syscall number in A.
func (a *abi) archCheck() []bpf.Instruction {
	prog := []bpf.Instruction{
		bpf.LoadAbsolute{Off: 4, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: a.arch.Audit, SkipTrue: 1},
		bpf.RetConstant{Val: retKillProcess},
		bpf.LoadAbsolute{Off: 0, Size: 4},
	}
	if mask := a.arch.NrMask; mask != 0 {
		prog = append(prog,
			bpf.JumpIf{Cond: bpf.JumpBitsSet, Val: mask, SkipTrue: 1},
			bpf.RetConstant{Val: retKillProcess})
	} else if a.arch.Audit == 0xc000003e {
		prog = append(prog,
			bpf.JumpIf{Cond: bpf.JumpBitsNotSet, Val: 0x40000000, SkipTrue: 1},
			bpf.RetConstant{Val: retKillProcess})
	}
	return prog
}

// rule returns ret for the syscall named.
type rule struct {
	name string
	ret  uint32
}

// dispatch returns each rule's value for its syscall and allows the rest.
func (a *abi) dispatch(rules ...rule) []bpf.Instruction {
	prog := a.archCheck()
	for _, r := range rules {
		prog = append(prog,
			bpf.JumpIf{Cond: bpf.JumpNotEqual, Val: a.nr(r.name), SkipTrue: 1},
			bpf.RetConstant{Val: r.ret})
	}
	return append(prog, bpf.RetConstant{Val: retAllow})
}

// call is a call of the syscall named with the given argument registers.
func (a *abi) call(name string, want ir.Action, args ...uint64) Call {
	c := Call{Name: name, Nr: uint64(a.nr(name)), Want: want}
	copy(c.Args[:], args)
	if len(args) > 0 {
		c.Name = fmt.Sprintf("%s(%#x)", name, args[0])
	}
	return c
}

// ABI is what a runner needs to know of an arch to make a case's calls.
type ABI struct {
	Name      string // scc's arch name
	Audit     uint32 // AUDIT_ARCH value of its calls
	BigEndian bool   // struct seccomp_data's byte order
	// Wide tells whether seccomp sees 64-bit argument registers (x32's are); on the other
	// ABIs the high half of every argument is 0.
	Wide bool
}

// Arch describes an arch (scc's name) for the runners.
func Arch(name string) (ABI, bool) {
	info, ok := stdlib.LookupArch(name)
	if !ok {
		return ABI{}, false
	}
	return ABI{Name: info.Name, Audit: info.Audit, BigEndian: info.BigEndian,
		Wide: info.LongBits == 64 || info.NrMask != 0}, true
}

// For returns the cases for an arch (scc's name), each program assembled.
func For(arch string) ([]Case, error) {
	info, ok := stdlib.LookupArch(arch)
	if !ok {
		return nil, fmt.Errorf("unknown arch %q", arch)
	}
	d, _ := Arch(arch)
	a := &abi{arch: info, wide: d.Wide}
	var out []Case
	for _, d := range definitions(a) {
		raw, err := bpf.Assemble(d.prog)
		if err != nil {
			return nil, fmt.Errorf("%s: case %s: %w", arch, d.name, err)
		}
		if err := program.Verify(raw); err != nil {
			return nil, fmt.Errorf("%s: case %s: %w", arch, d.name, err)
		}
		out = append(out, Case{Name: d.name, Program: raw, Flags: d.flags, KillProcess: d.kill, Calls: d.calls})
	}
	if len(a.errors) > 0 {
		return nil, a.errors[0]
	}
	return out, nil
}

// definition is a case before its program is assembled.
type definition struct {
	name  string
	prog  []bpf.Instruction
	flags uint32
	kill  bool
	calls []Call
}

var (
	allow        = ir.ActAllow
	errnoAction  = ir.ErrnoAction
	trap         = func(data uint16) ir.Action { return ir.Action{Kind: ir.Trap, Data: data} }
	traceAction  = func(data uint16) ir.Action { return ir.Action{Kind: ir.Trace, Data: data} }
	notifyAction = ir.Action{Kind: ir.UserNotif}
)

// definitions are the cases, in terms of the ABI.
func definitions(a *abi) []definition {
	return []definition{
		{
			name: "errno denies mkdirat and allows the rest",
			prog: a.dispatch(rule{"mkdirat", retErrno | 1}),
			calls: []Call{
				a.call("mkdirat", errnoAction(1), 0xffffff9c, 0, 0o700),
				a.call("getpid", allow), a.call("uname", allow), a.call("close", allow, 0xffffffff),
			},
		},
		{
			name: "errno data is clamped to 4095 and errno(0) returns 0",
			prog: a.dispatch(rule{"mkdirat", retErrno | 0}, rule{"getppid", retErrno | 5000}),
			calls: []Call{
				a.call("mkdirat", errnoAction(0), 0xffffff9c, 0, 0o700),
				a.call("getppid", errnoAction(4095)),
				a.call("getpid", allow),
			},
		},
		{
			name: "kill_process", kill: true,
			prog:  a.dispatch(rule{"getpid", retKillProcess}),
			calls: []Call{a.call("getppid", allow), a.call("getpid", ir.ActKillProcess)},
		},
		{
			name:  "kill_thread",
			prog:  a.dispatch(rule{"getpid", retKillThread}),
			calls: []Call{a.call("getpid", ir.ActKillThread), a.call("getppid", allow)},
		},
		argumentHalves(a),
		farJump(a),
		{
			name: "log", flags: program.FlagLog,
			prog:  a.dispatch(rule{"getpid", retLog}),
			calls: []Call{a.call("getpid", ir.ActLog), a.call("getppid", allow)},
		},
		{
			name:  "trap with its data",
			prog:  a.dispatch(rule{"getppid", retTrap | 0x42}),
			calls: []Call{a.call("getppid", trap(0x42)), a.call("getpid", allow)},
		},
		{
			name:  "user_notif and trace without a peer",
			prog:  a.dispatch(rule{"getppid", retUserNotif}, rule{"getuid", retTrace | 7}),
			calls: []Call{a.call("getppid", notifyAction), a.call("getuid", traceAction(7)), a.call("getpid", allow)},
		},
	}
}

// argumentHalves tests that a filter sees an argument as two words at the arch's offsets,
// the high one 0 where the registers have 32 bits: getppid's arg0 is errno(1001) when it is
// 0xdeadbeef_00000005, getuid's errno(1003) when it is 5 (its high half 0).
func argumentHalves(a *abi) definition {
	lo, hi := a.argOffsets(0)
	prog := append(a.archCheck(),
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: a.nr("getppid"), SkipFalse: 5},
		bpf.LoadAbsolute{Off: lo, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 5, SkipFalse: 9},
		bpf.LoadAbsolute{Off: hi, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 0xdeadbeef, SkipFalse: 7},
		bpf.RetConstant{Val: retErrno | 1001},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: a.nr("getuid"), SkipFalse: 5},
		bpf.LoadAbsolute{Off: lo, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 5, SkipFalse: 3},
		bpf.LoadAbsolute{Off: hi, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 0, SkipFalse: 1},
		bpf.RetConstant{Val: retErrno | 1003},
		bpf.RetConstant{Val: retAllow},
	)
	// With 32-bit registers the high half the call passes is dropped.
	wideOnly := func(wide, narrow ir.Action) ir.Action {
		if a.wide {
			return wide
		}
		return narrow
	}
	return definition{
		name: "argument halves are separate words",
		prog: prog,
		calls: []Call{
			a.call("getppid", wideOnly(errnoAction(1001), allow), 0xdeadbeef_00000005),
			a.call("getppid", allow, 5),
			a.call("getppid", allow, 0xdeadbeef_00000006),
			a.call("getppid", allow, 0xdeadbeee_00000005),
			a.call("getuid", errnoAction(1003), 5),
			a.call("getuid", wideOnly(allow, errnoAction(1003)), 0x1_00000005),
		},
	}
}

// farJump jumps with JA over more than 255 instructions to mkdirat's return.
func farJump(a *abi) definition {
	const far = 300
	prog := append(a.archCheck(),
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: a.nr("mkdirat"), SkipFalse: 1},
		bpf.Jump{Skip: far + 1}, // over the filler and the RET ALLOW
	)
	for range far {
		prog = append(prog, bpf.ALUOpConstant{Op: bpf.ALUOpAdd, Val: 0})
	}
	prog = append(prog,
		bpf.RetConstant{Val: retAllow},
		bpf.RetConstant{Val: retErrno | 1002})
	return definition{
		name:  "jump over more than 255 instructions",
		prog:  prog,
		calls: []Call{a.call("mkdirat", errnoAction(1002), 0xffffff9c), a.call("getpid", allow)},
	}
}
