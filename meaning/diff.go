package meaning

import (
	"fmt"
	"sort"

	"github.com/scc-dev/scc/program"
)

// Difference is one region of inputs where two meanings decide differently: an arch value
// range, a syscall number range, and a condition on the arguments (Region), where the left
// side decides Left and the right side Right (normalized return values). Witness is one call
// of the region.
type Difference struct {
	ArchLo, ArchHi uint32
	NrLo, NrHi     uint32
	Left, Right    uint32
	Region         Region
	Witness        program.SeccompData
}

// Diff lists every region where a and b (meanings of one Space) decide differently, by arch
// value, then syscall number, then the pair of decisions. It is empty exactly when a and b
// decide alike on every input.
func (s *Space) Diff(a, b Node) (diffs []Difference, err error) {
	if a == b {
		return nil, nil
	}
	p, err := s.Guard(func() Node { return s.apply(opPair, a, b) })
	if err != nil {
		return nil, err
	}
	same := s.term(kindSame, 0)
	arches, err := s.Intervals(p, blockArch)
	if err != nil {
		return nil, err
	}
	for _, ar := range arches {
		if ar.Node == same {
			continue
		}
		nrs, err := s.Intervals(ar.Node, blockNr)
		if err != nil {
			return nil, err
		}
		for _, nr := range nrs {
			if nr.Node == same {
				continue
			}
			for _, t := range s.terminals(nr.Node) {
				pair := s.termOf(t)
				if pair.kind != kindPair {
					continue
				}
				region := s.apply(opIsTerm, nr.Node, t)
				d := Difference{ArchLo: ar.Lo, ArchHi: ar.Hi, NrLo: nr.Lo, NrHi: nr.Hi,
					Left: uint32(pair.val >> 32), Right: uint32(pair.val), Region: s.region(region)}
				d.Witness = s.witness(region)
				d.Witness.Arch, d.Witness.Nr = ar.Lo, int32(nr.Lo)
				diffs = append(diffs, d)
			}
		}
	}
	return diffs, nil
}

// MaxIntervals bounds the ranges Intervals lists: a program that splits the arch or the
// syscall number into more (by its parity, say) gets an error, never a partial answer.
const MaxIntervals = 1 << 16

// Intervals splits n on one block's word (0: the arch, 1: the syscall number): the ranges
// of the word's values, in order, each with the function n is for them (adjacent ranges
// with the same function merged). n must not test the blocks before block.
func (s *Space) Intervals(n Node, block int) ([]Range, error) {
	var out []Range
	pieces := 0
	var walk func(n Node, d int, prefix uint32) bool
	walk = func(n Node, d int, prefix uint32) bool {
		if pieces++; pieces > 4*MaxIntervals {
			return false
		}
		v := s.varOf(n)
		if d == 32 || v >= (block+1)*32 {
			hi := prefix
			if d < 32 {
				hi |= blockBit(d)<<1 - 1
			}
			if len(out) > 0 && out[len(out)-1].Node == n && out[len(out)-1].Hi+1 == prefix {
				out[len(out)-1].Hi = hi
			} else {
				out = append(out, Range{prefix, hi, n})
			}
			return len(out) <= MaxIntervals
		}
		if v == block*32+d {
			return walk(s.nodes[n].lo, d+1, prefix) && walk(s.nodes[n].hi, d+1, prefix|blockBit(d))
		}
		return walk(n, d+1, prefix) && walk(n, d+1, prefix|blockBit(d))
	}
	if !walk(n, 0, 0) {
		what := [2]string{"arch values", "syscall numbers"}[min(block, 1)]
		return nil, fmt.Errorf("cannot analyse: the program splits the %s into more than %d ranges", what, MaxIntervals)
	}
	return out, nil
}

// terminals lists the terminals reachable from n, in a stable order.
func (s *Space) terminals(n Node) []Node {
	seen := map[Node]bool{}
	var out []Node
	var walk func(Node)
	walk = func(n Node) {
		if seen[n] {
			return
		}
		seen[n] = true
		if s.isTerm(n) {
			out = append(out, n)
			return
		}
		walk(s.nodes[n].lo)
		walk(s.nodes[n].hi)
	}
	walk(n)
	sort.Slice(out, func(i, j int) bool { return s.termOf(out[i]).val < s.termOf(out[j]).val })
	return out
}

// Decisions lists the decisions (normalized return values) n takes on some input.
func (s *Space) Decisions(n Node) []uint32 {
	var out []uint32
	for _, t := range s.terminals(n) {
		out = append(out, uint32(s.termOf(t).val))
	}
	return out
}

// witness is an input where predicate r holds: every bit it does not fix is 0, and of two
// ways the lower is taken.
func (s *Space) witness(r Node) (d program.SeccompData) {
	var w [numBlocks]uint32
	for !s.isTerm(r) {
		v := s.varOf(r)
		if lo := s.nodes[r].lo; lo != s.False && s.canBeTrue(lo) {
			r = lo
			continue
		}
		w[v/32] |= blockBit(v % 32)
		r = s.nodes[r].hi
	}
	for i := range d.Args {
		d.Args[i] = uint64(w[argBlock(i, true)])<<32 | uint64(w[argBlock(i, false)])
	}
	d.Arch, d.Nr = w[blockArch], int32(w[blockNr])
	d.InstructionPointer = uint64(w[blockIPHi])<<32 | uint64(w[blockIPLo])
	return d
}

// canBeTrue tells whether a reduced predicate holds somewhere: every non-terminal node of a
// reduced diagram has both values below it, so only the False terminal never holds.
func (s *Space) canBeTrue(n Node) bool { return n != s.False }

// Restrict is n for one arch value and one syscall number: a function of the arguments.
func (s *Space) Restrict(n Node, arch, nr uint32) Node {
	words := [numBlocks]uint32{blockArch: arch, blockNr: nr}
	for !s.isTerm(n) && s.varOf(n) < (blockNr+1)*32 {
		v := s.varOf(n)
		if words[v/32]&blockBit(v%32) != 0 {
			n = s.nodes[n].hi
		} else {
			n = s.nodes[n].lo
		}
	}
	return n
}
