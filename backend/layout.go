package backend

import (
	"fmt"
	"slices"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/optimizer"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/program/opcode"
)

// slot is one instruction of the layout before its jump offsets are known. Jumps name their
// targets by slot id, so that inserting a slot never breaks a jump.
type slot struct {
	id   int
	op   uint16
	k    uint32
	t, f int // target ids: t for JA and a conditional jump's true branch, f for its false one
}

// layout is a program under construction.
type layout struct {
	slots  []slot
	nextID int
	pos    []int  // the buffer positions fills
	used   []bool // the buffer dropDead fills
}

// reset empties l, keeping its memory.
func (l *layout) reset() {
	*l = layout{slots: l.slots[:0], pos: l.pos[:0], used: l.used[:0]}
}

func (l *layout) newID() int {
	l.nextID++
	return l.nextID
}

// add appends an instruction with the given id (0: a fresh one).
func (l *layout) add(id int, s slot) {
	if id == 0 {
		id = l.newID()
	}
	s.id = id
	l.slots = append(l.slots, s)
}

var jumpOps = [...]uint16{
	optimizer.JEQ:  opcode.JMP | opcode.JEQ | opcode.K,
	optimizer.JGT:  opcode.JMP | opcode.JGT | opcode.K,
	optimizer.JGE:  opcode.JMP | opcode.JGE | opcode.K,
	optimizer.JSET: opcode.JMP | opcode.JSET | opcode.K,
}

// place lays out every inner node in order, then one RET per distinct return value. The
// first slot of inner node i has id i+1; the RET of g.rets[r] has id len(g.nodes)+1+r.
func (l *layout) place(g *graph) {
	order := g.order()
	retID := func(r int) int { return len(g.nodes) + 1 + r }
	target := func(i int) int {
		if n := &g.nodes[i]; n.Leaf {
			return retID(n.ret)
		}
		return i + 1
	}
	l.nextID = len(g.nodes) + len(g.rets)
	for _, i := range order {
		n := &g.nodes[i]
		want := exit(n.Node)
		id := i + 1
		load, and := loadFor(n.entry, want)
		if load {
			l.add(id, slot{op: opLdAbsW, k: want.off})
			id = 0
		}
		if and {
			l.add(id, slot{op: opAndK, k: want.mask})
			id = 0
		}
		l.add(id, slot{op: jumpOps[n.Op], k: n.K, t: target(n.t), f: target(n.f)})
	}
	for r, k := range g.rets {
		l.add(retID(r), slot{op: opRetK, k: k})
	}
}

// loadFor tells which instructions turn the accumulator from have into want: a load of the
// word, an AND with the mask, both or none.
func loadFor(have, want accState) (load, and bool) {
	full := ^uint32(0)
	if have.valid && have.off == want.off && want.mask&have.mask == want.mask {
		return false, want.mask != have.mask
	}
	return true, want.mask != full
}

// positions maps slot ids to their current index, in l.pos: pos[id] (ids are 1..nextID).
// Until the next call, insert keeps it up to date.
func (l *layout) positions() []int {
	l.pos = slices.Grow(l.pos[:0], l.nextID+1)[:l.nextID+1]
	clear(l.pos)
	for i, s := range l.slots {
		l.pos[s.id] = i
	}
	return l.pos
}

// resolve brings every conditional jump within reach of its targets, inserting RET copies
// and JA trampolines as needed. Each pass goes forward fixing every long jump; an insertion
// can lengthen a jump already passed, so passes repeat until one changes nothing.
func (l *layout) resolve() error {
	if n := len(l.slots); n > program.MaxInsns {
		return tooLarge(n)
	}
	l.positions()
	for changed := true; changed; {
		changed = false
		for i := 0; i < len(l.slots); i++ {
			if !opcode.IsCondJump(l.slots[i].op) {
				continue
			}
			for branch := range 2 {
				tgt := l.slots[i].t
				if branch == 1 {
					tgt = l.slots[i].f
				}
				if d := l.pos[tgt] - i - 1; d < 0 {
					return fmt.Errorf("backend: internal error: backward jump at %d", i)
				} else if d <= maxJump {
					continue
				}
				changed = true
				l.bringNear(i, tgt)
			}
		}
		if n := len(l.slots); n > program.MaxInsns {
			return tooLarge(n)
		}
	}
	l.dropDead()
	return nil
}

// dropDead removes the RETs and JAs that no jump targets any more (originals whose every
// jump was moved to a nearer copy). Nothing falls into a RET or JA but the first
// instruction, and removing instructions only shortens jumps.
func (l *layout) dropDead() {
	used := slices.Grow(l.used[:0], l.nextID+1)[:l.nextID+1] // by slot id
	l.used = used
	for {
		clear(used)
		for _, s := range l.slots {
			if opcode.IsCondJump(s.op) || s.op == opJA {
				used[s.t], used[s.f] = true, true
			}
		}
		kept := l.slots[:1]
		for _, s := range l.slots[1:] {
			if used[s.id] || opcode.Class(s.op) != opcode.RET && s.op != opJA {
				kept = append(kept, s)
			}
		}
		if len(kept) == len(l.slots) {
			return
		}
		l.slots = kept
	}
}

func tooLarge(n int) error {
	return &program.VerifyError{PC: -1, Reason: fmt.Sprintf("program has %d instructions; the kernel's limit is %d", n, program.MaxInsns)}
}

// bringNear retargets the jump at i from tgt to an equivalent instruction within reach: an
// existing or new copy of the RET at tgt, or an existing or new JA to tgt.
func (l *layout) bringNear(i, tgt int) {
	far := l.slots[l.pos[tgt]]
	limit := min(i+1+maxJump-standSlack, len(l.slots)-1)
	stand := slot{op: opJA, t: tgt}
	if far.op == opRetK || far.op == opRetA {
		stand = slot{op: far.op, k: far.k}
	}
	id := 0
	for j := limit; j > i && id == 0; j-- {
		if s := l.slots[j]; s.op == stand.op && s.k == stand.k && s.t == stand.t {
			id = s.id
		}
	}
	if id == 0 {
		id = l.insert(l.gap(i, limit), stand)
	}
	if l.slots[i].t == tgt {
		l.slots[i].t = id
	}
	if l.slots[i].f == tgt {
		l.slots[i].f = id
	}
}

// standSlack keeps a new RET copy or JA trampoline this many instructions short of the
// jump's reach. Placed at the very edge, a stand is pushed out of reach by any later
// insertion between the jump and it, and the next pass places another at the new edge: on
// some programs the passes then never settle and the program grows past the kernel's limit.
const standSlack = 16

// gap finds where to insert an instruction within (i, limit]: the farthest index after a RET
// or JA (no straight path is lengthened), else the farthest after a conditional jump.
func (l *layout) gap(i, limit int) int {
	for j := limit; j > i; j-- {
		if op := l.slots[j-1].op; opcode.Class(op) == opcode.RET || op == opJA {
			return j
		}
	}
	for j := limit; j > i; j-- {
		if opcode.IsCondJump(l.slots[j-1].op) {
			return j
		}
	}
	return i + 1
}

// insert puts s at index at with a fresh id, which it returns, and brings l.pos up to date
// (it holds the positions of ids 0..nextID).
func (l *layout) insert(at int, s slot) int {
	s.id = l.newID()
	l.slots = slices.Insert(l.slots, at, s)
	l.pos = append(l.pos, 0)
	for j := at; j < len(l.slots); j++ {
		l.pos[l.slots[j].id] = j
	}
	return s.id
}

// raw resolves the jump offsets.
func (l *layout) raw() []bpf.RawInstruction {
	pos := l.positions()
	out := make([]bpf.RawInstruction, len(l.slots))
	for i, s := range l.slots {
		ri := bpf.RawInstruction{Op: s.op, K: s.k}
		switch {
		case s.op == opJA:
			ri.K = uint32(pos[s.t] - i - 1)
		case opcode.IsCondJump(s.op):
			ri.Jt = uint8(pos[s.t] - i - 1)
			ri.Jf = uint8(pos[s.f] - i - 1)
		}
		out[i] = ri
	}
	return out
}
