package meaning

import (
	"fmt"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/program/opcode"
)

// alu is A op operand, symbolically. Bitwise operations, shifts by a constant, addition,
// subtraction and negation are modelled bit by bit for any value; multiplication,
// division and modulo need a constant operand (multiplication: either side), and shifts
// by X need a constant X. Anything else is an *AnalysisError.
func (ex *executor) alu(ins bpf.RawInstruction, a, x value) value {
	s := ex.s
	b := ex.constant(ins.K)
	if ins.Op&opcode.X != 0 {
		b = x
	}
	bk, bConst := ex.constOf(b)
	ak, aConst := ex.constOf(a)
	op := opcode.Op(ins.Op)
	if aConst && bConst {
		return ex.constant(foldALU(op, ak, bk))
	}
	if !aConst && !bConst && op != opcode.NEG {
		// Two words of the input combined: the diagrams of such a value can grow
		// exponentially (the sum of two words needs all of one word's bits to decide the
		// other's), so the engine refuses it rather than guess.
		panic(&AnalysisError{PC: ex.pc, Reason: fmt.Sprintf("%s of two values that both depend on the input is not modelled", aluNames[op])})
	}
	var r value
	switch op {
	case opcode.AND, opcode.OR, opcode.XOR:
		for i := range r {
			switch op {
			case opcode.AND:
				r[i] = s.And(a[i], b[i])
			case opcode.OR:
				r[i] = s.Or(a[i], b[i])
			default:
				r[i] = s.Xor(a[i], b[i])
			}
		}
		return r
	case opcode.ADD:
		return ex.add(a, b, s.False)
	case opcode.SUB:
		return ex.add(a, ex.complement(b), s.True)
	case opcode.NEG:
		return ex.add(ex.complement(a), ex.constant(0), s.True)
	case opcode.LSH, opcode.RSH:
		if !bConst {
			break
		}
		return ex.shift(a, int(bk&31), op == opcode.LSH)
	case opcode.MUL:
		if bConst {
			return ex.mulConst(a, bk)
		}
		if aConst {
			return ex.mulConst(b, ak)
		}
	case opcode.DIV, opcode.MOD:
		if bConst && bk != 0 && bk&(bk-1) == 0 { // a power of two: a shift or a mask
			if op == opcode.DIV {
				return ex.shift(a, trailingZeros(bk), false)
			}
			return ex.alu(bpf.RawInstruction{Op: opcode.ALU | opcode.AND | opcode.K, K: bk - 1}, a, x)
		}
	}
	panic(&AnalysisError{PC: ex.pc, Reason: fmt.Sprintf("%s of a value that depends on the input by %s is not modelled",
		aluNames[op], operandName(bConst))})
}

var aluNames = map[uint16]string{opcode.ADD: "addition", opcode.SUB: "subtraction", opcode.MUL: "multiplication",
	opcode.DIV: "division", opcode.MOD: "modulo", opcode.LSH: "left shift", opcode.RSH: "right shift",
	opcode.AND: "and", opcode.OR: "or", opcode.XOR: "xor", opcode.NEG: "negation"}

func operandName(constant bool) string {
	if constant {
		return "a constant that is not a power of two"
	}
	return "a register that depends on the input"
}

func trailingZeros(k uint32) int {
	n := 0
	for k&1 == 0 {
		k >>= 1
		n++
	}
	return n
}

// foldALU computes a constant operation as the kernel does (shifts by the low 5 bits).
func foldALU(op uint16, a, b uint32) uint32 {
	switch op {
	case opcode.ADD:
		return a + b
	case opcode.SUB:
		return a - b
	case opcode.MUL:
		return a * b
	case opcode.DIV:
		return a / b
	case opcode.MOD:
		return a % b
	case opcode.OR:
		return a | b
	case opcode.AND:
		return a & b
	case opcode.XOR:
		return a ^ b
	case opcode.LSH:
		return a << (b & 31)
	case opcode.RSH:
		return a >> (b & 31)
	case opcode.NEG:
		return -a
	}
	panic("meaning: unknown ALU op")
}

func (ex *executor) complement(a value) (r value) {
	for i := range a {
		r[i] = ex.s.Not(a[i])
	}
	return r
}

// add is a + b + carry, modulo 2^32.
func (ex *executor) add(a, b value, carry Node) (r value) {
	s := ex.s
	for i := len(a) - 1; i >= 0; i-- {
		r[i] = s.Xor(s.Xor(a[i], b[i]), carry)
		carry = s.Or(s.And(a[i], b[i]), s.And(carry, s.Xor(a[i], b[i])))
	}
	return r
}

// shift shifts a by n bits, left or right, filling with zeros.
func (ex *executor) shift(a value, n int, left bool) (r value) {
	for i := range r {
		j := i - n // right: bit i comes from i-n
		if left {
			j = i + n
		}
		if j >= 0 && j < 32 {
			r[i] = a[j]
		} else {
			r[i] = ex.s.False
		}
	}
	return r
}

// mulConst is a * k, by shifts and additions.
func (ex *executor) mulConst(a value, k uint32) value {
	r := ex.constant(0)
	for n := 0; n < 32; n++ {
		if k&(1<<n) != 0 {
			r = ex.add(r, ex.shift(a, n, true), ex.s.False)
		}
	}
	return r
}
