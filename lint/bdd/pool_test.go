package bdd

import (
	"slices"
	"testing"
)

// TestPoolManagerIsFresh: a manager made on the tables of a released one builds the same
// nodes, in the same order, with the same steps, as a fresh manager, whatever the released
// one held.
func TestPoolManagerIsFresh(t *testing.T) {
	build := func(m *Manager) (Node, int64) {
		var r Node
		if err := m.Do(func() {
			r = False
			for v := int32(0); v < 40; v++ {
				x := m.mk(v, False, True)
				r = m.Or(r, m.And(x, m.mk(v+1, True, False)))
			}
		}); err != nil {
			t.Fatal(err)
		}
		return r, m.Steps()
	}
	fresh := New()
	wantRoot, wantSteps := build(fresh)

	var p Pool
	big := p.NewBudget(DefaultMaxNodes, DefaultMaxSteps, nil)
	for v := int32(0); v < 5000; v++ { // a larger manager, put back with its tables grown
		big.mk(v%60, False, Node(big.Size()-1))
	}
	p.Put(big)
	if p.nodes == nil || cap(p.unique) < 64 {
		t.Fatal("the pool kept no tables")
	}
	m := p.NewBudget(DefaultMaxNodes, DefaultMaxSteps, nil)
	gotRoot, gotSteps := build(m)
	if gotRoot != wantRoot || gotSteps != wantSteps || m.Size() != fresh.Size() {
		t.Fatalf("pooled manager: root %d, %d steps, %d nodes; fresh: %d, %d, %d", gotRoot, gotSteps, m.Size(), wantRoot, wantSteps, fresh.Size())
	}
	if !slices.Equal(m.nodes, fresh.nodes) {
		t.Error("the pooled manager's nodes differ from a fresh one's")
	}
	if p.nodes != nil {
		t.Error("the pool still holds the tables it handed out")
	}
}
