package meaning

import (
	"errors"
	"fmt"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/program/opcode"
)

// Normalize is the kernel's reading of a filter's return value: the decision it stands for,
// as one canonical value. An unknown action is kill_process; the data of kill_thread,
// kill_process, user_notif, log and allow is ignored; errno data is capped at MAX_ERRNO
// (4095).
func Normalize(r uint32) uint32 {
	switch act := r & program.RetActionFull; act {
	case program.RetKillThread, program.RetUserNotif, program.RetLog, program.RetAllow:
		return act
	case program.RetTrap, program.RetTrace:
		return r
	case program.RetErrno:
		return act | min(r&program.RetData, 4095)
	}
	return program.RetKillProcess
}

// AnalysisError says why a program could not be analysed, naming the instruction.
type AnalysisError struct {
	PC     int // the instruction's index; -1 for the program as a whole
	Reason string
}

func (e *AnalysisError) Error() string {
	if e.PC < 0 {
		return "cannot analyse the program: " + e.Reason
	}
	return fmt.Sprintf("cannot analyse the program: instruction %d: %s", e.PC, e.Reason)
}

// value is a symbolic 32-bit word: one predicate per bit, most significant first.
type value [32]Node

// Program returns the meaning of a seccomp program run on seccomp_data of the given byte
// order: the function from the input words to the decision the kernel takes (its return
// value, normalized: see Normalize). The program is verified first, as the kernel does.
// Every input is covered exactly; a program whose arithmetic this engine does not model
// (a multiplication, division or shift by a register that depends on the input) gets an
// *AnalysisError naming the instruction.
func (s *Space) Program(prog []bpf.RawInstruction, bigEndian bool) (n Node, err error) {
	raw, err := s.rawProgram(prog, bigEndian)
	if err != nil {
		return 0, err
	}
	return s.Guard(func() Node { return s.apply(opNormalize, raw, raw) })
}

// Stack returns the meaning of filters stacked in one process, newest first (the reverse of
// PTRACE_SECCOMP_GET_FILTER's index, which counts from the oldest): the kernel runs them all
// and takes the lowest action, the newest filter's on a tie.
func (s *Space) Stack(progs [][]bpf.RawInstruction, bigEndian bool) (Node, error) {
	if len(progs) == 0 {
		return s.Ret(program.RetAllow), nil
	}
	var acc Node
	for i, p := range progs {
		raw, err := s.rawProgram(p, bigEndian)
		if err != nil {
			return 0, fmt.Errorf("filter %d: %w", i, err)
		}
		if i == 0 {
			acc = raw
			continue
		}
		if acc, err = s.Guard(func() Node { return s.apply(opStack, acc, raw) }); err != nil {
			return 0, err
		}
	}
	return s.Guard(func() Node { return s.apply(opNormalize, acc, acc) })
}

// Guard runs f, which builds nodes of s, and turns its outgrowing MaxNodes into an error
// wrapping ErrTooBig.
func (s *Space) Guard(f func() Node) (n Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(tooBig); !ok {
				panic(r)
			}
			err = fmt.Errorf("cannot analyse: %w (%d)", ErrTooBig, MaxNodes)
		}
	}()
	return f(), nil
}

// rawProgram is the program's function to raw return values.
func (s *Space) rawProgram(prog []bpf.RawInstruction, bigEndian bool) (n Node, err error) {
	if err := program.Verify(prog); err != nil {
		return 0, err
	}
	ex := &executor{s: s, prog: prog, bigEndian: bigEndian, memo: map[stateKey]Node{}, values: map[value]int32{},
		mems: map[[opcode.MemWords]int32]int32{}, words: map[uint32]int32{}, consts: map[uint32]int32{}}
	defer func() {
		if r := recover(); r != nil {
			switch e := r.(type) {
			case *AnalysisError:
				err = e
			case tooBig:
				err = &AnalysisError{PC: ex.pc, Reason: fmt.Sprintf("%v (%d)", ErrTooBig, MaxNodes)}
				err = errors.Join(err, ErrTooBig)
			default:
				panic(r)
			}
		}
	}()
	zero := ex.constID(0)
	st := state{a: zero, x: zero}
	for i := range st.mem {
		st.mem[i] = zero
	}
	return ex.run(0, st), nil
}

// executor runs a program symbolically: the meaning of the program from pc on, given the
// registers' symbolic values, memoized on both.
type executor struct {
	s           *Space
	prog        []bpf.RawInstruction
	bigEndian   bool
	memo        map[stateKey]Node
	mems        map[[opcode.MemWords]int32]int32
	words       map[uint32]int32 // input word index → its interned value
	consts      map[uint32]int32 // constant → its interned value
	lastMem     [opcode.MemWords]int32
	lastMemID   int32
	haveLastMem bool
	values      map[value]int32
	table       []value
	pc          int // the instruction being analysed, for errors
}

type state struct {
	a, x int32
	mem  [opcode.MemWords]int32
}

// stateKey identifies a state at a pc: the registers, and the scratch memory by its
// interned id.
type stateKey struct {
	pc     int32
	a, x   int32
	memory int32
}

func (ex *executor) internMem(m [opcode.MemWords]int32) int32 {
	if ex.haveLastMem && m == ex.lastMem {
		return ex.lastMemID
	}
	id, ok := ex.mems[m]
	if !ok {
		id = int32(len(ex.mems))
		ex.mems[m] = id
	}
	ex.lastMem, ex.lastMemID, ex.haveLastMem = m, id, true
	return id
}

// wordID is the interned value of the input word at offset off, cached.
func (ex *executor) wordID(off uint32) int32 {
	if id, ok := ex.words[off/4]; ok {
		return id
	}
	id := ex.intern(ex.word(off))
	ex.words[off/4] = id
	return id
}

// constID is the interned value of constant k, cached.
func (ex *executor) constID(k uint32) int32 {
	if id, ok := ex.consts[k]; ok {
		return id
	}
	id := ex.intern(ex.constant(k))
	ex.consts[k] = id
	return id
}

func (ex *executor) intern(v value) int32 {
	if id, ok := ex.values[v]; ok {
		return id
	}
	id := int32(len(ex.table))
	ex.table = append(ex.table, v)
	ex.values[v] = id
	return id
}

func (ex *executor) constant(k uint32) (v value) {
	for b := range v {
		v[b] = ex.s.Bool(k&blockBit(b) != 0)
	}
	return v
}

// word is the symbolic value of the 32-bit word at offset off of seccomp_data.
func (ex *executor) word(off uint32) (v value) {
	block := wordBlock(off, ex.bigEndian)
	for b := range v {
		v[b] = ex.s.bitVar(block, b)
	}
	return v
}

// wordBlock is the variable block of the word at offset off of seccomp_data.
func wordBlock(off uint32, bigEndian bool) int {
	switch i := off / 4; {
	case i == 0:
		return blockNr
	case i == 1:
		return blockArch
	case i < 4:
		if (i == 2) != bigEndian { // the low half comes first on a little-endian arch
			return blockIPLo
		}
		return blockIPHi
	default:
		arg := int(i-4) / 2
		first := (i-4)%2 == 0
		return argBlock(arg, first == bigEndian)
	}
}

// constOf returns the constant a value holds, if it is one.
func (ex *executor) constOf(v value) (uint32, bool) {
	var k uint32
	for b, n := range v {
		switch n {
		case ex.s.True:
			k |= blockBit(b)
		case ex.s.False:
		default:
			return 0, false
		}
	}
	return k, true
}

func (ex *executor) run(pc int, st state) Node {
	key := stateKey{pc: int32(pc), a: st.a, x: st.x, memory: ex.internMem(st.mem)}
	if r, ok := ex.memo[key]; ok {
		return r
	}
	var r Node
	for {
		ex.pc = pc
		ins := ex.prog[pc]
		switch opcode.Class(ins.Op) {
		case opcode.RET:
			if ins.Op&opcode.A != 0 {
				r = ex.retValue(ex.table[st.a])
			} else {
				r = ex.s.Ret(ins.K)
			}
		case opcode.JMP:
			r = ex.jump(pc, ins, st)
		case opcode.ALU:
			if k, ok := ex.constOf(ex.table[st.x]); ok && k == 0 && ins.Op == opcode.ALU|opcode.DIV|opcode.X {
				r = ex.s.Ret(0) // the kernel ends the filter with 0 on a division by X = 0
				break
			}
			st = ex.step(ins, st)
			pc++
			continue
		default:
			st = ex.step(ins, st)
			pc++
			continue
		}
		break
	}
	ex.memo[key] = r
	return r
}

// jump is the meaning from a jump on.
func (ex *executor) jump(pc int, ins bpf.RawInstruction, st state) Node {
	if opcode.Op(ins.Op) == opcode.JA {
		return ex.run(pc+1+int(ins.K), st)
	}
	a := ex.table[st.a]
	bID := st.x
	if ins.Op&opcode.X == 0 {
		bID = ex.constID(ins.K)
	}
	b := ex.table[bID]
	_, aConst := ex.constOf(a)
	if _, bConst := ex.constOf(b); !aConst && !bConst {
		// As for arithmetic on two words (see alu): refused rather than guessed.
		panic(&AnalysisError{PC: pc, Reason: "a comparison of two values that both depend on the input is not modelled"})
	}
	c, ok := ex.wordJump(ins, a, b)
	switch {
	case ok:
	case opcode.Op(ins.Op) == opcode.JEQ:
		c = ex.equal(a, b)
	case opcode.Op(ins.Op) == opcode.JGT:
		c = ex.greater(a, b, false)
	case opcode.Op(ins.Op) == opcode.JGE:
		c = ex.greater(a, b, true)
	default: // JSET
		c = ex.s.False
		for i := range a {
			c = ex.s.Or(c, ex.s.And(a[i], b[i]))
		}
	}
	switch c {
	case ex.s.True:
		return ex.run(pc+1+int(ins.Jt), st)
	case ex.s.False:
		return ex.run(pc+1+int(ins.Jf), st)
	}
	t := ex.run(pc+1+int(ins.Jt), st)
	f := ex.run(pc+1+int(ins.Jf), st)
	ex.pc = pc
	return ex.s.ITE(c, t, f)
}

// wordJump builds a jump's condition directly when A is a word of the input, masked or
// not, and the operand a constant: the common case, and a linear one.
func (ex *executor) wordJump(ins bpf.RawInstruction, a, b value) (Node, bool) {
	k, ok := ex.constOf(b)
	if !ok {
		return 0, false
	}
	block, mask, ok := ex.maskedWord(a)
	if !ok {
		return 0, false
	}
	vars := make([]int, 32)
	for i := range vars {
		vars[i] = block*32 + i
	}
	s := ex.s
	switch opcode.Op(ins.Op) {
	case opcode.JEQ:
		return s.compare(vars, uint64(mask), EQ, uint64(k)), true
	case opcode.JGT:
		return s.compare(vars, uint64(mask), GT, uint64(k)), true
	case opcode.JGE:
		return s.compare(vars, uint64(mask), GE, uint64(k)), true
	}
	return s.compare(vars, uint64(mask&k), NE, 0), true // JSET
}

// maskedWord tells whether v is a word of the input with some bits cleared: each bit is
// that word's own bit or 0.
func (ex *executor) maskedWord(v value) (block int, mask uint32, ok bool) {
	block = -1
	for i, n := range v {
		if n == ex.s.False {
			continue
		}
		if ex.s.isTerm(n) {
			return 0, 0, false
		}
		nd := ex.s.nodes[n]
		if nd.lo != ex.s.False || nd.hi != ex.s.True || int(nd.v)%32 != i || (block >= 0 && int(nd.v)/32 != block) {
			return 0, 0, false
		}
		block = int(nd.v) / 32
		mask |= blockBit(i)
	}
	return block, mask, block >= 0
}

func (ex *executor) equal(a, b value) Node {
	c := ex.s.True
	for i := len(a) - 1; i >= 0; i-- {
		c = ex.s.And(ex.s.Not(ex.s.Xor(a[i], b[i])), c)
	}
	return c
}

// greater is a > b (a >= b with orEqual), unsigned.
func (ex *executor) greater(a, b value, orEqual bool) Node {
	s := ex.s
	r := s.Bool(orEqual)
	for i := len(a) - 1; i >= 0; i-- { // from the least significant bit up
		r = s.ITE(a[i], s.ITE(b[i], r, s.True), s.ITE(b[i], s.False, r))
	}
	return r
}

// retValue turns a symbolic return value (RET A) into a function to return values. It
// enumerates the values A can take, bit by bit from the most significant, but stops at the
// action part (the high 16 bits) where the kernel ignores the data, and at the errno data
// where it is capped. A value that takes more than maxRetValues values this way is refused
// (an *AnalysisError naming the instruction), never guessed.
func (ex *executor) retValue(v value) Node {
	if k, ok := ex.constOf(v); ok {
		return ex.s.Ret(k)
	}
	s := ex.s
	paths := 0
	var build func(i int, acc uint32, cond Node) Node
	build = func(i int, acc uint32, cond Node) Node {
		if paths++; paths > maxRetValues {
			panic(&AnalysisError{PC: ex.pc, Reason: fmt.Sprintf("the returned value, computed from the input, takes more than %d values", maxRetValues)})
		}
		if i == 16 {
			switch act := acc & program.RetActionFull; act {
			case program.RetTrap, program.RetTrace, program.RetErrno:
			default: // the data is ignored: keep the action (its precedence), drop the data
				return s.Ret(act)
			}
		}
		if i > 16 && acc&program.RetActionFull == program.RetErrno && acc&program.RetData > 4095 {
			return s.Ret(program.RetErrno | 4095) // the kernel caps errno data
		}
		if i == 32 {
			return s.Ret(acc)
		}
		one := s.And(cond, v[i])
		zero := s.And(cond, s.Not(v[i]))
		switch {
		case one == s.False:
			return build(i+1, acc, zero)
		case zero == s.False:
			return build(i+1, acc|blockBit(i), one)
		}
		return s.ITE(v[i], build(i+1, acc|blockBit(i), one), build(i+1, acc, zero))
	}
	return build(0, 0, s.True)
}

// maxRetValues bounds the work of a RET A whose value depends on the input.
const maxRetValues = 1 << 10

// step executes a load, store, ALU or register move symbolically.
func (ex *executor) step(ins bpf.RawInstruction, st state) state {
	switch opcode.Class(ins.Op) {
	case opcode.LD, opcode.LDX:
		var v int32
		switch ins.Op &^ 0x07 {
		case opcode.W | opcode.ABS:
			v = ex.wordID(ins.K)
		case opcode.W | opcode.LEN:
			v = ex.constID(program.SeccompDataSize)
		case opcode.IMM:
			v = ex.constID(ins.K)
		case opcode.MEM:
			v = st.mem[ins.K]
		default:
			panic(&AnalysisError{PC: ex.pc, Reason: fmt.Sprintf("unsupported load %#x", ins.Op)})
		}
		if opcode.Class(ins.Op) == opcode.LD {
			st.a = v
		} else {
			st.x = v
		}
	case opcode.ST:
		st.mem[ins.K] = st.a
	case opcode.STX:
		st.mem[ins.K] = st.x
	case opcode.MISC:
		if ins.Op == opcode.MISC|opcode.TAX {
			st.x = st.a
		} else {
			st.a = st.x
		}
	case opcode.ALU:
		st.a = ex.intern(ex.alu(ins, ex.table[st.a], ex.table[st.x]))
	}
	return st
}
