package optimizer

import (
	"encoding/binary"
	"maps"
	"math/rand/v2"
	"slices"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
)

// Test arches, as the compiler describes them.
var (
	archX86_64  = ir.Arch{Name: "x86_64", Audit: ir.AuditArchX86_64}
	archI386    = ir.Arch{Name: "i386", Audit: 0x40000003}
	archX32     = ir.Arch{Name: "x32", Audit: ir.AuditArchX86_64, NrMask: ir.X32SyscallBit}
	archAarch64 = ir.Arch{Name: "aarch64", Audit: 0xc00000b7}
	archS390x   = ir.Arch{Name: "s390x", Audit: 0x80000016, BigEndian: true}
	wrongAudits = []uint32{0, 0x40000028, 0xc000003f, 0xffffffff}
)

// byteSource is a rand.Source that plays back fuzz input, then a PCG seeded from it, so that
// every input, even an empty one, drives a whole generation.
type byteSource struct {
	data []byte
	pcg  *rand.PCG
}

func newByteSource(data []byte) *byteSource {
	var seed [16]byte
	copy(seed[:], data)
	return &byteSource{data: data, pcg: rand.NewPCG(binary.LittleEndian.Uint64(seed[:8]), uint64(len(data)))}
}

func (s *byteSource) Uint64() uint64 {
	if len(s.data) == 0 {
		return s.pcg.Uint64()
	}
	var buf [8]byte
	n := copy(buf[:], s.data)
	s.data = s.data[n:]
	return binary.LittleEndian.Uint64(buf[:]) ^ s.pcg.Uint64()
}

// gen generates random policies and the inputs that probe them.
type gen struct {
	r      *rand.Rand
	consts []uint64 // the values conditions compare with, and inputs are drawn near
}

func newGen(src rand.Source) *gen {
	g := &gen{r: rand.New(src)}
	g.consts = []uint64{0, 1, 2, 0xffffffff, 0x100000000, 0xffffffff00000000, ^uint64(0), 0x80000000}
	for range 6 {
		switch g.r.IntN(3) {
		case 0:
			g.consts = append(g.consts, g.r.Uint64N(64))
		case 1:
			g.consts = append(g.consts, uint64(g.r.Uint32()))
		default:
			g.consts = append(g.consts, g.r.Uint64())
		}
	}
	return g
}

func (g *gen) action() ir.Action {
	k := ir.ActionKind(g.r.IntN(int(ir.Allow) + 1))
	a := ir.Action{Kind: k}
	switch k {
	case ir.Errno, ir.Trap, ir.Trace:
		a.Data = uint16(g.r.IntN(4))
	}
	return a
}

func (g *gen) value() uint64 {
	v := g.consts[g.r.IntN(len(g.consts))]
	switch g.r.IntN(4) {
	case 0:
		v++
	case 1:
		v--
	}
	return v
}

func (g *gen) mask(width int) uint64 {
	full := ^uint64(0)
	if width == 32 {
		full = 0xffffffff
	}
	switch g.r.IntN(8) {
	case 0:
		return uint64(1) << g.r.IntN(width) // a single bit
	case 1:
		return g.r.Uint64() & full
	case 2:
		return 0
	case 3:
		if width == 64 {
			return 0xffffffff00000000 // high half only
		}
		return 0xff0
	}
	return full
}

func (g *gen) cmp() ir.Cmp {
	c := ir.Cmp{Arg: g.r.IntN(6), Width: 32, Op: ir.CmpOp(g.r.IntN(6))}
	if g.r.IntN(2) == 0 {
		c.Width = 64
	}
	c.Mask = g.mask(c.Width)
	c.Value = g.value()
	if c.Width == 32 && g.r.IntN(8) != 0 {
		c.Value &= 0xffffffff // mostly in range, sometimes not
	}
	return c
}

// set makes `arg in {…}`: an Or of equalities, often with consecutive values.
func (g *gen) set() ir.Cond {
	c := g.cmp()
	c.Op = ir.EQ
	var or ir.Or
	for range 2 + g.r.IntN(5) {
		if g.r.IntN(2) == 0 {
			c.Value++
		} else {
			c.Value = g.value()
		}
		or = append(or, c)
	}
	if g.r.IntN(3) == 0 {
		// `not in`, as an And of inequalities.
		var and ir.And
		for _, t := range or {
			x := t.(ir.Cmp)
			x.Op = ir.NE
			and = append(and, x)
		}
		return and
	}
	return or
}

func (g *gen) cond(depth int) ir.Cond {
	n := g.r.IntN(10)
	if depth <= 0 {
		n = 9
	}
	switch n {
	case 0:
		return ir.Const(g.r.IntN(2) == 0)
	case 1:
		return ir.Not{X: g.cond(depth - 1)}
	case 2, 3:
		var and ir.And
		for range g.r.IntN(4) {
			and = append(and, g.cond(depth-1))
		}
		return and
	case 4, 5:
		var or ir.Or
		for range g.r.IntN(4) {
			or = append(or, g.cond(depth-1))
		}
		return or
	case 6:
		return g.set()
	}
	return g.cmp()
}

func (g *gen) archPolicy(a ir.Arch) *ir.ArchPolicy {
	ap := &ir.ArchPolicy{
		Arch:     a,
		Default:  g.action(),
		Rules:    make(map[uint32][]ir.Rule),
		Names:    make(map[uint32]string),
		MaxKnown: a.NrMask | uint32(10+g.r.IntN(50)),
	}
	if g.r.IntN(2) == 0 {
		act := g.action()
		ap.Newer = &act
	}
	for range g.r.IntN(25) {
		nr := a.NrMask | uint32(g.r.IntN(int(ap.MaxKnown&^a.NrMask)+8))
		switch g.r.IntN(30) {
		case 0:
			nr &^= a.NrMask // a number the arch does not own: never reached
		case 1:
			nr |= ir.X32SyscallBit // ditto on x86_64
		case 2:
			nr = 0xffffffff - uint32(g.r.IntN(3))
		}
		ap.Names[nr] = "sys"
		if g.r.IntN(20) == 0 {
			ap.Rules[nr] = nil // an empty rule list is no rule
			continue
		}
		for range 1 + g.r.IntN(3) {
			r := ir.Rule{Action: g.action(), Pos: diag.Pos{File: "gen.sc", Line: 1, Col: 1}}
			if g.r.IntN(4) != 0 {
				r.Cond = g.cond(3)
			}
			ap.Rules[nr] = append(ap.Rules[nr], r)
		}
	}
	return ap
}

func (g *gen) policy() *ir.Policy {
	p := &ir.Policy{Name: "gen", BadArch: ir.ActKillProcess, Flags: program.FlagTSync}
	if g.r.IntN(8) == 0 {
		p.BadArch = g.action()
	}
	if g.r.IntN(10) == 0 {
		p.Arches = []*ir.ArchPolicy{g.archPolicy(archS390x)}
		return p
	}
	for _, i := range g.r.Perm(4)[:g.r.IntN(5)] {
		a := []ir.Arch{archX86_64, archI386, archX32, archAarch64}[i]
		p.Arches = append(p.Arches, g.archPolicy(a))
	}
	return p
}

// input draws a seccomp_data near the policy's interesting points: its arches and others,
// rule numbers and the ends of ranges, the x32 bit, argument values near the constants with
// garbage in either half.
func (g *gen) input(p *ir.Policy) program.SeccompData {
	var d program.SeccompData
	if len(p.Arches) > 0 && g.r.IntN(8) != 0 {
		ap := p.Arches[g.r.IntN(len(p.Arches))]
		d.Arch = ap.Arch.Audit
		var nr uint32
		switch g.r.IntN(6) {
		case 0, 1, 2:
			if nums := slices.Sorted(maps.Keys(ap.Rules)); len(nums) > 0 {
				nr = nums[g.r.IntN(len(nums))]
			}
		case 3:
			nr = ap.MaxKnown
		case 4:
			nr = []uint32{0, ir.X32SyscallBit, 0x80000000, 0xc0000000, 0xffffffff}[g.r.IntN(5)]
		default:
			nr = ap.Arch.NrMask | g.r.Uint32N(80)
		}
		nr += uint32(g.r.IntN(3)) - 1
		if g.r.IntN(10) == 0 {
			nr ^= ir.X32SyscallBit
		}
		d.Nr = int32(nr)
	} else {
		d.Arch = wrongAudits[g.r.IntN(len(wrongAudits))]
		d.Nr = int32(g.r.Uint32N(40))
	}
	d.InstructionPointer = g.r.Uint64()
	for i := range d.Args {
		v := g.value()
		switch g.r.IntN(5) {
		case 0:
			v = v&0xffffffff | g.r.Uint64()<<32 // garbage in the high half
		case 1:
			v = g.r.Uint64()
		case 2:
			v ^= uint64(1) << g.r.IntN(64)
		}
		d.Args[i] = v
	}
	return d
}
