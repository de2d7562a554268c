package backend

import "github.com/scc-dev/scc/backend/opcode"

// Whole opcodes the emitter uses.
const (
	opLdAbsW = opcode.LD | opcode.W | opcode.ABS
	opAndK   = opcode.ALU | opcode.AND | opcode.K
	opJA     = opcode.JMP | opcode.JA
	opRetK   = opcode.RET | opcode.K
	opRetA   = opcode.RET | opcode.A
)

// MaxInsns is the kernel's limit on a filter's length (BPF_MAXINSNS).
const MaxInsns = 4096

// maxJump is the farthest a conditional jump reaches: its offsets are 8 bits.
const maxJump = 255

// isCondJump tells whether op is a conditional jump (JEQ, JGT, JGE, JSET; K or X).
func isCondJump(op uint16) bool {
	return opcode.Class(op) == opcode.JMP && opcode.Op(op) != opcode.JA
}
