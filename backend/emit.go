// Package backend lays the optimizer's decision DAG out as a classic BPF seccomp program,
// verifies it as the kernel would, and encodes it: the scc blob, the bare program, a C header,
// a Go file, or a disassembly. It also decodes blobs and bare programs, and measures programs
// with the emulator (steps, and the kernel's action cache).
package backend

import (
	"errors"
	"fmt"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/optimizer"
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

// emitGraph is emitRaw also returning the analyzed DAG.
func emitGraph(p *optimizer.Program) ([]bpf.RawInstruction, *graph, error) {
	if p == nil || p.Root == nil {
		return nil, nil, errors.New("backend: empty program")
	}
	g, err := analyze(p.Root)
	if err != nil {
		return nil, nil, err
	}
	l := &layout{}
	l.place(g)
	if err := l.resolve(); err != nil {
		return nil, nil, err
	}
	raw := l.raw()
	if err := VerifyRaw(raw); err != nil {
		return nil, nil, fmt.Errorf("backend: %w", err)
	}
	return raw, g, nil
}

// ProcessKilling tells whether p is a process-killing program: one that returns
// kill_process anywhere (the bad-arch kill always does). Its blob carries the mark, and a
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
// order; the per-node slices are indexed by that number.
type graph struct {
	root    *optimizer.Node
	index   map[*optimizer.Node]int // every node's number
	inner   []*optimizer.Node       // inner nodes, in discovery order
	parents [][]*optimizer.Node     // by node number
	rets    []uint32                // distinct return values of the leaves, in discovery order
	// killsProcess is set when a leaf returns kill_process (see ProcessKilling).
	killsProcess bool
}

// analyze walks the DAG from root, checking every node.
func analyze(root *optimizer.Node) (*graph, error) {
	g := &graph{root: root, index: map[*optimizer.Node]int{}}
	rets := map[uint32]bool{}
	var walk func(n *optimizer.Node) (int, error)
	walk = func(n *optimizer.Node) (int, error) {
		if i, ok := g.index[n]; ok {
			return i, nil
		}
		i := len(g.parents)
		g.index[n] = i
		g.parents = append(g.parents, nil)
		if n.Leaf {
			if r := n.Action.Ret(); !rets[r] {
				rets[r] = true
				g.rets = append(g.rets, r)
			}
			g.killsProcess = g.killsProcess || n.Action.Kind == ir.KillProcess
			return i, nil
		}
		if err := checkNode(n); err != nil {
			return i, err
		}
		g.inner = append(g.inner, n)
		for _, c := range [2]*optimizer.Node{n.True, n.False} {
			ci, err := walk(c)
			if err != nil {
				return i, err
			}
			g.parents[ci] = append(g.parents[ci], n)
		}
		return i, nil
	}
	_, err := walk(root)
	return g, err
}
func checkNode(n *optimizer.Node) error {
	switch {
	case n.True == nil || n.False == nil:
		return errors.New("backend: inner node without both branches")
	case n.Load >= ir.SeccompDataSize || n.Load%4 != 0:
		return fmt.Errorf("backend: node loads seccomp_data at offset %d: not an aligned offset below 64", n.Load)
	case n.Op > optimizer.JSET:
		return fmt.Errorf("backend: node has unknown test %d", n.Op)
	}
	return nil
}

// entry is the accumulator on entry to n: known only where all its parents agree.
func (g *graph) entry(n *optimizer.Node) accState {
	ps := g.parents[g.index[n]]
	if n == g.root || len(ps) == 0 {
		return accState{}
	}
	s := exit(ps[0])
	for _, p := range ps[1:] {
		if exit(p) != s {
			return accState{}
		}
	}
	return s
}

// order returns the inner nodes in a topological order that places a node's true branch,
// else its false branch, right after it when all its parents are already placed, and
// otherwise resumes depth first.
func (g *graph) order() []*optimizer.Node {
	indeg := make([]int, len(g.parents))
	for i, ps := range g.parents {
		indeg[i] = len(ps)
	}
	var out, stack []*optimizer.Node
	next := g.root
	if next.Leaf {
		return nil
	}
	for next != nil {
		out = append(out, next)
		var ready []*optimizer.Node
		for _, c := range [2]*optimizer.Node{next.True, next.False} {
			i := g.index[c]
			if indeg[i]--; indeg[i] == 0 && !c.Leaf {
				ready = append(ready, c)
			}
		}
		next = nil
		if len(ready) > 0 {
			next = ready[0]
			stack = append(stack, ready[1:]...)
		} else if len(stack) > 0 {
			next, stack = stack[len(stack)-1], stack[:len(stack)-1]
		}
	}
	return out
}
