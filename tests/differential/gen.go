package differential

import (
	"math/rand/v2"
	"slices"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/stdlib"
)

// Config says what Policy draws from.
type Config struct {
	// Arches are the policy's arches, in order; they must share one byte order.
	Arches []ir.Arch
	// Numbers, when set, are the syscall numbers (of the first arch's ABI, without NrMask)
	// that rules may name; otherwise rules name random numbers of each arch's table.
	Numbers []uint32
	// Actions are the actions rules, defaults and `default newer` draw from; nil means every
	// kind with small data.
	Actions []ir.Action
	// Syscalls is the largest number of syscalls per arch that get rules (at least 1).
	Syscalls int
}

// allActions has every action kind, with data where it has some.
var allActions = []ir.Action{
	ir.ActAllow, ir.ActAllow, ir.ActLog, ir.ActKillProcess, ir.ActKillThread,
	ir.ErrnoAction(1), ir.ErrnoAction(1001), ir.ErrnoAction(ir.MaxErrno), ir.ErrnoAction(0),
	{Kind: ir.Trap, Data: 3}, {Kind: ir.Trace, Data: 0xffff}, {Kind: ir.UserNotif},
}

// IRArch returns the ir.Arch of an architecture scc knows.
func IRArch(name string) (ir.Arch, bool) {
	a, ok := stdlib.LookupArch(name)
	if !ok {
		return ir.Arch{}, false
	}
	return ir.Arch{Name: a.Name, Audit: a.Audit, BigEndian: a.BigEndian, NrMask: a.NrMask}, true
}

// Policy draws a random policy from cfg, outside libseccomp's subset on purpose: several
// rules per syscall with different actions (first match decides), comparisons of any
// operator under any mask, 32-bit comparisons, Or, Not and constant conditions, a default
// per arch, and sometimes a `default newer` action. The argument widths follow the arch:
// each argument of each syscall is 32 or 64 bits wide on a 64-bit arch (fixed per policy, as
// a signature fixes it), always 32 on a 32-bit one.
func Policy(r *rand.Rand, cfg Config) *ir.Policy {
	p := &ir.Policy{Name: "random", BadArch: ir.ActKillProcess}
	for _, a := range cfg.Arches {
		p.Arches = append(p.Arches, archPolicy(r, cfg, a))
	}
	return p
}

// archPolicy draws the rules of one arch.
func archPolicy(r *rand.Rand, cfg Config, a ir.Arch) *ir.ArchPolicy {
	actions := cfg.actions()
	ap := &ir.ArchPolicy{
		Arch: a, Default: Pick(r, actions), Rules: map[uint32][]ir.Rule{},
		MaxKnown: stdlib.MaxSyscall(a.Name), NewerGaps: stdlib.NewerGaps(a.Name),
	}
	if r.IntN(3) == 0 {
		newer := Pick(r, actions)
		ap.Newer = &newer
	}
	wide := longBits(a.Name) == 64
	for n := 1 + r.IntN(max(cfg.Syscalls, 1)); n > 0; n-- {
		nr := a.NrMask | cfg.number(r, ap)
		g := condGen{r: r, widths: argWidths(r, wide), wide: wide}
		ap.Rules[nr] = g.rules(actions)
	}
	return ap
}

func (cfg Config) actions() []ir.Action {
	if len(cfg.Actions) > 0 {
		return cfg.Actions
	}
	return allActions
}

// number draws a syscall number without the arch's NrMask.
func (cfg Config) number(r *rand.Rand, ap *ir.ArchPolicy) uint32 {
	if len(cfg.Numbers) > 0 {
		return Pick(r, cfg.Numbers)
	}
	switch r.IntN(20) {
	case 0:
		return ap.MaxKnown&^ap.Arch.NrMask + 1 + uint32(r.IntN(4)) // a rule above the table: Newer must not apply
	case 1:
		if len(ap.NewerGaps) > 0 {
			return gapEdge(r, ap) &^ ap.Arch.NrMask // a rule at the edge of a gap, in it or not
		}
	}
	return uint32(r.IntN(int(denseTop(ap)&^ap.Arch.NrMask) + 1))
}

// denseTop is the highest number of ap's table below its first newer gap, where most of its
// syscalls are (x32's own calls and arm's private ones sit above it).
func denseTop(ap *ir.ArchPolicy) uint32 {
	if len(ap.NewerGaps) > 0 {
		return ap.NewerGaps[0][0] - 1
	}
	return ap.MaxKnown
}

// gapEdge draws a number at an edge of one of ap's newer ranges, inside it or just outside.
func gapEdge(r *rand.Rand, ap *ir.ArchPolicy) uint32 {
	g := Pick(r, ap.NewerRanges())
	return Pick(r, []uint32{g[0] - 1, g[0], g[1], g[1] + 1})
}

func longBits(arch string) int {
	if a, ok := stdlib.LookupArch(arch); ok {
		return a.LongBits
	}
	return 64
}

// argWidths draws the width of each argument of one syscall.
func argWidths(r *rand.Rand, wide bool) [6]int {
	var w [6]int
	for i := range w {
		w[i] = 32
		if wide && r.IntN(2) == 0 {
			w[i] = 64
		}
	}
	return w
}

// condGen draws the conditions of one syscall's rules.
type condGen struct {
	r      *rand.Rand
	widths [6]int
	wide   bool // the arch's long is 64 bits: u64(ARG) may compare a 32-bit argument at 64
}

// rules draws one to six rules in first-match order, sometimes ending with an
// unconditional one.
func (g condGen) rules(actions []ir.Action) []ir.Rule {
	n := 1 + g.r.IntN(6)
	rules := make([]ir.Rule, n)
	for i := range rules {
		rules[i] = ir.Rule{Action: Pick(g.r, actions), Cond: g.cond(3)}
	}
	if g.r.IntN(4) == 0 {
		rules[n-1].Cond = nil
	}
	return rules
}

// cond draws a condition of at most the given depth.
func (g condGen) cond(depth int) ir.Cond {
	n := g.r.IntN(20)
	switch {
	case depth <= 0 || n < 8:
		return g.cmp()
	case n < 12:
		return ir.And(g.terms(depth - 1))
	case n < 16:
		return ir.Or(g.terms(depth - 1))
	case n < 19:
		return ir.Not{X: g.cond(depth - 1)}
	}
	return ir.Const(g.r.IntN(2) == 0)
}

func (g condGen) terms(depth int) []ir.Cond {
	terms := make([]ir.Cond, 1+g.r.IntN(3))
	for i := range terms {
		terms[i] = g.cond(depth)
	}
	return terms
}

// cmp draws a comparison of one argument at its width (sometimes, as u64(ARG) does, a 32-bit
// argument at 64 bits), with any operator, under a full or a
// random mask.
func (g condGen) cmp() ir.Cmp {
	arg := g.r.IntN(6)
	if g.r.IntN(3) > 0 {
		arg = g.r.IntN(3) // most rules test the first arguments: more shared words
	}
	c := ir.Cmp{Arg: arg, Width: g.widths[arg], Mask: ^uint64(0), Op: ir.CmpOp(g.r.IntN(6))}
	if g.r.IntN(3) == 0 {
		c.Mask = Mask(g.r)
	}
	c.Value = Value(g.r)
	if g.r.IntN(2) == 0 {
		c.Value &= c.Mask
	}
	if g.wide && c.Width == 32 && g.r.IntN(8) == 0 {
		c.Width = 64 // u64(ARG): the argument's words compared at two widths in one syscall
	}
	if c.Width == 32 { // the compiler's invariant: a 32-bit comparison's constants fit
		c.Mask, c.Value = c.Mask&0xffffffff, c.Value&0xffffffff
	}
	return c
}

// interesting are values where comparisons of split words go wrong.
var interesting = []uint64{
	0, 1, 2, 3, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 1 << 32, 1<<32 + 1,
	0xffffffff00000000, 0x8000000000000000, ^uint64(0) - 1, ^uint64(0), 0xffffff9c,
}

// Value draws a 64-bit constant or argument: small, random, random in one half, or one of
// the values where comparisons of split words go wrong.
func Value(r *rand.Rand) uint64 {
	switch r.IntN(5) {
	case 0:
		return uint64(r.IntN(16))
	case 1:
		return r.Uint64()
	case 2:
		return uint64(r.Uint32())
	case 3:
		return uint64(r.Uint32())<<32 | uint64(r.IntN(4))
	}
	return Pick(r, interesting)
}

// Mask draws a 64-bit mask: one bit, one byte, a usual mask, a run of high bits or random.
func Mask(r *rand.Rand) uint64 {
	switch r.IntN(5) {
	case 0:
		return 1 << r.IntN(64)
	case 1:
		return 0xff << (8 * r.IntN(8))
	case 2:
		return Pick(r, []uint64{0xffffffff, 0xffffffff00000000, 0xffff0000ffff, 0x3, 0x4, 0x8000000000000001})
	case 3:
		return ^uint64(0) << r.IntN(64)
	}
	return r.Uint64()
}

// Pick draws one of xs, which must not be empty.
func Pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// otherAudits are arch values a call may carry that the policies may not name: x86_64,
// i386, aarch64, arm, riscv64, mips, ppc64le, s390x and 0.
var otherAudits = []uint32{
	0xc000003e, 0x40000003, 0xc00000b7, 0x40000028, 0xc00000f3, 0x00000008, 0xc0000015, 0x80000016, 0,
}

// Calls draws n seccomp_data for p, biased to where verdicts change: the policy's arches
// and others, its rule numbers and their neighbours, the x32 bit toggled, -1, numbers at and
// above the table's highest, and arguments near the constants and masks of the rules, with
// garbage in the high halves.
func Calls(r *rand.Rand, p *ir.Policy, n int) []program.SeccompData {
	out := make([]program.SeccompData, n)
	for i := range out {
		ap := Pick(r, p.Arches)
		nr := number(r, ap)
		consts := constants(ap.Rules[nr])
		d := program.SeccompData{Nr: int32(nr), Arch: ap.Arch.Audit, InstructionPointer: r.Uint64()}
		switch r.IntN(40) {
		case 0, 1:
			d.Arch = Pick(r, otherAudits)
		case 2:
			d.Arch = r.Uint32()
		}
		for a := range d.Args {
			d.Args[a] = argument(r, consts[a])
		}
		out[i] = d
	}
	return out
}

// number draws a syscall number for a call on ap's arch.
func number(r *rand.Rand, ap *ir.ArchPolicy) uint32 {
	nrs := make([]uint32, 0, len(ap.Rules))
	for nr := range ap.Rules {
		nrs = append(nrs, nr)
	}
	slices.Sort(nrs) // deterministic for a seed
	switch n := r.IntN(20); {
	case len(nrs) > 0 && n < 10:
		return Pick(r, nrs)
	case len(nrs) > 0 && n < 12:
		return Pick(r, nrs) + uint32(r.IntN(3)) - 1
	case len(nrs) > 0 && n < 13:
		return Pick(r, nrs) ^ ir.X32SyscallBit
	case n < 15:
		return ap.Arch.NrMask | uint32(r.IntN(int(ap.MaxKnown&^ap.Arch.NrMask)+1))
	case n < 17:
		return ap.MaxKnown + uint32(r.IntN(10))
	case n == 17 && len(ap.NewerGaps) > 0:
		return gapEdge(r, ap)
	}
	return Pick(r, []uint32{
		0xffffffff, 0x3fffffff, 0x40000000, 0x7fffffff, r.Uint32(),
		0x80000000 | uint32(r.IntN(600)), 0xc0000000 | uint32(r.IntN(600)),
	})
}

// constants gathers, per argument, the values and masks that rules compare with.
func constants(rules []ir.Rule) [6][]uint64 {
	var out [6][]uint64
	var walk func(c ir.Cond)
	walk = func(c ir.Cond) {
		switch c := c.(type) {
		case ir.Cmp:
			out[c.Arg] = append(out[c.Arg], c.Value, c.Mask, c.Value|^c.Mask, c.Value&c.Mask)
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

// argument draws an argument register: often a rule's constant or its neighbour, with its
// high half kept, flipped or replaced by garbage.
func argument(r *rand.Rand, consts []uint64) uint64 {
	if len(consts) == 0 || r.IntN(4) == 0 {
		return Value(r)
	}
	v := Pick(r, consts)
	switch r.IntN(7) {
	case 0:
		v++
	case 1:
		v--
	case 2:
		v = uint64(uint32(v)) | r.Uint64()<<32
	case 3:
		v ^= 1 << r.IntN(64)
	case 4:
		v = uint64(uint32(v)) | 0xffffffff00000000
	}
	return v
}

// CallsFor draws n calls of syscall nr on ap's arch with random arguments, biased to the
// constants its rules compare with.
func CallsFor(r *rand.Rand, ap *ir.ArchPolicy, nr uint32, n int) []program.SeccompData {
	consts := constants(ap.Rules[nr])
	out := make([]program.SeccompData, n)
	for i := range out {
		out[i] = program.SeccompData{Nr: int32(nr), Arch: ap.Arch.Audit, InstructionPointer: r.Uint64()}
		for a := range out[i].Args {
			out[i].Args[a] = argument(r, consts[a])
		}
	}
	return out
}
