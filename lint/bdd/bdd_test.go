package bdd

import (
	"math/rand/v2"
	"testing"

	"github.com/scc-dev/scc/ir"
)

// randCond builds a random condition over args 0 and 1 whose comparisons look only at the low
// 4 bits of each argument, so that 256 argument pairs cover every case.
func randCond(r *rand.Rand, depth int) ir.Cond {
	if depth == 0 || r.IntN(3) == 0 {
		return ir.Cmp{Arg: r.IntN(2), Width: 32 << r.IntN(2), Mask: uint64(r.IntN(16)),
			Op: ir.CmpOp(r.IntN(6)), Value: uint64(r.IntN(17))}
	}
	switch r.IntN(3) {
	case 0:
		return ir.Not{X: randCond(r, depth-1)}
	case 1:
		return ir.And{randCond(r, depth-1), randCond(r, depth-1)}
	}
	return ir.Or{randCond(r, depth-1), randCond(r, depth-1)}
}

func TestCondAgreesWithEvalExhaustively(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		c := randCond(r, 4)
		m := New()
		n := m.Cond(c)
		sat, valid := false, true
		for x := range uint64(16) {
			for y := range uint64(16) {
				args := [6]uint64{x, y}
				want := c.Eval(args)
				if got := m.Eval(n, args); got != want {
					t.Fatalf("%v on %v: bdd says %v, Eval %v", c, args, got, want)
				}
				sat = sat || want
				valid = valid && want
			}
		}
		if (n != False) != sat || (n == True) != valid {
			t.Fatalf("%v: node %d, but satisfiable=%v valid=%v", c, n, sat, valid)
		}
		if w, ok := m.Witness(n); ok != sat || ok && !c.Eval(w) {
			t.Fatalf("%v: witness %v (%v) does not satisfy it", c, w, ok)
		}
	}
}

func TestCmpOnFullWidthBoundaries(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		c := ir.Cmp{Arg: r.IntN(6), Width: 64, Mask: r.Uint64() | uint64(r.IntN(2))*^uint64(0),
			Op: ir.CmpOp(r.IntN(6)), Value: r.Uint64() >> r.IntN(64)}
		if r.IntN(2) == 0 {
			c.Width, c.Mask, c.Value = 32, c.Mask&0xffffffff, c.Value&0xffffffff
		}
		m := New()
		n := m.Cmp(c)
		for _, x := range []uint64{0, 1, c.Value - 1, c.Value, c.Value + 1, ^uint64(0), r.Uint64(), c.Value | 1<<32} {
			var args [6]uint64
			args[c.Arg] = x
			if got, want := m.Eval(n, args), c.Eval(args); got != want {
				t.Fatalf("%v on %#x: bdd %v, Eval %v", c, x, got, want)
			}
		}
		if w, ok := m.Witness(n); ok && !c.Eval(w) {
			t.Fatalf("%v: witness %v does not satisfy it", c, w)
		}
	}
}

func TestKnownFacts(t *testing.T) {
	m := New()
	lt0 := m.Cmp(ir.Cmp{Arg: 0, Width: 32, Mask: ^uint64(0), Op: ir.LT, Value: 0})
	ge0 := m.Cmp(ir.Cmp{Arg: 0, Width: 64, Mask: ^uint64(0), Op: ir.GE, Value: 0})
	if lt0 != False || ge0 != True {
		t.Errorf("x < 0 is %d, x >= 0 is %d; want False and True", lt0, ge0)
	}
	// x & 3 == 0 || x & 3 == 1 || x & 3 == 2 || x & 3 == 3 always holds.
	any := False
	for v := range uint64(4) {
		any = m.Or(any, m.Cmp(ir.Cmp{Arg: 2, Width: 64, Mask: 3, Op: ir.EQ, Value: v}))
	}
	if any != True {
		t.Errorf("the four values of x & 3 do not cover everything")
	}
	// A 32-bit view ignores the high half: x.lo == 5 does not imply x == 5.
	lo := m.Cmp(ir.Cmp{Arg: 1, Width: 32, Mask: ^uint64(0), Op: ir.EQ, Value: 5})
	full := m.Cmp(ir.Cmp{Arg: 1, Width: 64, Mask: ^uint64(0), Op: ir.EQ, Value: 5})
	if m.Diff(lo, full) == False || m.Diff(full, lo) != False {
		t.Errorf("x.lo == 5 and x == 5: the implication is wrong")
	}
}

// The tests without building (Disjoint, Covers, Implies) and Diff agree with the functions
// they stand for, on the exhaustive small domain of randCond.
func TestPredicatesAgreeWithTheirFunctions(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 1000 {
		m := New()
		a, b, c := m.Cond(randCond(r, 3)), m.Cond(randCond(r, 3)), m.Cond(randCond(r, 3))
		if got, want := m.Disjoint(a, b), m.And(a, b) == False; got != want {
			t.Fatalf("Disjoint %v, And is False %v", got, want)
		}
		if got, want := m.Covers(a, b, c), m.Diff(a, m.Or(b, c)) == False; got != want {
			t.Fatalf("Covers %v, Diff is False %v", got, want)
		}
		if got, want := m.Implies(a, b), m.And(a, m.Not(b)) == False; got != want {
			t.Fatalf("Implies %v, a ∧ ¬b is False %v", got, want)
		}
		if m.Diff(a, b) != m.And(a, m.Not(b)) {
			t.Fatalf("Diff is not a ∧ ¬b")
		}
	}
}

// A comparison with a constant is a chain of at most 64 nodes in the variable order, and the
// union of comparisons of one argument stays small.
func TestComparisonsStaySmall(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	m := New()
	any := False
	for range 200 {
		c := m.Cmp(ir.Cmp{Arg: 3, Width: 64, Mask: ^uint64(0), Op: ir.CmpOp(r.IntN(6)), Value: r.Uint64()})
		if n := m.Count(c); n > 64+2 {
			t.Fatalf("a comparison has %d nodes", n)
		}
		eq := m.Cmp(ir.Cmp{Arg: 3, Width: 64, Mask: ^uint64(0), Op: ir.EQ, Value: r.Uint64()})
		any = m.Or(any, eq)
	}
	if n := m.Count(any); n > 200*64 {
		t.Fatalf("200 equalities on one argument take %d nodes", n)
	}
}

// Past its budget a manager stops: Do reports ErrBudget, the manager stays spent, and what
// was built before is intact.
func TestBudget(t *testing.T) {
	m := NewBudget(1000, 1<<20, nil)
	x := m.Cmp(ir.Cmp{Arg: 0, Width: 64, Mask: ^uint64(0), Op: ir.EQ, Value: 5})
	err := m.Do(func() {
		u := False
		for k := range 40 { // the union of bit k of arg0 and of arg1 doubles with each k
			a := m.Cmp(ir.Cmp{Arg: 0, Width: 64, Mask: 1 << k, Op: ir.NE, Value: 0})
			b := m.Cmp(ir.Cmp{Arg: 1, Width: 64, Mask: 1 << k, Op: ir.NE, Value: 0})
			u = m.Or(u, m.And(a, b))
		}
	})
	if err != ErrBudget || !m.Spent() || m.Size() > 1000 {
		t.Fatalf("err %v, spent %v, size %d", err, m.Spent(), m.Size())
	}
	if m.Do(func() {}) != ErrBudget {
		t.Errorf("a spent manager runs again")
	}
	if !m.Eval(x, [6]uint64{5}) || m.Eval(x, [6]uint64{6}) {
		t.Errorf("a diagram built before the budget ran out changed")
	}
	shared := &Budget{Nodes: 1 << 20, Steps: 10}
	m = NewBudget(1<<20, 1<<20, shared)
	a := m.Cmp(ir.Cmp{Arg: 0, Width: 64, Mask: ^uint64(0), Op: ir.LT, Value: 1 << 40})
	b := m.Cmp(ir.Cmp{Arg: 1, Width: 64, Mask: ^uint64(0), Op: ir.GT, Value: 1 << 40})
	if m.Do(func() { m.Or(a, b) }) != ErrBudget || shared.Steps >= 0 {
		t.Errorf("the shared budget does not bound the steps: %d left", shared.Steps)
	}
}
