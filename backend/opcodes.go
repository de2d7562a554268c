package backend

import "github.com/scc-dev/scc/program/opcode"

// Whole opcodes the emitter uses.
const (
	opLdAbsW = opcode.LD | opcode.W | opcode.ABS
	opAndK   = opcode.ALU | opcode.AND | opcode.K
	opJA     = opcode.JMP | opcode.JA
	opRetK   = opcode.RET | opcode.K
	opRetA   = opcode.RET | opcode.A
)

// maxJump is the farthest a conditional jump reaches: its offsets are 8 bits.
const maxJump = 255
