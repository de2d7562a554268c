// Package irmeaning turns a policy's IR into its meaning: the exact function from every
// input (arch, syscall number, argument words) to the decision that ir.Policy.Decide takes,
// in a meaning.Space, where it compares with the meaning of any program. It is the one
// bridge between the IR and the meaning engine, which knows nothing of the IR.
package irmeaning

import (
	"fmt"
	"sort"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/meaning"
)

// Policy returns p's meaning in s: for every input, the decision p.Decide takes, as a
// normalized return value (meaning.Normalize of the action's Ret).
func Policy(s *meaning.Space, p *ir.Policy) (n meaning.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				err = fmt.Errorf("policy %s: %w", p.Name, e)
				return
			}
			panic(r)
		}
	}()
	return s.Guard(func() meaning.Node { return policy(s, p) })
}

func policy(s *meaning.Space, p *ir.Policy) meaning.Node {
	f := ret(s, p.BadArch)
	for i := len(p.Arches) - 1; i >= 0; i-- {
		ap := p.Arches[i]
		in := s.And(s.ArchIs(ap.Arch.Audit), owns(s, ap.Arch))
		f = s.ITE(in, archPolicy(s, ap), f)
	}
	return f
}

// owns is the predicate "the number belongs to this arch's ABI" (ir.Arch.Owns).
func owns(s *meaning.Space, a ir.Arch) meaning.Node {
	switch {
	case a.NrMask != 0:
		return s.NrIn(a.NrMask, 0xffffffff)
	case a.Audit == ir.AuditArchX86_64:
		return s.Or(s.NrIn(0, ir.X32SyscallBit-1), s.NrIn(ir.SkippedSyscall, ir.SkippedSyscall))
	}
	return s.True
}

func ret(s *meaning.Space, a ir.Action) meaning.Node { return s.Ret(meaning.Normalize(a.Ret())) }

// archPolicy is one arch's decision on the number and arguments (ir.ArchPolicy.Decide).
func archPolicy(s *meaning.Space, ap *ir.ArchPolicy) meaning.Node {
	def := ret(s, ap.Default)
	var points []meaning.Point
	for nr, rules := range ap.Rules {
		if len(rules) == 0 {
			continue
		}
		points = append(points, meaning.Point{Value: nr, Node: rulesNode(s, rules, def)})
	}
	sort.Slice(points, func(i, j int) bool { return points[i].Value < points[j].Value })
	ranges := []meaning.Range{{Lo: 0, Hi: 0xffffffff, Node: def}}
	if ap.Newer != nil {
		ranges = nil
		next := uint64(0)
		newer := ret(s, *ap.Newer)
		for _, r := range ap.NewerRanges() {
			if uint64(r[0]) > next {
				ranges = append(ranges, meaning.Range{Lo: uint32(next), Hi: r[0] - 1, Node: def})
			}
			ranges = append(ranges, meaning.Range{Lo: r[0], Hi: r[1], Node: newer})
			next = uint64(r[1]) + 1
		}
		if next <= 0xffffffff {
			ranges = append(ranges, meaning.Range{Lo: uint32(next), Hi: 0xffffffff, Node: def})
		}
	}
	return s.NrSwitch(points, ranges)
}

// rulesNode is first match over rules, falling through to def.
func rulesNode(s *meaning.Space, rules []ir.Rule, def meaning.Node) meaning.Node {
	n := def
	for i := len(rules) - 1; i >= 0; i-- {
		r := rules[i]
		if r.Cond == nil {
			n = ret(s, r.Action)
			continue
		}
		n = s.ITE(Cond(s, r.Cond), ret(s, r.Action), n)
	}
	return n
}

// Cond is the predicate of a condition.
func Cond(s *meaning.Space, c ir.Cond) meaning.Node {
	switch c := c.(type) {
	case ir.Const:
		return s.Bool(bool(c))
	case ir.Not:
		return s.Not(Cond(s, c.X))
	case ir.And:
		n := s.True
		for i := len(c) - 1; i >= 0; i-- {
			n = s.And(Cond(s, c[i]), n)
		}
		return n
	case ir.Or:
		n := s.False
		for i := len(c) - 1; i >= 0; i-- {
			n = s.Or(Cond(s, c[i]), n)
		}
		return n
	case ir.Cmp:
		return s.ArgCmp(c.Arg, c.Width, c.Mask, meaning.CmpOp(c.Op), c.Value)
	}
	panic(fmt.Errorf("unknown condition %T", c))
}

// Prove checks that prog, run on seccomp_data of the given byte order, decides exactly as p
// says for every input (translation validation). It returns the regions where they differ:
// none when the program is proved.
func Prove(p *ir.Policy, prog []bpf.RawInstruction, bigEndian bool) ([]meaning.Difference, error) {
	s := meaning.NewSpace()
	want, err := Policy(s, p)
	if err != nil {
		return nil, err
	}
	got, err := s.Program(prog, bigEndian)
	if err != nil {
		return nil, err
	}
	return s.Diff(want, got)
}
