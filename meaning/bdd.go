package meaning

import "errors"

// A Node is a node of a multi-terminal binary decision diagram held by a Space. Nodes are
// hash-consed: within one Space, two nodes are the same Node exactly when they denote the
// same function, so equality of meanings is equality of Nodes.
type Node uint32

// The input variables: 16 blocks of 32 bits each, one block per 32-bit word of struct
// seccomp_data, most significant bit first. The blocks come in this order, which keeps the
// diagrams small on real programs (the arch and number tests first, then each argument's
// high word before its low word, so that 64-bit comparisons stay linear).
const (
	blockArch   = 0
	blockNr     = 1
	blockArg0Hi = 2 // argument i: high word 2+2i, low word 3+2i
	blockIPHi   = 14
	blockIPLo   = 15
	numBlocks   = 16
	numVars     = numBlocks * 32
	termVar     = numVars // the "variable" of a terminal: below every real one
)

// argBlock is the block of argument i's high (hi) or low word.
func argBlock(i int, hi bool) int {
	if hi {
		return blockArg0Hi + 2*i
	}
	return blockArg0Hi + 2*i + 1
}

// terminal kinds.
const (
	kindBool = iota // false, true
	kindRet         // a filter's 32-bit return value
	kindPair        // two return values that differ (a diff's product)
	kindSame        // a diff's product where both sides agree
)

type terminal struct {
	kind uint8
	val  uint64
}

type node struct {
	v      uint16 // variable; termVar for a terminal
	lo, hi Node   // children for the variable 0 and 1; a terminal's index in lo
}

// ErrTooBig is wrapped by the error of an analysis whose diagrams outgrow MaxNodes.
var ErrTooBig = errors.New("the diagrams grew past the node limit")

// MaxNodes bounds the nodes of one Space: an analysis that needs more fails with an error
// wrapping ErrTooBig, never with an approximate answer.
var MaxNodes = 1 << 19

// Space holds the nodes of the meanings compared with one another: meanings are compared by
// Node equality, so the two sides of a comparison must come from one Space. A Space is not
// safe for concurrent use.
type Space struct {
	nodes     []node
	unique    map[uint64]Node // nodeKey → node
	terms     []terminal
	termIndex map[terminal]Node
	iteMemo   map[uint64]Node // iteKey → result
	applyMemo map[applyKey]Node
	False     Node
	True      Node
}

type applyKey struct {
	op   uint8
	f, g Node
}

// NewSpace returns an empty Space.
func NewSpace() *Space {
	s := &Space{
		nodes:     make([]node, 0, 1<<12),
		unique:    make(map[uint64]Node, 1<<12),
		termIndex: map[terminal]Node{},
		iteMemo:   make(map[uint64]Node, 1<<12),
		applyMemo: map[applyKey]Node{},
	}
	s.False = s.term(kindBool, 0)
	s.True = s.term(kindBool, 1)
	return s
}

// tooBig is the panic value that unwinds an analysis past MaxNodes.
type tooBig struct{}

func (s *Space) term(kind uint8, val uint64) Node {
	t := terminal{kind, val}
	if n, ok := s.termIndex[t]; ok {
		return n
	}
	s.terms = append(s.terms, t)
	n := s.add(node{v: termVar, lo: Node(len(s.terms) - 1)})
	s.termIndex[t] = n
	return n
}

func (s *Space) add(nd node) Node {
	if len(s.nodes) >= min(MaxNodes, 1<<maxNodesBits) {
		panic(tooBig{})
	}
	n := Node(len(s.nodes))
	s.nodes = append(s.nodes, nd)
	if nd.v != termVar {
		s.unique[nodeKey(nd)] = n
	}
	return n
}

// maxNodesBits is the width of a node number in the keys below: MaxNodes is at most
// 1<<maxNodesBits, so that three node numbers fit in a 64-bit key.
const maxNodesBits = 21

// nodeKey packs a node into a map key: a variable (10 bits) and two children.
func nodeKey(nd node) uint64 {
	return uint64(nd.v)<<(2*maxNodesBits) | uint64(nd.lo)<<maxNodesBits | uint64(nd.hi)
}

// iteKey packs the three operands of an ITE into a map key.
func iteKey(f, g, h Node) uint64 {
	return uint64(f)<<(2*maxNodesBits) | uint64(g)<<maxNodesBits | uint64(h)
}

// mk is the node testing variable v, with the given children; it is reduced and shared.
func (s *Space) mk(v int, lo, hi Node) Node {
	if lo == hi {
		return lo
	}
	nd := node{v: uint16(v), lo: lo, hi: hi}
	if n, ok := s.unique[nodeKey(nd)]; ok {
		return n
	}
	return s.add(nd)
}

// Ret is the constant function returning the filter return value r.
func (s *Space) Ret(r uint32) Node { return s.term(kindRet, uint64(r)) }

// Bool is the constant predicate b.
func (s *Space) Bool(b bool) Node {
	if b {
		return s.True
	}
	return s.False
}

func (s *Space) isTerm(n Node) bool     { return s.nodes[n].v == termVar }
func (s *Space) termOf(n Node) terminal { return s.terms[s.nodes[n].lo] }
func (s *Space) varOf(n Node) int       { return int(s.nodes[n].v) }

// cofactors are n's children for variable v (n itself for both when n does not test v).
func (s *Space) cofactors(n Node, v int) (lo, hi Node) {
	nd := s.nodes[n]
	if int(nd.v) != v {
		return n, n
	}
	return nd.lo, nd.hi
}

// bitVar is the predicate "bit b (0 = most significant) of block's word is set".
func (s *Space) bitVar(block, b int) Node { return s.mk(block*32+b, s.False, s.True) }

// ITE is if f then g else h, f a predicate.
func (s *Space) ITE(f, g, h Node) Node {
	switch {
	case f == s.True:
		return g
	case f == s.False:
		return h
	case g == h:
		return g
	case g == s.True && h == s.False:
		return f
	}
	key := iteKey(f, g, h)
	if r, ok := s.iteMemo[key]; ok {
		return r
	}
	v := min(s.varOf(f), s.varOf(g), s.varOf(h))
	f0, f1 := s.cofactors(f, v)
	g0, g1 := s.cofactors(g, v)
	h0, h1 := s.cofactors(h, v)
	r := s.mk(v, s.ITE(f0, g0, h0), s.ITE(f1, g1, h1))
	s.iteMemo[key] = r
	return r
}

// Not is the negation of predicate f.
func (s *Space) Not(f Node) Node { return s.ITE(f, s.False, s.True) }

// And is the conjunction of predicates f and g.
func (s *Space) And(f, g Node) Node { return s.ITE(f, g, s.False) }

// Or is the disjunction of predicates f and g.
func (s *Space) Or(f, g Node) Node { return s.ITE(f, s.True, g) }

// Xor is the exclusive or of predicates f and g.
func (s *Space) Xor(f, g Node) Node { return s.ITE(f, s.Not(g), g) }

// apply operations on terminals.
const (
	opStack     = iota // stacked filters: the lower (s32)(ret & 0xffff0000) wins, the first on a tie
	opNormalize        // unary: the kernel's reading of a return value
	opPair             // a diff: kindSame where equal, else kindPair
	opIsTerm           // unary on the terminal given as g: whether f's value is g
)

// apply combines f and g terminal by terminal with op.
func (s *Space) apply(op uint8, f, g Node) Node {
	if s.isTerm(f) && s.isTerm(g) {
		return s.applyTerms(op, f, g)
	}
	key := applyKey{op, f, g}
	if r, ok := s.applyMemo[key]; ok {
		return r
	}
	v := min(s.varOf(f), s.varOf(g))
	f0, f1 := s.cofactors(f, v)
	g0, g1 := s.cofactors(g, v)
	r := s.mk(v, s.apply(op, f0, g0), s.apply(op, f1, g1))
	s.applyMemo[key] = r
	return r
}

func (s *Space) applyTerms(op uint8, f, g Node) Node {
	a, b := s.termOf(f), s.termOf(g)
	switch op {
	case opStack:
		if int32(uint32(b.val)&0xffff0000) < int32(uint32(a.val)&0xffff0000) {
			return g
		}
		return f
	case opNormalize:
		return s.Ret(Normalize(uint32(a.val)))
	case opPair:
		if a == b {
			return s.term(kindSame, 0)
		}
		return s.term(kindPair, a.val<<32|b.val)
	case opIsTerm:
		return s.Bool(f == g)
	}
	panic("meaning: unknown apply op")
}

// Size is the number of nodes reachable from n, terminals included.
func (s *Space) Size(n Node) int {
	seen := map[Node]bool{}
	var walk func(Node)
	walk = func(n Node) {
		if seen[n] {
			return
		}
		seen[n] = true
		if !s.isTerm(n) {
			walk(s.nodes[n].lo)
			walk(s.nodes[n].hi)
		}
	}
	walk(n)
	return len(seen)
}

// blockBit returns the bit of a word for bit index b (0 = most significant).
func blockBit(b int) uint32 { return 1 << (31 - b) }
