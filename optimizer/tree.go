package optimizer

import (
	"github.com/scc-dev/scc/ir"

	"github.com/scc-dev/scc/program"
)

// JumpOp is the test a Node makes on the accumulator, as a BPF conditional jump does.
type JumpOp uint8

// The tests, with the kernel's unsigned semantics.
const (
	JEQ  JumpOp = iota // A == K
	JGT                // A > K
	JGE                // A >= K
	JSET               // A & K != 0
)

// Node is a node of the decision DAG. A leaf returns Action. An inner node loads the 32-bit
// word at offset Load of seccomp_data, ANDs it with Mask when HasMask, tests it against K with
// Op, and goes on to True or False. Nodes may be shared: the result is a DAG, not a tree.
type Node struct {
	Leaf   bool
	Action ir.Action

	Load    uint32 // offset into seccomp_data: program.SeccompDataNrOffset, ArchOffset, or ir.ArgOffset(..)
	HasMask bool
	Mask    uint32
	Op      JumpOp
	K       uint32

	True, False *Node
}

// NameTables names the syscall numbers under one audit value: the first table that has a
// number names it (x86_64's table, then x32's, under x86_64's value).
type NameTables []map[uint32]string

// Name returns the name the first table that has nr gives it.
func (ts NameTables) Name(nr uint32) (string, bool) {
	for _, t := range ts {
		if name, ok := t[nr]; ok {
			return name, true
		}
	}
	return "", false
}

// Program is the optimizer's output: the decision DAG and what the backend needs to encode it.
type Program struct {
	Root *Node
	// Arches lists the policy's arches, for the blob header and the disassembler's names.
	Arches []ir.Arch
	// Names names, per audit value, syscall numbers for the disassembler. The tables are
	// the policy's own ir.ArchPolicy.Names: read only.
	Names map[uint32]NameTables
	// Flags are the kernel filter flags to pass at install (program.Flag*).
	Flags uint32
	// BigEndian is the byte order of seccomp_data for every arch of the program.
	BigEndian bool
}

// Eval walks the DAG on d and returns the action, and the number of nodes tested.
func (p *Program) Eval(d program.SeccompData) (ir.Action, int) {
	n, steps := p.Root, 0
	for !n.Leaf {
		steps++
		n = n.next(d, p.BigEndian)
	}
	return n.Action, steps
}

// next tests inner node n on d and returns the target it takes.
func (n *Node) next(d program.SeccompData, bigEndian bool) *Node {
	a := Word(d, n.Load, bigEndian)
	if n.HasMask {
		a &= n.Mask
	}
	if n.test(a) {
		return n.True
	}
	return n.False
}

func (n *Node) test(a uint32) bool {
	switch n.Op {
	case JEQ:
		return a == n.K
	case JGT:
		return a > n.K
	case JGE:
		return a >= n.K
	case JSET:
		return a&n.K != 0
	}
	panic("optimizer: unknown jump op")
}

// Word reads the 32-bit word at offset off of d, laid out in the given byte order.
func Word(d program.SeccompData, off uint32, bigEndian bool) uint32 {
	switch off {
	case program.SeccompDataNrOffset:
		return uint32(d.Nr)
	case program.SeccompDataArchOffset:
		return d.Arch
	}
	var v uint64
	if off < program.SeccompDataArgsOffset {
		v = d.InstructionPointer
	} else {
		v = d.Args[(off-program.SeccompDataArgsOffset)/8]
	}
	if (off%8 == 4) != bigEndian {
		return uint32(v >> 32)
	}
	return uint32(v)
}
