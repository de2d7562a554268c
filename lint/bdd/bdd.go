// Package bdd decides seccomp argument conditions exactly. A condition (ir.Cond) is a boolean
// function of the six 64-bit argument registers; bdd represents it as a reduced ordered
// binary decision diagram over their 384 bits (argument 0 first, each argument's most
// significant bit first). Two conditions are equal as functions exactly when they are the same
// node, so satisfiability ("can this rule ever fire?") and validity ("does this condition
// always hold?") are a comparison with a terminal, with no approximation.
//
// A comparison (arg & mask) OP value is a chain of at most 64 nodes, and the conditions of
// real policies (sets, ranges, flag tests) stay small under conjunction and disjunction.
package bdd

import (
	"fmt"

	"github.com/scc-dev/scc/ir"
)

// Node is a function in a Manager: an index into its node table.
type Node int32

// The terminals.
const (
	False Node = 0
	True  Node = 1
)

// Bits is the number of variables: six arguments of 64 bits.
const Bits = 6 * 64

type node struct {
	v      int32 // variable; Bits for the terminals
	lo, hi Node
}

type opKey struct {
	op   byte
	a, b Node
}

// Manager owns the nodes of a family of functions; nodes of different managers do not mix.
// A Manager is not safe for concurrent use.
type Manager struct {
	nodes  []node
	unique map[node]Node
	memo   map[opKey]Node
}

// New returns an empty manager.
func New() *Manager {
	return &Manager{
		nodes:  []node{{v: Bits}, {v: Bits}},
		unique: map[node]Node{},
		memo:   map[opKey]Node{},
	}
}

// Size is the number of nodes the manager holds, terminals included.
func (m *Manager) Size() int { return len(m.nodes) }

// mk returns the node testing v with the given children, reduced and shared.
func (m *Manager) mk(v int32, lo, hi Node) Node {
	if lo == hi {
		return lo
	}
	k := node{v: v, lo: lo, hi: hi}
	if n, ok := m.unique[k]; ok {
		return n
	}
	m.nodes = append(m.nodes, k)
	n := Node(len(m.nodes) - 1)
	m.unique[k] = n
	return n
}

// Var is the variable for bit (0 = least significant) of argument arg.
func Var(arg, bit int) int32 { return int32(arg*64 + 63 - bit) }

// Not returns ¬a.
func (m *Manager) Not(a Node) Node {
	switch a {
	case False:
		return True
	case True:
		return False
	}
	k := opKey{op: '!', a: a}
	if r, ok := m.memo[k]; ok {
		return r
	}
	n := m.nodes[a]
	r := m.mk(n.v, m.Not(n.lo), m.Not(n.hi))
	m.memo[k] = r
	return r
}

// And returns a ∧ b.
func (m *Manager) And(a, b Node) Node { return m.apply('&', a, b) }

// Or returns a ∨ b.
func (m *Manager) Or(a, b Node) Node { return m.apply('|', a, b) }

// Diff returns a ∧ ¬b.
func (m *Manager) Diff(a, b Node) Node { return m.And(a, m.Not(b)) }

func (m *Manager) apply(op byte, a, b Node) Node {
	if r, ok := terminalCase(op, a, b); ok {
		return r
	}
	if a > b { // both operations commute
		a, b = b, a
	}
	k := opKey{op: op, a: a, b: b}
	if r, ok := m.memo[k]; ok {
		return r
	}
	na, nb := m.nodes[a], m.nodes[b]
	v := min(na.v, nb.v)
	alo, ahi := cofactors(na, a, v)
	blo, bhi := cofactors(nb, b, v)
	r := m.mk(v, m.apply(op, alo, blo), m.apply(op, ahi, bhi))
	m.memo[k] = r
	return r
}

func terminalCase(op byte, a, b Node) (Node, bool) {
	if op == '&' {
		switch {
		case a == False || b == False:
			return False, true
		case a == True:
			return b, true
		case b == True || a == b:
			return a, true
		}
		return 0, false
	}
	switch {
	case a == True || b == True:
		return True, true
	case a == False:
		return b, true
	case b == False || a == b:
		return a, true
	}
	return 0, false
}

func cofactors(n node, id Node, v int32) (lo, hi Node) {
	if n.v == v {
		return n.lo, n.hi
	}
	return id, id
}

// Cmp returns the function (args[c.Arg] & mask) c.Op c.Value, where a 32-bit comparison
// sees only the low 32 bits. It is built from the least significant bit up: below each bit
// lies the function of "all higher bits were equal so far".
func (m *Manager) Cmp(c ir.Cmp) Node {
	mask := c.Mask
	if c.Width == 32 {
		mask &= 0xffffffff
	}
	less, greater, equal := outcomes(c.Op)
	node := equal
	for bit := 0; bit < 64; bit++ {
		vb := c.Value>>bit&1 == 1
		if mask>>bit&1 == 0 {
			if vb { // the masked bit is 0 < 1: less, whatever the lower bits say
				node = less
			}
			continue
		}
		v := Var(c.Arg, bit)
		if vb {
			node = m.mk(v, less, node)
		} else {
			node = m.mk(v, node, greater)
		}
	}
	return node
}

// outcomes gives a comparison's result when the left side is less than, greater than, or
// equal to the right.
func outcomes(op ir.CmpOp) (less, greater, equal Node) {
	switch op {
	case ir.EQ:
		return False, False, True
	case ir.NE:
		return True, True, False
	case ir.LT:
		return True, False, False
	case ir.LE:
		return True, False, True
	case ir.GT:
		return False, True, False
	case ir.GE:
		return False, True, True
	}
	panic(fmt.Sprintf("bdd: unknown comparison %d", op))
}

// Cond returns the function of a condition; nil is the condition that always holds.
func (m *Manager) Cond(c ir.Cond) Node {
	switch c := c.(type) {
	case nil:
		return True
	case ir.Const:
		if c {
			return True
		}
		return False
	case ir.Cmp:
		return m.Cmp(c)
	case ir.Not:
		return m.Not(m.Cond(c.X))
	case ir.And:
		r := True
		for _, t := range c {
			r = m.And(r, m.Cond(t))
		}
		return r
	case ir.Or:
		r := False
		for _, t := range c {
			r = m.Or(r, m.Cond(t))
		}
		return r
	}
	panic(fmt.Sprintf("bdd: unsupported condition %T", c))
}

// Witness returns argument registers on which a holds; ok is false when a never holds.
// Bits the function does not look at are 0.
func (m *Manager) Witness(a Node) (args [6]uint64, ok bool) {
	if a == False {
		return args, false
	}
	for a != True {
		n := m.nodes[a]
		if n.lo != False {
			a = n.lo
			continue
		}
		arg, bit := n.v/64, 63-n.v%64
		args[arg] |= 1 << bit
		a = n.hi
	}
	return args, true
}

// Eval evaluates a on argument registers, walking one path of the diagram.
func (m *Manager) Eval(a Node, args [6]uint64) bool {
	for a != True && a != False {
		n := m.nodes[a]
		arg, bit := n.v/64, 63-n.v%64
		if args[arg]>>bit&1 == 1 {
			a = n.hi
		} else {
			a = n.lo
		}
	}
	return a == True
}
