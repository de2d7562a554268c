package meaning

import (
	"sort"

	"github.com/scc-dev/scc/program"
)

// CmpOp is an unsigned comparison of an argument with a constant.
type CmpOp uint8

// The comparisons.
const (
	EQ CmpOp = iota
	NE
	LT
	LE
	GT
	GE
)

// ArgCmp is the predicate (arg & mask) op value on argument i (0..5). A width of 32 reads
// only the argument's low word (its high word: any value); 64 reads both words.
func (s *Space) ArgCmp(i, width int, mask uint64, op CmpOp, value uint64) Node {
	var vars []int
	if width == 64 {
		for b := range 32 {
			vars = append(vars, argBlock(i, true)*32+b)
		}
	} else {
		mask &= 0xffffffff
		if value > 0xffffffff {
			return s.Bool(op == NE || op == LT || op == LE)
		}
	}
	for b := range 32 {
		vars = append(vars, argBlock(i, false)*32+b)
	}
	return s.compare(vars, mask, op, value)
}

// compare is the predicate (x & mask) op value, where x is the unsigned number whose bits,
// most significant first, are the variables vars (at most 64, in increasing order).
func (s *Space) compare(vars []int, mask uint64, op CmpOp, value uint64) Node {
	n := len(vars)
	bit := func(k int) uint64 { return 1 << (n - 1 - k) } // vars[k]'s weight
	if n < 64 && value>>n != 0 {
		return s.Bool(op == NE || op == LT || op == LE)
	}
	onEqual := s.Bool(op == EQ || op == LE || op == GE)
	less := s.Bool(op == NE || op == LT || op == LE)
	greater := s.Bool(op == NE || op == GT || op == GE)
	r := onEqual
	for k := n - 1; k >= 0; k-- { // from the least significant bit up
		vb := value&bit(k) != 0
		if mask&bit(k) == 0 { // the masked bit is 0
			if vb {
				r = less
			}
			continue
		}
		if vb {
			r = s.mk(vars[k], less, r)
		} else {
			r = s.mk(vars[k], r, greater)
		}
	}
	return r
}

// ArchIs is the predicate "the call's arch is audit".
func (s *Space) ArchIs(audit uint32) Node { return s.wordIs(blockArch, audit) }

// NrIn is the predicate "lo <= the syscall number <= hi".
func (s *Space) NrIn(lo, hi uint32) Node {
	if lo > hi {
		return s.False
	}
	rs := []Range{{lo, hi, s.True}}
	if lo > 0 {
		rs = append(rs, Range{0, lo - 1, s.False})
	}
	if hi < 0xffffffff {
		rs = append(rs, Range{hi + 1, 0xffffffff, s.False})
	}
	return s.Switch(blockNr, nil, rs)
}

func (s *Space) wordIs(block int, v uint32) Node {
	r := s.True
	for b := 31; b >= 0; b-- {
		if v&blockBit(b) != 0 {
			r = s.mk(block*32+b, s.False, r)
		} else {
			r = s.mk(block*32+b, r, s.False)
		}
	}
	return r
}

// Range maps the numbers Lo..Hi (inclusive) to a node.
type Range struct {
	Lo, Hi uint32
	Node   Node
}

// Point maps one number to a node.
type Point struct {
	Value uint32
	Node  Node
}

// NrSwitch is the function that is points' node for each of the syscall numbers it names,
// else the node of the range holding the number. The ranges must cover every number, in
// order; points must be sorted by value. Nodes must not test the arch or the number.
func (s *Space) NrSwitch(points []Point, ranges []Range) Node {
	return s.Switch(blockNr, points, ranges)
}

// Switch is NrSwitch on any block.
func (s *Space) Switch(block int, points []Point, ranges []Range) Node {
	rs := ranges[:0:0]
	for _, r := range ranges {
		if r.Lo <= r.Hi {
			rs = append(rs, r)
		}
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].Lo < rs[j].Lo })
	var rec func(d int, lo uint64, pts []Point, rs []Range) Node
	rec = func(d int, lo uint64, pts []Point, rs []Range) Node {
		hi := lo + 1<<(32-d) - 1
		// Keep the ranges that meet [lo, hi].
		for len(rs) > 0 && uint64(rs[0].Hi) < lo {
			rs = rs[1:]
		}
		end := 0
		for end < len(rs) && uint64(rs[end].Lo) <= hi {
			end++
		}
		rs = rs[:end]
		if len(pts) == 0 && len(rs) == 1 {
			return rs[0].Node
		}
		if d == 32 {
			if len(pts) > 0 {
				return pts[0].Node
			}
			return rs[0].Node
		}
		mid := lo + 1<<(31-d)
		split := sort.Search(len(pts), func(i int) bool { return uint64(pts[i].Value) >= mid })
		return s.mk(block*32+d, rec(d+1, lo, pts[:split], rs), rec(d+1, mid, pts[split:], rs))
	}
	return rec(0, 0, points, rs)
}

// Eval is the decision n takes for d: a return value (or a predicate's 0 or 1).
func (s *Space) Eval(n Node, d program.SeccompData) uint32 {
	words := logicalWords(d)
	for !s.isTerm(n) {
		v := s.varOf(n)
		if words[v/32]&blockBit(v%32) != 0 {
			n = s.nodes[n].hi
		} else {
			n = s.nodes[n].lo
		}
	}
	return uint32(s.termOf(n).val)
}

// logicalWords lays d out by variable block.
func logicalWords(d program.SeccompData) (w [numBlocks]uint32) {
	w[blockArch], w[blockNr] = d.Arch, uint32(d.Nr)
	for i, a := range d.Args {
		w[argBlock(i, true)], w[argBlock(i, false)] = uint32(a>>32), uint32(a)
	}
	w[blockIPHi], w[blockIPLo] = uint32(d.InstructionPointer>>32), uint32(d.InstructionPointer)
	return w
}
