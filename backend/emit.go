// Package backend lays the optimizer's decision DAG out as a classic BPF seccomp program,
// within the 8-bit reach of conditional jumps, checks it with package program's verifier, and
// encodes it: the scc blob, the bare program, a C header, a Go file, or a disassembly.
//
// What a finished program needs after that (the verifier, the blob's and the bare program's
// encoding, the kernel's cache rule, the emulator) is package program's, which knows nothing
// of the optimizer; backend is the compiler's side and must not be imported by the loader.
package backend

import (
	"errors"
	"fmt"
	"sync"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/optimizer"
	"github.com/scc-dev/scc/program"
)

// Emit lays p's decision DAG out as a BPF program and verifies it.
//
// Inner nodes are placed in a topological order, so every jump goes forward, preferring to
// place a node's true branch, then its false branch, right after it (the test's straight
// path). A node's load (and mask) is skipped when every parent leaves the same word (and a
// mask that covers it) in the accumulator. Leaves become RET instructions shared by value at
// the end of the program; a conditional jump that cannot reach its target within 255
// instructions gets a copy of the RET placed within reach, or for an inner node a JA
// trampoline. The instructions are x/net/bpf's typed forms, which assemble to exactly the
// program that was verified.
func Emit(p *optimizer.Program) ([]bpf.Instruction, error) {
	raw, err := emitRaw(p)
	if err != nil {
		return nil, err
	}
	out := make([]bpf.Instruction, len(raw))
	for i, ri := range raw {
		out[i] = ri.Disassemble()
	}
	return out, nil
}

// emitRaw is Emit returning raw instructions.
func emitRaw(p *optimizer.Program) ([]bpf.RawInstruction, error) {
	raw, _, err := emitGraph(p)
	return raw, err
}

// emitGraph is emitRaw also telling whether the program kills processes (see
// ProcessKilling).
func emitGraph(p *optimizer.Program) ([]bpf.RawInstruction, bool, error) {
	if p == nil || p.Root == nil {
		return nil, false, errors.New("backend: empty program")
	}
	w := workspaces.Get().(*workspace)
	defer w.release()
	g, l := &w.g, &w.l
	if err := g.analyze(p.Root); err != nil {
		return nil, false, err
	}
	l.place(g)
	if err := l.resolve(); err != nil {
		return nil, false, err
	}
	raw := l.raw()
	if err := program.Verify(raw); err != nil {
		return nil, false, fmt.Errorf("backend: %w", err)
	}
	return raw, g.killsProcess, nil
}

// workspace is the memory a build works in: the graph and the layout, with their maps and
// slices. Builds take one from workspaces and give it back, so that a process building
// filter after filter does not allocate and grow them afresh every time.
type workspace struct {
	g graph
	l layout
}

var workspaces = sync.Pool{New: func() any { return new(workspace) }}

// release empties w, dropping its references to the DAG, and gives it back to workspaces.
func (w *workspace) release() {
	w.g.reset()
	w.l.reset()
	workspaces.Put(w)
}

// ProcessKilling tells whether p is a process-killing program: one that returns
// kill_process anywhere (the bad-arch kill does, unless `default foreign` says otherwise). Its blob carries the mark, and a
// loader must refuse it on a kernel without SECCOMP_RET_KILL_PROCESS.
func ProcessKilling(p *optimizer.Program) bool {
	seen := map[*optimizer.Node]bool{}
	var walk func(n *optimizer.Node) bool
	walk = func(n *optimizer.Node) bool {
		if n == nil || seen[n] {
			return false
		}
		seen[n] = true
		if n.Leaf {
			return n.Action.Kind == ir.KillProcess
		}
		return walk(n.True) || walk(n.False)
	}
	return p != nil && walk(p.Root)
}

// accState is what the accumulator holds: the word at off, ANDed with mask (all ones: no
// mask). valid is false when it is not known.
type accState struct {
	valid bool
	off   uint32
	mask  uint32
}

// exit is the accumulator a node leaves to its children.
func exit(n *optimizer.Node) accState {
	s := accState{valid: true, off: n.Load, mask: ^uint32(0)}
	if n.HasMask {
		s.mask = n.Mask
	}
	return s
}

// graph is the DAG as the layout sees it. Its nodes, leaves too, are numbered in discovery
// order (depth first, true branch first, from the root, number 0); nodes holds them by number.
type graph struct {
	nodes []gnode
	inner int      // how many of the nodes are inner nodes
	rets  []uint32 // distinct return values of the leaves, in discovery order
	// killsProcess is set when a leaf returns kill_process (see ProcessKilling).
	killsProcess bool

	index    map[*optimizer.Node]int // every node's number
	retIndex map[uint32]int          // the index of every return value in rets
	// order's working memory
	indeg, stack, ordered []int
}

// gnode is a node of a graph, with what the layout needs to know about it.
type gnode struct {
	*optimizer.Node
	t, f    int      // an inner node's true and false children, by number
	ret     int      // a leaf's return value, by index in graph.rets
	parents int      // how many branches lead to the node
	entry   accState // the accumulator on entry: known only where all its parents agree
}

// reset empties g, keeping its memory.
func (g *graph) reset() {
	clear(g.nodes) // drop the node pointers
	clear(g.index)
	clear(g.retIndex)
	*g = graph{
		nodes: g.nodes[:0], rets: g.rets[:0], index: g.index, retIndex: g.retIndex,
		indeg: g.indeg[:0], stack: g.stack[:0], ordered: g.ordered[:0],
	}
}

// analyze walks the DAG from root into the empty g, checking every node.
func (g *graph) analyze(root *optimizer.Node) error {
	if g.index == nil {
		g.index, g.retIndex = map[*optimizer.Node]int{}, map[uint32]int{}
	}
	if _, err := g.walk(root); err != nil {
		return err
	}
	g.nodes[0].entry = accState{} // nothing is loaded on entry to the program
	return nil
}

// walk numbers n and the nodes below it, and returns n's number.
func (g *graph) walk(n *optimizer.Node) (int, error) {
	if i, ok := g.index[n]; ok {
		return i, nil
	}
	i := len(g.nodes)
	g.index[n] = i
	g.nodes = append(g.nodes, gnode{Node: n})
	if n.Leaf {
		g.nodes[i].ret = g.retNumber(n.Action.Ret())
		g.killsProcess = g.killsProcess || n.Action.Kind == ir.KillProcess
		return i, nil
	}
	if err := checkNode(n); err != nil {
		return i, err
	}
	g.inner++
	t, err := g.walk(n.True)
	if err != nil {
		return i, err
	}
	g.addParent(t, n)
	f, err := g.walk(n.False)
	if err != nil {
		return i, err
	}
	g.addParent(f, n)
	g.nodes[i].t, g.nodes[i].f = t, f
	return i, nil
}

// retNumber returns the index of return value r in g.rets, adding it if it is new.
func (g *graph) retNumber(r uint32) int {
	ri, ok := g.retIndex[r]
	if !ok {
		ri = len(g.rets)
		g.retIndex[r] = ri
		g.rets = append(g.rets, r)
	}
	return ri
}

// addParent records a branch from parent p to node c: the accumulator on entry to c stays
// known while every parent leaves the same.
func (g *graph) addParent(c int, p *optimizer.Node) {
	gc := &g.nodes[c]
	if gc.parents == 0 {
		gc.entry = exit(p)
	} else if gc.entry != exit(p) {
		gc.entry = accState{}
	}
	gc.parents++
}

func checkNode(n *optimizer.Node) error {
	switch {
	case n.True == nil || n.False == nil:
		return errors.New("backend: inner node without both branches")
	case n.Load >= program.SeccompDataSize || n.Load%4 != 0:
		return fmt.Errorf("backend: node loads seccomp_data at offset %d: not an aligned offset below 64", n.Load)
	case n.Op > optimizer.JSET:
		return fmt.Errorf("backend: node has unknown test %d", n.Op)
	}
	return nil
}

// order returns the inner nodes, by number, in a topological order that places a node's
// true branch, else its false branch, right after it when all its parents are already
// placed, and otherwise resumes depth first.
func (g *graph) order() []int {
	if g.nodes[0].Leaf {
		return nil
	}
	indeg := g.indeg[:0]
	for _, n := range g.nodes {
		indeg = append(indeg, n.parents)
	}
	out, stack := g.ordered[:0], g.stack[:0]
	for next := 0; next >= 0; {
		out = append(out, next)
		n := &g.nodes[next]
		next = -1
		for _, c := range [2]int{n.t, n.f} {
			if indeg[c]--; indeg[c] == 0 && !g.nodes[c].Leaf {
				if next < 0 {
					next = c
				} else {
					stack = append(stack, c)
				}
			}
		}
		if next < 0 && len(stack) > 0 {
			next, stack = stack[len(stack)-1], stack[:len(stack)-1]
		}
	}
	g.indeg, g.stack, g.ordered = indeg, stack, out
	return out
}
