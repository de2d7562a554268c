//go:build linux && cgo

package libseccomp

import (
	"math/rand/v2"
	"sync"

	seccomp "github.com/seccomp/libseccomp-golang"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/tests/differential"
)

// Syscall is a syscall number and its name on one arch.
type Syscall struct {
	Nr   uint32
	Name string
}

var syscallCache sync.Map // arch name → []Syscall

// Syscalls lists the syscalls that libseccomp's table names on an arch, in number order,
// leaving out those Build refuses there (the socketcall/ipc family on multiplexing arches, and
// names whose native number libseccomp reads as another name).
// It returns nil for an arch Build does not know.
func Syscalls(arch ir.Arch) []Syscall {
	if v, ok := syscallCache.Load(arch.Name); ok {
		return v.([]Syscall)
	}
	info, ok := lookupArch(arch.Name)
	if !ok {
		return nil
	}
	sa, err := seccomp.GetArchFromString(info.scmp)
	if err != nil {
		return nil
	}
	var out []Syscall
	for i := uint32(0); i < 1024; i++ {
		nr := info.nrMask | (info.nrBase + i)
		name, err := seccomp.ScmpSyscall(int32(nr)).GetNameByArch(sa)
		if err != nil || (info.mux && muxNames[name]) {
			continue
		}
		if n, err := seccomp.GetSyscallFromNameByArch(name, sa); err != nil || uint32(n) != nr {
			continue
		}
		if call, err := seccomp.GetSyscallFromName(name); err != nil || !translatesBack(name, call) {
			continue
		}
		out = append(out, Syscall{Nr: nr, Name: name})
	}
	syscallCache.Store(arch.Name, out)
	return out
}

// Actions the generators draw from; trap carries no data (libseccomp's has none).
var (
	defaultPool = []ir.Action{
		ir.ErrnoAction(1), ir.ActKillProcess, ir.ActAllow, ir.ActLog, ir.ActKillThread,
		{Kind: ir.Trap}, ir.ErrnoAction(38),
	}
	rulePool = []ir.Action{
		ir.ActAllow, ir.ActAllow, ir.ActAllow, ir.ErrnoAction(13), ir.ErrnoAction(1),
		ir.ActKillProcess, ir.ActLog, {Kind: ir.Trap}, {Kind: ir.Trace, Data: 7},
		ir.ActKillThread, {Kind: ir.UserNotif}, ir.ErrnoAction(4094),
	}
)

// otherAction draws a rule action different from def.
func otherAction(r *rand.Rand, def ir.Action) ir.Action {
	for {
		if a := differential.Pick(r, rulePool); a != def {
			return a
		}
	}
}

// RandomPolicy returns a random policy inside the subset Build accepts, on the given arches
// (x86_64 when none), with syscall numbers from libseccomp's tables (see Syscalls). The
// arches share one default action and kill on a bad arch. Constants and masks come from
// differential.Value and differential.Mask; draw the policy's calls with differential.Calls.
func RandomPolicy(r *rand.Rand, arches ...ir.Arch) *ir.Policy {
	if len(arches) == 0 {
		a, _ := Arch("x86_64")
		arches = []ir.Arch{a}
	}
	def := differential.Pick(r, defaultPool)
	p := &ir.Policy{Name: "random", BadArch: ir.ActKillProcess}
	for _, a := range arches {
		p.Arches = append(p.Arches, randomArchPolicy(r, a, def))
	}
	return p
}

// randomArchPolicy draws up to 40 syscalls of an arch and random rules for each.
func randomArchPolicy(r *rand.Rand, a ir.Arch, def ir.Action) *ir.ArchPolicy {
	ap := &ir.ArchPolicy{Arch: a, Default: def, Rules: map[uint32][]ir.Rule{}, Names: map[uint32]string{}}
	table := Syscalls(a)
	if len(table) == 0 {
		return ap
	}
	ap.MaxKnown = table[len(table)-1].Nr
	info, _ := lookupArch(a.Name)
	for n := 1 + r.IntN(40); n > 0; n-- {
		sc := differential.Pick(r, table)
		if isNative(info) && r.IntN(20) == 0 {
			sc = Syscall{Nr: uint32(r.IntN(1100))} // raw numbers work on the native arch
		}
		ap.Rules[sc.Nr] = randomRules(r, def, info.bits == 64)
		if sc.Name != "" {
			ap.Names[sc.Nr] = sc.Name
		}
	}
	return ap
}

// isNative tells whether info is libseccomp's native arch, whose numbers it takes as they are.
func isNative(info archInfo) bool {
	native, err := seccomp.GetNativeArch()
	if err != nil {
		return false
	}
	a, err := seccomp.GetArchFromString(info.scmp)
	return err == nil && a == native
}

// randomRules draws one syscall's rules in one of the shapes Build accepts: unconditional
// (maybe followed by dead rules), or conditional rules sharing one action, maybe with rules
// that never match in between and rules that repeat the fall-through at the end.
func randomRules(r *rand.Rand, def ir.Action, wide bool) []ir.Rule {
	act := otherAction(r, def)
	if r.IntN(4) == 0 {
		rules := []ir.Rule{{Action: act}}
		if r.IntN(3) == 0 {
			rules = append(rules, ir.Rule{Action: otherAction(r, act), Cond: randomCond(r, wide)})
		}
		return rules
	}
	var rules []ir.Rule
	for k := 1 + r.IntN(3); k > 0; k-- {
		rules = append(rules, ir.Rule{Action: act, Cond: randomCond(r, wide)})
		if r.IntN(8) == 0 {
			rules = append(rules, ir.Rule{Action: otherAction(r, act), Cond: ir.Const(false)})
		}
	}
	switch r.IntN(6) {
	case 0:
		rules = append(rules, ir.Rule{Action: def})
	case 1:
		rules = append(rules, ir.Rule{Action: def, Cond: randomCond(r, wide)})
	}
	return rules
}

// randomCond draws a condition whose normal form has at most one comparison per argument in
// each conjunction and negates only comparisons of whole arguments.
func randomCond(r *rand.Rand, wide bool) ir.Cond {
	args := r.Perm(6)
	switch n := r.IntN(20); {
	case n < 8:
		return randomCmp(r, wide, args[0], false)
	case n < 13:
		return randomAnd(r, wide, args[:2+r.IntN(2)], false)
	case n < 17:
		return ir.Or{randomAnd(r, wide, args[:1+r.IntN(2)], false), randomAnd(r, wide, args[2:3+r.IntN(2)], false)}
	case n < 18:
		return ir.Not{X: randomCmp(r, wide, args[0], true)}
	case n < 19:
		return ir.Not{X: ir.Or{randomCmp(r, wide, args[0], true), randomCmp(r, wide, args[1], true)}}
	}
	return ir.Not{X: ir.And{randomCmp(r, wide, args[0], true), randomCmp(r, wide, args[1], true)}}
}

// randomAnd is a conjunction of one comparison per given argument.
func randomAnd(r *rand.Rand, wide bool, args []int, whole bool) ir.Cond {
	var and ir.And
	for _, a := range args {
		and = append(and, randomCmp(r, wide, a, whole))
	}
	if len(and) == 1 && r.IntN(2) == 0 {
		return and[0]
	}
	return and
}

// randomCmp draws a comparison of one argument that Build can lower on an arch with 64-bit
// (wide) or 32-bit libseccomp comparisons; whole restricts it to unmasked comparisons.
func randomCmp(r *rand.Rand, wide bool, arg int, whole bool) ir.Cmp {
	op := ir.CmpOp(r.IntN(6))
	n := r.IntN(10)
	switch {
	case wide && (whole || n < 5):
		return ir.Cmp{Arg: arg, Width: 64, Mask: ^uint64(0), Op: op, Value: differential.Value(r)}
	case wide && n < 7:
		mask := differential.Mask(r)
		return ir.Cmp{Arg: arg, Width: 64, Mask: mask, Op: ir.EQ, Value: maskedValue(r, mask)}
	case whole || n < 5:
		return ir.Cmp{Arg: arg, Width: 32 + 32*r.IntN(2), Mask: 0xffffffff, Op: op, Value: uint64(uint32(differential.Value(r)))}
	}
	mask := uint64(uint32(differential.Mask(r)))
	return ir.Cmp{Arg: arg, Width: 32, Mask: mask, Op: ir.EQ, Value: maskedValue(r, mask)}
}

// maskedValue is a value inside mask, and once in a while one outside it (never equal).
func maskedValue(r *rand.Rand, mask uint64) uint64 {
	if r.IntN(16) == 0 {
		return r.Uint64() & (mask | 0xffffffff)
	}
	return differential.Value(r) & mask
}
