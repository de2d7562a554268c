//go:build linux && cgo

package libseccomp

import (
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/scc-dev/scc/ir"
	seccomp "github.com/seccomp/libseccomp-golang"
)

// Syscall is a syscall number and its name on one arch.
type Syscall struct {
	Nr   uint32
	Name string
}

var syscallCache sync.Map // arch name → []Syscall

// Syscalls lists the syscalls that libseccomp's table names on an arch, in number order,
// leaving out those Build refuses there (the socketcall/ipc family on multiplexing arches).
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
		if n, err := seccomp.GetSyscallFromNameByArch(name, sa); err == nil && uint32(n) == nr {
			out = append(out, Syscall{Nr: nr, Name: name})
		}
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

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// otherAction draws a rule action different from def.
func otherAction(r *rand.Rand, def ir.Action) ir.Action {
	for {
		if a := pick(r, rulePool); a != def {
			return a
		}
	}
}

// RandomPolicy returns a random policy inside the subset Build accepts, on the given arches
// (x86_64 when none), with syscall numbers from libseccomp's tables (see Syscalls). The
// arches share one default action and kill on a bad arch.
func RandomPolicy(r *rand.Rand, arches ...ir.Arch) *ir.Policy {
	if len(arches) == 0 {
		a, _ := Arch("x86_64")
		arches = []ir.Arch{a}
	}
	def := pick(r, defaultPool)
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
		sc := pick(r, table)
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
		return ir.Cmp{Arg: arg, Width: 64, Mask: ^uint64(0), Op: op, Value: value64(r)}
	case wide && n < 7:
		mask := mask64(r)
		return ir.Cmp{Arg: arg, Width: 64, Mask: mask, Op: ir.EQ, Value: maskedValue(r, mask)}
	case whole || n < 5:
		return ir.Cmp{Arg: arg, Width: 32 + 32*r.IntN(2), Mask: 0xffffffff, Op: op, Value: uint64(value32(r))}
	}
	mask := uint64(uint32(mask64(r)))
	return ir.Cmp{Arg: arg, Width: 32, Mask: mask, Op: ir.EQ, Value: maskedValue(r, mask)}
}

// maskedValue is a value inside mask, and once in a while one outside it (never equal).
func maskedValue(r *rand.Rand, mask uint64) uint64 {
	if r.IntN(16) == 0 {
		return r.Uint64() & (mask | 0xffffffff)
	}
	return value64(r) & mask
}

var interesting = []uint64{
	0, 1, 2, 3, 0x7fffffff, 0x80000000, 0xffffffff, 1 << 32, 0xffffffff00000000,
	0x8000000000000000, ^uint64(0), 0x100000001,
}

func value64(r *rand.Rand) uint64 {
	switch r.IntN(4) {
	case 0:
		return uint64(r.IntN(16))
	case 1:
		return r.Uint64()
	case 2:
		return uint64(r.Uint32())
	}
	return pick(r, interesting)
}

func value32(r *rand.Rand) uint32 { return uint32(value64(r)) }

func mask64(r *rand.Rand) uint64 {
	switch r.IntN(4) {
	case 0:
		return 1 << r.IntN(64)
	case 1:
		return 0xff << (8 * r.IntN(8))
	case 2:
		return pick(r, []uint64{0xffffffff, 0xffffffff00000000, 0xffff0000ffff, 0x4, 0x3})
	}
	return r.Uint64()
}

// RandomCalls returns n seccomp_data for p, biased to where verdicts change: the policy's
// arches and other ones, its rule numbers and their neighbours, numbers with the x32 bit
// toggled, -1 and numbers above the tables, and arguments near the constants its rules
// compare with, inside and outside their masks, with garbage in the high halves.
func RandomCalls(r *rand.Rand, p *ir.Policy, n int) []ir.SeccompData {
	out := make([]ir.SeccompData, n)
	for i := range out {
		ap := pick(r, p.Arches)
		nr := randomNr(r, ap)
		consts := ruleConstants(ap.Rules[nr])
		d := ir.SeccompData{Nr: int32(nr), Arch: randomAudit(r, ap), InstructionPointer: r.Uint64()}
		for a := range d.Args {
			d.Args[a] = randomArg(r, consts[a])
		}
		out[i] = d
	}
	return out
}

func randomAudit(r *rand.Rand, ap *ir.ArchPolicy) uint32 {
	switch r.IntN(20) {
	case 0:
		return pick(r, archTable).audit
	case 1:
		return r.Uint32()
	}
	return ap.Arch.Audit
}

// randomNr draws a syscall number for an arch policy.
func randomNr(r *rand.Rand, ap *ir.ArchPolicy) uint32 {
	nrs := make([]uint32, 0, len(ap.Rules))
	for nr := range ap.Rules {
		nrs = append(nrs, nr)
	}
	slices.Sort(nrs) // deterministic for a seed
	n := r.IntN(20)
	switch {
	case len(nrs) > 0 && n < 10:
		return pick(r, nrs)
	case len(nrs) > 0 && n < 13:
		return pick(r, nrs) + uint32(r.IntN(3)) - 1
	case n < 15:
		return ap.Arch.NrMask | uint32(r.IntN(600))
	case n < 16 && len(nrs) > 0:
		return pick(r, nrs) ^ ir.X32SyscallBit
	case n < 17:
		return ap.MaxKnown + 1 + uint32(r.IntN(10))
	}
	return pick(r, []uint32{0xffffffff, 0x80000000 | uint32(r.IntN(600)), r.Uint32(), 0xc0000000 | uint32(r.IntN(600))})
}

// ruleConstants gathers, per argument, the values and masks the rules compare with.
func ruleConstants(rules []ir.Rule) [6][]uint64 {
	var out [6][]uint64
	var walk func(c ir.Cond)
	walk = func(c ir.Cond) {
		switch c := c.(type) {
		case ir.Cmp:
			out[c.Arg] = append(out[c.Arg], c.Value, c.Mask, c.Value|^c.Mask)
		case ir.And:
			for _, t := range c {
				walk(t)
			}
		case ir.Or:
			for _, t := range c {
				walk(t)
			}
		case ir.Not:
			walk(c.X)
		}
	}
	for _, rule := range rules {
		walk(rule.Cond)
	}
	return out
}

// randomArg draws an argument value, often a constant of the rules or a neighbour of one,
// with the high half kept or replaced by garbage.
func randomArg(r *rand.Rand, consts []uint64) uint64 {
	if len(consts) == 0 || r.IntN(3) == 0 {
		return value64(r)
	}
	v := pick(r, consts)
	switch r.IntN(6) {
	case 0:
		v++
	case 1:
		v--
	case 2:
		v = uint64(uint32(v)) | r.Uint64()<<32
	case 3:
		v ^= 1 << r.IntN(64)
	}
	return v
}
