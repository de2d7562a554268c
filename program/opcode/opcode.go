// Package opcode names the parts of classic BPF opcodes, as <linux/bpf_common.h> and
// <linux/filter.h> do (BPF_LD is LD, BPF_JEQ is JEQ, …). It is the one definition that the
// back end, which writes programs, and package program, which verifies and runs them, share;
// it imports nothing.
package opcode

// Instruction classes: BPF_CLASS(op).
const (
	LD   = 0x00
	LDX  = 0x01
	ST   = 0x02
	STX  = 0x03
	ALU  = 0x04
	JMP  = 0x05
	RET  = 0x06
	MISC = 0x07
)

// Load sizes, BPF_SIZE(op), and modes, BPF_MODE(op).
const (
	W = 0x00
	H = 0x08
	B = 0x10

	IMM = 0x00
	ABS = 0x20
	IND = 0x40
	MEM = 0x60
	LEN = 0x80
	MSH = 0xa0
)

// Operand sources, BPF_SRC(op), and BPF_A, the return of the accumulator (BPF_RVAL(op)).
const (
	K = 0x00
	X = 0x08
	A = 0x10
)

// ALU operations, BPF_OP(op) of the ALU class.
const (
	ADD = 0x00
	SUB = 0x10
	MUL = 0x20
	DIV = 0x30
	OR  = 0x40
	AND = 0x50
	LSH = 0x60
	RSH = 0x70
	NEG = 0x80
	MOD = 0x90
	XOR = 0xa0
)

// Jumps, BPF_OP(op) of the JMP class.
const (
	JA   = 0x00
	JEQ  = 0x10
	JGT  = 0x20
	JGE  = 0x30
	JSET = 0x40
)

// Register moves, BPF_MISCOP(op) of the MISC class.
const (
	TAX = 0x00
	TXA = 0x80
)

// MemWords is the number of scratch memory slots (BPF_MEMWORDS).
const MemWords = 16

// Class is BPF_CLASS(op).
func Class(op uint16) uint16 { return op & 0x07 }

// Op is BPF_OP(op): the ALU operation or the jump.
func Op(op uint16) uint16 { return op & 0xf0 }

// IsCondJump tells whether op is a conditional jump (JEQ, JGT, JGE, JSET; K or X).
func IsCondJump(op uint16) bool { return Class(op) == JMP && Op(op) != JA }
