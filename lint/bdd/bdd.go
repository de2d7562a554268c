// Package bdd decides seccomp argument conditions exactly. A condition (ir.Cond) is a boolean
// function of the six 64-bit argument registers; bdd represents it as a reduced ordered
// binary decision diagram over their 384 bits (argument 0 first, each argument's most
// significant bit first). Two conditions are equal as functions exactly when they are the same
// node, so satisfiability ("can this rule ever fire?") and validity ("does this condition
// always hold?") are a comparison with a terminal, with no approximation.
//
// The order keeps each argument's bits together, most significant first: a comparison
// (arg & mask) OP value against a constant is then a chain of at most 64 nodes, and the
// conditions of real policies (sets, ranges, flag tests) stay small under conjunction and
// disjunction. Interleaving the bits of different arguments would instead make a comparison
// of two arguments' worth of bits grow with every constant it meets.
//
// A Manager has a budget of nodes and of steps (operations not answered by its cache), and
// managers may share one more (a Budget, for a whole run). Past a budget an operation panics
// with a value that Manager.Do recovers as ErrBudget; every result returned before that is
// exact.
package bdd

import (
	"errors"
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

// The default budget of a Manager: enough for the rules of large policies on one syscall,
// about 70 MB of nodes and tables, and a few seconds of work.
const (
	DefaultMaxNodes = 2 << 20
	DefaultMaxSteps = 20 << 20
)

// Budget is work left to share among managers: nodes they may still make, and steps they
// may still take. A Budget is not safe for concurrent use.
type Budget struct {
	Nodes, Steps int64
}

// ErrBudget is what Do returns when an operation passed the manager's budget.
var ErrBudget = errors.New("bdd: budget exceeded")

type node struct {
	v      int32 // variable; Bits for the terminals
	lo, hi Node
}

// The operations, as the computed table knows them.
const (
	opNot byte = iota + 1
	opAnd
	opOr
	opDiff
	opDisjoint
	opCovers
)

// entry is one slot of the computed table: op(a, b, c) = r.
type entry struct {
	op      byte
	a, b, c Node
	r       Node
}

// Cache sizes of the computed table, in entries: it starts small (a policy has a manager per
// syscall and arch) and grows with the node table up to maxCache. The bound keeps the table
// (20 bytes an entry, 1.3 MB) within the processor's caches: the table is lossy, and a
// larger one saves few steps but makes every lookup a trip to memory. On lint's 750-rule
// test policy, 1<<16 entries take 25.5M steps in half the time 1<<20 entries take for 24.4M.
const (
	minCache = 1 << 8
	maxCache = 1 << 16
)

// Manager owns the nodes of a family of functions; nodes of different managers do not mix.
// A Manager is not safe for concurrent use.
type Manager struct {
	nodes  []node
	unique []Node  // open addressing over nodes, by hash of (v, lo, hi); 0 is an empty slot
	cache  []entry // the computed table: lossy, a slot holds the last result hashed to it
	steps  int64

	maxNodes, maxSteps int64
	shared             *Budget // nil: none
	spent              bool
}

// New returns an empty manager with the default budget.
func New() *Manager { return NewBudget(DefaultMaxNodes, DefaultMaxSteps, nil) }

// NewBudget returns an empty manager that holds at most maxNodes nodes and takes at most
// maxSteps steps, and draws them from shared too when it is not nil.
func NewBudget(maxNodes, maxSteps int64, shared *Budget) *Manager {
	return &Manager{
		nodes:    []node{{v: Bits}, {v: Bits}},
		unique:   make([]Node, 64),
		cache:    make([]entry, minCache),
		maxNodes: maxNodes,
		maxSteps: maxSteps,
		shared:   shared,
	}
}

// A Pool keeps the node and unique tables of the managers put into it, for the next manager
// it makes: a run that builds one manager after another, as lint does a syscall after
// another, then reuses that memory rather than allocating (and collecting) every manager's
// tables anew. A manager made by a pool behaves exactly as one NewBudget makes.
type Pool struct {
	nodes  []node
	unique []Node
}

// NewBudget is NewBudget on the tables of a manager put into p, if it holds one.
func (p *Pool) NewBudget(maxNodes, maxSteps int64, shared *Budget) *Manager {
	m := NewBudget(maxNodes, maxSteps, shared)
	if p.nodes != nil {
		m.nodes = append(p.nodes[:0], m.nodes...)
		m.unique = p.unique[:len(m.unique)]
		clear(m.unique)
		p.nodes, p.unique = nil, nil
	}
	return m
}

// Put gives m's tables to p, which keeps the larger of its own and m's. m must not be used
// again, nor any node of it.
func (p *Pool) Put(m *Manager) {
	if m == nil {
		return
	}
	if cap(m.nodes) > cap(p.nodes) && cap(m.unique) >= 64 {
		p.nodes, p.unique = m.nodes, m.unique
	}
	m.nodes, m.unique, m.cache = nil, nil, nil
}

// Size is the number of nodes the manager holds, terminals included.
func (m *Manager) Size() int { return len(m.nodes) }

// Steps is the number of operation steps the manager has taken: recursive calls that its
// computed table did not answer. It measures the work done.
func (m *Manager) Steps() int64 { return m.steps }

// Spent tells whether an operation passed the budget; every later operation does too.
func (m *Manager) Spent() bool { return m.spent }

// budgetExceeded is the panic value of an operation past the budget.
type budgetExceeded struct{}

// Do runs f, which operates on m, and returns ErrBudget when an operation of f passed m's
// budget (or m was spent already, and then f is not run). Other panics pass through.
func (m *Manager) Do(f func()) (err error) {
	if m.spent {
		return ErrBudget
	}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(budgetExceeded); !ok {
				panic(r)
			}
			err = ErrBudget
		}
	}()
	f()
	return nil
}

// step counts one step of an operation, and stops it past the budget.
func (m *Manager) step() {
	m.steps++
	if m.shared != nil {
		m.shared.Steps--
		if m.shared.Steps < 0 {
			m.spend()
		}
	}
	if m.spent || m.steps > m.maxSteps {
		m.spend()
	}
}

func (m *Manager) spend() {
	m.spent = true
	panic(budgetExceeded{})
}

func hash3(a, b, c int32) uint64 {
	h := uint64(uint32(a)) | uint64(uint32(b))<<32
	h ^= uint64(uint32(c)) * 0x9e3779b97f4a7c15
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	return h ^ h>>33
}

// mk returns the node testing v with the given children, reduced and shared.
func (m *Manager) mk(v int32, lo, hi Node) Node {
	if lo == hi {
		return lo
	}
	mask := uint64(len(m.unique) - 1)
	for i := hash3(v, int32(lo), int32(hi)) & mask; ; i = (i + 1) & mask {
		n := m.unique[i]
		if n == 0 {
			break
		}
		if k := m.nodes[n]; k.v == v && k.lo == lo && k.hi == hi {
			return n
		}
	}
	if int64(len(m.nodes)) >= m.maxNodes {
		m.spend()
	}
	if m.shared != nil {
		if m.shared.Nodes <= 0 {
			m.spend()
		}
		m.shared.Nodes--
	}
	m.nodes = append(m.nodes, node{v: v, lo: lo, hi: hi})
	n := Node(len(m.nodes) - 1)
	if 2*len(m.nodes) > len(m.unique) {
		m.grow()
	} else {
		m.insert(n)
	}
	return n
}

// insert puts node n in the unique table, which has room.
func (m *Manager) insert(n Node) {
	k := m.nodes[n]
	mask := uint64(len(m.unique) - 1)
	i := hash3(k.v, int32(k.lo), int32(k.hi)) & mask
	for m.unique[i] != 0 {
		i = (i + 1) & mask
	}
	m.unique[i] = n
}

// grow doubles the unique table (and the computed table, up to its bound) and fills it again.
func (m *Manager) grow() {
	if size := 2 * len(m.unique); cap(m.unique) >= size { // a pool's table: room to grow in
		m.unique = m.unique[:size]
		clear(m.unique)
	} else {
		m.unique = make([]Node, size)
	}
	for n := 2; n < len(m.nodes); n++ {
		m.insert(Node(n))
	}
	if len(m.cache) < maxCache && len(m.cache) < len(m.nodes) {
		old := m.cache
		m.cache = make([]entry, 2*len(old))
		for _, e := range old {
			if e.op != 0 {
				m.cache[m.slot(e.op, e.a, e.b, e.c)] = e
			}
		}
	}
}

func (m *Manager) slot(op byte, a, b, c Node) uint64 {
	return (hash3(int32(a), int32(b), int32(c)) + uint64(op)*0x2545f4914f6cdd1d) & uint64(len(m.cache)-1)
}

// cached looks op(a, b, c) up in the computed table.
func (m *Manager) cached(op byte, a, b, c Node) (Node, bool) {
	e := &m.cache[m.slot(op, a, b, c)]
	if e.op == op && e.a == a && e.b == b && e.c == c {
		return e.r, true
	}
	return 0, false
}

func (m *Manager) remember(op byte, a, b, c, r Node) {
	m.cache[m.slot(op, a, b, c)] = entry{op: op, a: a, b: b, c: c, r: r}
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
	if r, ok := m.cached(opNot, a, 0, 0); ok {
		return r
	}
	m.step()
	n := m.nodes[a]
	r := m.mk(n.v, m.Not(n.lo), m.Not(n.hi))
	m.remember(opNot, a, 0, 0, r)
	return r
}

// And returns a ∧ b.
func (m *Manager) And(a, b Node) Node { return m.apply(opAnd, a, b) }

// Or returns a ∨ b.
func (m *Manager) Or(a, b Node) Node { return m.apply(opOr, a, b) }

// Diff returns a ∧ ¬b, without building ¬b: its cost is that of a's part of b.
func (m *Manager) Diff(a, b Node) Node { return m.apply(opDiff, a, b) }

func (m *Manager) apply(op byte, a, b Node) Node {
	if r, ok := m.terminalCase(op, a, b); ok {
		return r
	}
	if op != opDiff && a > b { // And and Or commute
		a, b = b, a
	}
	if r, ok := m.cached(op, a, b, 0); ok {
		return r
	}
	m.step()
	na, nb := m.nodes[a], m.nodes[b]
	v := min(na.v, nb.v)
	alo, ahi := cofactors(na, a, v)
	blo, bhi := cofactors(nb, b, v)
	r := m.mk(v, m.apply(op, alo, blo), m.apply(op, ahi, bhi))
	m.remember(op, a, b, 0, r)
	return r
}

func (m *Manager) terminalCase(op byte, a, b Node) (Node, bool) {
	switch op {
	case opAnd:
		switch {
		case a == False || b == False:
			return False, true
		case a == True:
			return b, true
		case b == True || a == b:
			return a, true
		}
	case opOr:
		switch {
		case a == True || b == True:
			return True, true
		case a == False:
			return b, true
		case b == False || a == b:
			return a, true
		}
	case opDiff:
		switch {
		case a == False || b == True || a == b:
			return False, true
		case b == False:
			return a, true
		case a == True:
			return m.Not(b), true
		}
	}
	return 0, false
}

func cofactors(n node, id Node, v int32) (lo, hi Node) {
	if n.v == v {
		return n.lo, n.hi
	}
	return id, id
}

// Disjoint tells whether a ∧ b never holds, without building it.
func (m *Manager) Disjoint(a, b Node) bool {
	switch {
	case a == False || b == False:
		return true
	case a == True || b == True || a == b:
		return false
	}
	if a > b {
		a, b = b, a
	}
	if r, ok := m.cached(opDisjoint, a, b, 0); ok {
		return r == True
	}
	m.step()
	na, nb := m.nodes[a], m.nodes[b]
	v := min(na.v, nb.v)
	alo, ahi := cofactors(na, a, v)
	blo, bhi := cofactors(nb, b, v)
	r := m.Disjoint(alo, blo) && m.Disjoint(ahi, bhi)
	m.remember(opDisjoint, a, b, 0, boolNode(r))
	return r
}

// Covers tells whether b ∨ c holds wherever a does (a ⊆ b ∪ c), without building b ∨ c.
func (m *Manager) Covers(a, b, c Node) bool {
	switch {
	case a == False || b == True || c == True || a == b || a == c:
		return true
	case b == False && c == False:
		return false // a is not False
	}
	if b > c {
		b, c = c, b
	}
	if r, ok := m.cached(opCovers, a, b, c); ok {
		return r == True
	}
	m.step()
	na, nb, nc := m.nodes[a], m.nodes[b], m.nodes[c]
	v := min(na.v, nb.v, nc.v)
	alo, ahi := cofactors(na, a, v)
	blo, bhi := cofactors(nb, b, v)
	clo, chi := cofactors(nc, c, v)
	r := m.Covers(alo, blo, clo) && m.Covers(ahi, bhi, chi)
	m.remember(opCovers, a, b, c, boolNode(r))
	return r
}

// Implies tells whether b holds wherever a does (a ⊆ b).
func (m *Manager) Implies(a, b Node) bool { return m.Covers(a, b, False) }

func boolNode(b bool) Node {
	if b {
		return True
	}
	return False
}

// Cmp returns the function (args[c.Arg] & mask) c.Op c.Value, where a 32-bit comparison
// sees only the low 32 bits. It is built from the least significant bit up: below each bit
// lies the function of "all higher bits were equal so far".
func (m *Manager) Cmp(c ir.Cmp) Node {
	if m.spent {
		m.spend()
	}
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

// Count is the number of nodes of a's diagram, terminals included.
func (m *Manager) Count(a Node) int {
	seen := map[Node]bool{}
	var walk func(Node)
	walk = func(a Node) {
		if seen[a] {
			return
		}
		seen[a] = true
		if a > True {
			walk(m.nodes[a].lo)
			walk(m.nodes[a].hi)
		}
	}
	walk(a)
	return len(seen)
}
