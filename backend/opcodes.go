package backend

// Opcode parts of classic BPF, as in <linux/bpf_common.h> and <linux/filter.h>.
const (
	clsLD   = 0x00
	clsLDX  = 0x01
	clsST   = 0x02
	clsSTX  = 0x03
	clsALU  = 0x04
	clsJMP  = 0x05
	clsRET  = 0x06
	clsMISC = 0x07

	sizeW   = 0x00
	sizeH   = 0x08
	sizeB   = 0x10
	modeIMM = 0x00
	modeABS = 0x20
	modeIND = 0x40
	modeMEM = 0x60
	modeLEN = 0x80
	modeMSH = 0xa0

	srcK = 0x00
	srcX = 0x08
	retA = 0x10

	opADD = 0x00
	opSUB = 0x10
	opMUL = 0x20
	opDIV = 0x30
	opOR  = 0x40
	opAND = 0x50
	opLSH = 0x60
	opRSH = 0x70
	opNEG = 0x80
	opMOD = 0x90
	opXOR = 0xa0

	jmpJA   = 0x00
	jmpJEQ  = 0x10
	jmpJGT  = 0x20
	jmpJGE  = 0x30
	jmpJSET = 0x40

	miscTAX = 0x00
	miscTXA = 0x80

	// Whole opcodes the emitter uses.
	opLdAbsW = clsLD | sizeW | modeABS
	opAndK   = clsALU | opAND | srcK
	opJA     = clsJMP | jmpJA
	opRetK   = clsRET | srcK
	opRetA   = clsRET | retA
)

// MaxInsns is the kernel's limit on a filter's length (BPF_MAXINSNS).
const MaxInsns = 4096

// memWords is the number of scratch memory slots (BPF_MEMWORDS).
const memWords = 16

// maxJump is the farthest a conditional jump reaches: its offsets are 8 bits.
const maxJump = 255

func class(op uint16) uint16 { return op & 0x07 }

// isCondJump tells whether op is a conditional jump (JEQ, JGT, JGE, JSET; K or X).
func isCondJump(op uint16) bool {
	return class(op) == clsJMP && op&0xf0 != jmpJA
}
