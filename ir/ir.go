// Package ir is the intermediate representation between the compiler and the optimizer: a
// resolved policy, per architecture, with each syscall's rules in first-match order and every
// name already turned into a number.
//
// The IR also carries the reference semantics (Decide): what the filter must return for a given
// seccomp_data. Every optimized program is tested against it.
//
// It knows nothing of the source text: it must not import lang, the compiler, the optimizer,
// the back end or the loader.
package ir

import (
	"fmt"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/program"
)

// ActionKind is the kind of a seccomp action.
type ActionKind uint8

// The action kinds, ordered by the kernel's precedence (most restrictive first).
const (
	KillProcess ActionKind = iota
	KillThread
	Trap
	Errno
	UserNotif
	Trace
	Log
	Allow
)

// Limits on action data.
const (
	MaxErrno = 4095  // the kernel clamps errno data to MAX_ERRNO
	MaxData  = 65535 // trap and trace data are 16 bits
)

// Action is what the filter returns for a call: a kind and, for errno, trap and trace, its data.
type Action struct {
	Kind ActionKind
	Data uint16
}

// Common actions.
var (
	ActAllow       = Action{Kind: Allow}
	ActKillProcess = Action{Kind: KillProcess}
	ActKillThread  = Action{Kind: KillThread}
	ActLog         = Action{Kind: Log}
)

// ErrnoAction returns the action errno(n).
func ErrnoAction(n uint16) Action { return Action{Kind: Errno, Data: n} }

// Ret is the 32-bit value a filter returns for the action.
func (a Action) Ret() uint32 {
	switch a.Kind {
	case KillProcess:
		return program.RetKillProcess
	case KillThread:
		return program.RetKillThread
	case Trap:
		return program.RetTrap | uint32(a.Data)
	case Errno:
		return program.RetErrno | uint32(a.Data)
	case UserNotif:
		return program.RetUserNotif
	case Trace:
		return program.RetTrace | uint32(a.Data)
	case Log:
		return program.RetLog
	case Allow:
		return program.RetAllow
	}
	panic(fmt.Sprintf("ir: unknown action kind %d", a.Kind))
}

// ActionFromRet decodes a filter's return value. Unknown action values decode as the kernel
// treats them: as kill_process.
func ActionFromRet(ret uint32) Action {
	data := uint16(ret & program.RetData)
	switch ret & program.RetActionFull {
	case program.RetKillProcess:
		return ActKillProcess
	case program.RetKillThread:
		return ActKillThread
	case program.RetTrap:
		return Action{Kind: Trap, Data: data}
	case program.RetErrno:
		return Action{Kind: Errno, Data: data}
	case program.RetUserNotif:
		return Action{Kind: UserNotif}
	case program.RetTrace:
		return Action{Kind: Trace, Data: data}
	case program.RetLog:
		return ActLog
	case program.RetAllow:
		return ActAllow
	}
	return ActKillProcess
}

// String writes the action as the policy language spells it.
func (a Action) String() string {
	switch a.Kind {
	case KillProcess:
		return "kill_process"
	case KillThread:
		return "kill_thread"
	case Trap:
		return fmt.Sprintf("trap(%d)", a.Data)
	case Errno:
		return fmt.Sprintf("errno(%d)", a.Data)
	case UserNotif:
		return "user_notif"
	case Trace:
		return fmt.Sprintf("trace(%d)", a.Data)
	case Log:
		return "log"
	case Allow:
		return "allow"
	}
	return fmt.Sprintf("action(%d)", a.Kind)
}

// Facts of x86_64, where two ABIs share one audit value.
const (
	X32SyscallBit   uint32 = 0x40000000 // __X32_SYSCALL_BIT: set in every x32 number
	AuditArchX86_64 uint32 = 0xc000003e // AUDIT_ARCH_X86_64
)

// Arch describes one architecture of a policy, as the filter sees it.
type Arch struct {
	Name      string // "x86_64", "i386", "x32", "aarch64", ...
	Audit     uint32 // AUDIT_ARCH_* value found in seccomp_data.arch
	BigEndian bool   // byte order of seccomp_data on this arch
	// NrMask, when not zero, is the bit every syscall number of this arch carries
	// (x32: 0x40000000); the numbers in ArchPolicy.Rules include it.
	NrMask uint32
}

// Policy is a compiled policy: what the filter returns on every architecture it covers.
type Policy struct {
	Name    string
	Arches  []*ArchPolicy // in the order the policy names them
	BadArch Action        // for an arch the policy does not name (`default foreign`; kill_process unless set)
	Flags   uint32        // kernel filter flags to pass at install (program.Flag*)
	// Listener, when set, is where a container runtime sends the filter's notification fd
	// (an OCI profile's listenerPath and listenerMetadata); the filter does not depend on it.
	Listener *Listener
}

// Listener is an OCI profile's listenerPath, the unix socket a runtime sends the
// notification fd and the container's state to, and its listenerMetadata, passed along.
type Listener struct {
	Path, Metadata string
}

// ArchPolicy is a policy on one architecture.
type ArchPolicy struct {
	Arch    Arch
	Default Action            // what no rule matches
	Rules   map[uint32][]Rule // syscall number → rules, first match wins
	// Names maps syscall numbers to names, for listings and disassembly. It may be shared
	// (the compiler's is stdlib's table): read only.
	Names map[uint32]string
	// Numbers, when set, are the keys of Names, ascending (read only as well); the optimizer
	// sorts them itself when it is nil.
	Numbers []uint32
	// MaxKnown is the highest syscall number in this arch's table (with NrMask included).
	MaxKnown uint32
	// NewerGaps are ranges of numbers below MaxKnown, each [lo, hi] inclusive, ascending,
	// where syscalls newer than the table will land too: the room the table leaves below a
	// block of numbers it keeps apart (x32: 0x40000000+472..511, below its own calls at
	// 512-547; arm: below its private calls at 0xf0000). See stdlib.NewerGaps.
	NewerGaps [][2]uint32
	// Newer, when not nil, is the action for the newer numbers (NewerRanges) that no rule
	// names (typically errno(ENOSYS), so that libc falls back to an older call).
	Newer *Action
	// NewerAbove, when not nil, replaces the table's newer numbers (NewerGaps and the
	// numbers above MaxKnown) with these ranges, each [lo, hi] inclusive, ascending: the
	// numbers above the highest syscall the policy names, as runc's ENOSYS stub decides them
	// (`default newer named`). -1 is among them when the ranges say so.
	NewerAbove [][2]uint32
}

// NewerRanges returns the numbers Newer covers, each [lo, hi] inclusive, ascending:
// NewerAbove when set; else NewerGaps, then the numbers above MaxKnown, but never SkippedSyscall (-1), which is not a
// syscall at all but a call a tracer skipped: it gets the default.
func (ap *ArchPolicy) NewerRanges() [][2]uint32 {
	if ap.NewerAbove != nil {
		return ap.NewerAbove
	}
	out := make([][2]uint32, 0, len(ap.NewerGaps)+1)
	out = append(out, ap.NewerGaps...)
	if ap.MaxKnown < SkippedSyscall-1 {
		out = append(out, [2]uint32{ap.MaxKnown + 1, SkippedSyscall - 1})
	}
	return out
}

// IsNewer tells whether Newer covers nr when no rule names it (see NewerRanges).
func (ap *ArchPolicy) IsNewer(nr uint32) bool {
	if ap.NewerAbove != nil {
		for _, r := range ap.NewerAbove {
			if nr >= r[0] && nr <= r[1] {
				return true
			}
		}
		return false
	}
	if nr > ap.MaxKnown {
		return nr != SkippedSyscall
	}
	for _, g := range ap.NewerGaps {
		if nr >= g[0] && nr <= g[1] {
			return true
		}
	}
	return false
}

// Rule is one rule for one syscall: when Cond holds (nil: always), the filter returns Action.
type Rule struct {
	Cond   Cond
	Action Action
	Pos    diag.Pos // where the rule stands in the source (zero when it has no source), for errors and lint
}

// Cond is a condition over a syscall's arguments.
type Cond interface {
	// Eval tells whether the condition holds for the given argument registers.
	Eval(args [6]uint64) bool
	String() string
}

// And holds when all its terms hold.
type And []Cond

// Or holds when any of its terms holds.
type Or []Cond

// Not holds when X does not.
type Not struct{ X Cond }

// Const is a condition known at compile time.
type Const bool

// CmpOp is a comparison operator; all comparisons are unsigned, as the kernel's.
type CmpOp uint8

// The comparison operators.
const (
	EQ CmpOp = iota
	NE
	LT
	LE
	GT
	GE
)

var cmpOpNames = [...]string{EQ: "==", NE: "!=", LT: "<", LE: "<=", GT: ">", GE: ">="}

func (op CmpOp) String() string { return cmpOpNames[op] }

// Cmp compares one argument, masked, with a value: (args[Arg] & Mask) Op Value.
// Width is 32 or 64: a 32-bit comparison looks only at the low 32 bits of the argument
// (its Mask and Value then fit in 32 bits).
type Cmp struct {
	Arg   int // 0..5
	Width int // 32 or 64
	Mask  uint64
	Op    CmpOp
	Value uint64
}

// Eval implements Cond.
func (c Cmp) Eval(args [6]uint64) bool {
	x := args[c.Arg] & c.Mask
	if c.Width == 32 {
		x &= 0xffffffff
	}
	v := c.Value
	switch c.Op {
	case EQ:
		return x == v
	case NE:
		return x != v
	case LT:
		return x < v
	case LE:
		return x <= v
	case GT:
		return x > v
	case GE:
		return x >= v
	}
	panic(fmt.Sprintf("ir: unknown comparison %d", c.Op))
}

func (c Cmp) String() string {
	arg := fmt.Sprintf("arg%d", c.Arg)
	if c.Width == 32 {
		arg += ".lo"
	}
	full := uint64(0xffffffff)
	if c.Width == 64 {
		full = ^uint64(0)
	}
	if c.Mask&full != full {
		arg = fmt.Sprintf("(%s & %#x)", arg, c.Mask)
	}
	return fmt.Sprintf("%s %s %#x", arg, c.Op, c.Value)
}

// Eval implements Cond.
func (a And) Eval(args [6]uint64) bool {
	for _, c := range a {
		if !c.Eval(args) {
			return false
		}
	}
	return true
}

func (a And) String() string { return join(a, " && ") }

// Eval implements Cond.
func (o Or) Eval(args [6]uint64) bool {
	for _, c := range o {
		if c.Eval(args) {
			return true
		}
	}
	return false
}

func (o Or) String() string { return join(o, " || ") }

// Eval implements Cond.
func (n Not) Eval(args [6]uint64) bool { return !n.X.Eval(args) }

func (n Not) String() string { return "!(" + n.X.String() + ")" }

// Eval implements Cond.
func (c Const) Eval([6]uint64) bool { return bool(c) }

func (c Const) String() string { return fmt.Sprint(bool(c)) }

func join[T Cond](cs []T, sep string) string {
	s := "("
	for i, c := range cs {
		if i > 0 {
			s += sep
		}
		s += c.String()
	}
	return s + ")"
}

// Decide is the reference semantics of the policy: the action a correct filter returns for d.
func (p *Policy) Decide(d program.SeccompData) Action {
	nr := uint32(d.Nr)
	for _, ap := range p.Arches {
		if ap.Arch.Audit == d.Arch && ap.Arch.Owns(nr) {
			return ap.Decide(nr, d.Args)
		}
	}
	// An arch the policy does not name, or a number of no declared ABI under a known arch
	// value (x32 numbers when only x86_64 is declared, or the reverse): fail closed.
	return p.BadArch
}

// SkippedSyscall is the number a tracer writes to skip a syscall; seccomp then runs on it
// (Linux 4.8 and later), and on x86_64 it carries the x32 bit.
const SkippedSyscall = 0xffffffff

// Owns tells whether nr belongs to this arch's ABI when several ABIs share an audit value,
// as libseccomp splits them: on x86_64, numbers from the x32 bit up are x32's. -1, a syscall
// skipped by a tracer, belongs to both, so that tracing a sandboxed process works: the first
// arch the policy names decides it. (The kernel runs numbers of neither ABI as no syscall.)
func (a Arch) Owns(nr uint32) bool {
	switch {
	case a.NrMask != 0:
		return nr >= a.NrMask
	case a.Audit == AuditArchX86_64:
		return nr < X32SyscallBit || nr == SkippedSyscall
	}
	return true
}

// Decide is the reference semantics on one arch: the first rule of nr whose condition holds
// decides; none decides → Newer for the newer numbers no rule names (IsNewer) when set, else
// Default.
func (ap *ArchPolicy) Decide(nr uint32, args [6]uint64) Action {
	for _, r := range ap.Rules[nr] {
		if r.Cond == nil || r.Cond.Eval(args) {
			return r.Action
		}
	}
	if ap.Newer != nil && len(ap.Rules[nr]) == 0 && ap.IsNewer(nr) {
		return *ap.Newer
	}
	return ap.Default
}

// ArgOffset is the offset in seccomp_data of the low (hi=false) or high 32-bit word of
// argument i on an arch of the given byte order.
func ArgOffset(i int, hi, bigEndian bool) uint32 {
	off := uint32(program.SeccompDataArgsOffset + 8*i)
	if hi != bigEndian {
		off += 4
	}
	return off
}
