package compiler

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"sync"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/lang/token"
	"github.com/scc-dev/scc/stdlib"
)

// condCtx lowers a rule's condition for one syscall on one arch.
type condCtx struct {
	*archCtx
	syscall string
	params  []stdlib.Param // nil when the syscall has no known signature
	// ruleCalls are every syscall of the rule, to tell "this syscall has no such argument"
	// from "unknown name".
	ruleCalls []syscall
	// action is the rule's action: an allow rule naming an argument that the syscall has on
	// other arches only is skipped on this one (skipped is then set), which fails closed.
	action  ir.Action
	skipped bool
}

// operand is a value in a comparison: a constant, or an argument (masked or not).
type operand struct {
	isArg bool
	value *big.Int // the constant
	arg   int
	width int // 32 or 64
	name  string
	mask  *big.Int // nil: no mask
	pos   diag.Pos
	// whole: u64(ARG) on an ABI whose long is 32 bits, where the argument keeps its width:
	// its value, below 2^width, is compared as a number with 64-bit constants.
	whole bool
}

var flipped = map[ir.CmpOp]ir.CmpOp{ir.EQ: ir.EQ, ir.NE: ir.NE, ir.LT: ir.GT, ir.LE: ir.GE, ir.GT: ir.LT, ir.GE: ir.LE}

var cmpOps = map[token.Token]ir.CmpOp{token.Eql: ir.EQ, token.Neq: ir.NE, token.Lss: ir.LT, token.Leq: ir.LE, token.Gtr: ir.GT, token.Geq: ir.GE}

// lower turns a condition expression into an ir.Cond; nil means an error was reported.
func (cc *condCtx) lower(e lang.Expr) ir.Cond {
	switch e := e.(type) {
	case *lang.Paren:
		return cc.lower(e.X)
	case *lang.Unary:
		if e.Op == token.Not {
			if x := cc.lower(e.X); x != nil {
				return ir.Not{X: x}
			}
			return nil
		}
	case *lang.Binary:
		switch e.Op {
		case token.LAnd, token.LOr:
			return cc.lowerLogic(e)
		}
		if op, ok := cmpOps[e.Op]; ok {
			return cc.lowerCmp(op, e.X, e.Y, e.At)
		}
	case *lang.InSet:
		return cc.lowerIn(e)
	}
	d := cc.errorf(e.Pos(), "a condition must be a comparison, not a value")
	d.Hint = "compare it: for example " + exprHint(e) + " != 0"
	return nil
}

func exprHint(e lang.Expr) string {
	if id, ok := e.(*lang.Ident); ok {
		return id.Name
	}
	return "(…)"
}

func (cc *condCtx) lowerLogic(e *lang.Binary) ir.Cond {
	x, y := cc.lower(e.X), cc.lower(e.Y)
	if x == nil || y == nil {
		return nil
	}
	if e.Op == token.LAnd {
		return ir.And{x, y}
	}
	return ir.Or{x, y}
}

func (cc *condCtx) lowerIn(e *lang.InSet) ir.Cond {
	x, ok := cc.operand(e.X)
	if !ok {
		return nil
	}
	if len(e.Set) > MaxSetSize {
		cc.errorf(e.Set[MaxSetSize].Pos(), "the set has more than scc's limit of %d members", MaxSetSize).Hint =
			"a range comparison (ARG >= A && ARG <= B) or a mask may say the same; see Limits in docs/language.md"
		return nil
	}
	terms := make(ir.Or, 0, len(e.Set))
	for _, m := range e.Set {
		y, ok := cc.operand(m)
		if !ok {
			return nil
		}
		if y.isArg {
			cc.errorf(y.pos, "a set holds constants, not arguments")
			return nil
		}
		c := cc.compare(ir.EQ, x, y, e.At)
		if c == nil {
			return nil
		}
		terms = append(terms, c)
	}
	return terms
}

func (cc *condCtx) lowerCmp(op ir.CmpOp, ex, ey lang.Expr, at diag.Pos) ir.Cond {
	x, okx := cc.operand(ex)
	y, oky := cc.operand(ey)
	if !okx || !oky {
		return nil
	}
	return cc.compare(op, x, y, at)
}

// compare builds the comparison of two operands, with the argument on the left.
func (cc *condCtx) compare(op ir.CmpOp, x, y operand, at diag.Pos) ir.Cond {
	switch {
	case x.isArg && y.isArg:
		d := cc.errorf(at, "cannot compare two arguments (%s and %s)", x.name, y.name)
		d.Hint = "seccomp compares an argument with a constant"
		return nil
	case !x.isArg && !y.isArg:
		return ir.Const(compareConsts(op, x.value, y.value))
	case !x.isArg:
		x, y, op = y, x, flipped[op]
	}
	if x.whole {
		return cc.compareWhole(op, x, y)
	}
	value, ok := cc.fit(y.value, x, y.pos, "constant")
	if !ok {
		return nil
	}
	mask := ^uint64(0) >> (64 - x.width)
	if x.mask != nil {
		if mask, ok = cc.fit(x.mask, x, x.pos, "mask"); !ok {
			return nil
		}
	}
	// The IR compares 32- or 64-bit words; a narrower argument (umode_t) is the low bits of
	// its word, which the mask already keeps to.
	return ir.Cmp{Arg: x.arg, Width: max(x.width, 32), Mask: mask, Op: op, Value: value}
}

// compareWhole compares u64(ARG) on an ABI whose long is 32 bits: ARG's value at its own
// width, a number below 2^width, with a 64-bit constant. A constant the value cannot reach
// decides the comparison at compile time; the high bits of a mask select nothing.
func (cc *condCtx) compareWhole(op ir.CmpOp, x, y operand) ir.Cond {
	x64 := x
	x64.width = 64
	value, ok := cc.fit(y.value, x64, y.pos, "constant")
	if !ok {
		return nil
	}
	limit := ^uint64(0) >> (64 - x.width)
	mask := limit
	if x.mask != nil {
		m, ok := cc.fit(x.mask, x64, x.pos, "mask")
		if !ok {
			return nil
		}
		mask &= m
	}
	if value > limit { // the value is below it
		return ir.Const(op == ir.NE || op == ir.LT || op == ir.LE)
	}
	return ir.Cmp{Arg: x.arg, Width: max(x.width, 32), Mask: mask, Op: op, Value: value}
}

// compareConsts compares two constants as integers.
func compareConsts(op ir.CmpOp, x, y *big.Int) bool {
	c := x.Cmp(y)
	switch op {
	case ir.EQ:
		return c == 0
	case ir.NE:
		return c != 0
	case ir.LT:
		return c < 0
	case ir.LE:
		return c <= 0
	case ir.GT:
		return c > 0
	}
	return c >= 0
}

// fit fits a constant to the argument's width (see fitWidth).
func (cc *condCtx) fit(v *big.Int, arg operand, pos diag.Pos, what string) (uint64, bool) {
	if u, ok := fitWidth(v, arg.width); ok {
		return u, true
	}
	d := cc.errorf(pos, "%s %s does not fit the %d-bit argument %s of %s", what, hexText(v), arg.width, arg.name, cc.syscall)
	if arg.width < 64 {
		d.Hint = fmt.Sprintf("the kernel reads only the low %d bits of this argument", arg.width)
	}
	return 0, false
}

// hexText writes an exact integer in hex, with its sign.
func hexText(v *big.Int) string {
	if v.Sign() < 0 {
		return "-0x" + new(big.Int).Neg(v).Text(16)
	}
	return "0x" + v.Text(16)
}

// operand resolves one side of a comparison.
func (cc *condCtx) operand(e lang.Expr) (operand, bool) {
	switch e := e.(type) {
	case *lang.Paren:
		return cc.operand(e.X)
	case *lang.Ident:
		if arg, ok := cc.argument(e); ok {
			return arg, true
		}
	case *lang.Wide:
		return cc.wide(e)
	case *lang.Binary:
		if e.Op == token.And {
			return cc.masked(e)
		}
	}
	if cc.mentionsArg(e) {
		d := cc.errorf(e.Pos(), "an argument can only be compared, or masked with & and compared")
		d.Hint = "write ARG & MASK == VALUE, ARG in {A, B}, or ARG < VALUE"
		return operand{}, false
	}
	if id, ok := e.(*lang.Ident); ok {
		return cc.unknownName(id)
	}
	v, ok := cc.constValue(e)
	return operand{value: v, pos: e.Pos()}, ok
}

// unknownName resolves an identifier that is no argument of this syscall.
func (cc *condCtx) unknownName(id *lang.Ident) (operand, bool) {
	if v, ok := cc.lookupConst(id); ok {
		return operand{value: v, pos: id.At}, true
	}
	if _, user := cc.sc.consts[id.Name]; user {
		return operand{}, false
	}
	if elsewhere := cc.archesWithParam(id.Name); len(elsewhere) > 0 {
		return cc.missingHere(id, elsewhere)
	}
	if cc.hasParamOnSomeArch(id.Name) {
		d := cc.errorf(id.At, "%s has no argument %s on %s", cc.syscall, id.Name, cc.arch.Name)
		d.Hint = cc.signature() + " on " + cc.arch.Name
		return operand{}, false
	}
	if cc.ruleHasParam(id.Name) {
		d := cc.errorf(id.At, "%s has no argument %s", cc.syscall, id.Name)
		d.Hint = "every syscall of a rule must have the arguments its condition names; " + cc.signature()
		return operand{}, false
	}
	if isArchName(id.Name) {
		d := cc.errorf(id.At, "%s is an arch, not a value", id.Name)
		d.Hint = "compare the call's arch with it: arch == " + id.Name
		return operand{}, false
	}
	if others := cc.sc.archesWithConstant(id.Name); len(others) > 0 {
		d := cc.errorf(id.At, "constant %s is not defined on %s", id.Name, cc.arch.Name)
		d.Hint = "it is on " + strings.Join(others, ", ") + "; constants are resolved per arch: " +
			"write the arches as policies of their own, or the number if it means the same on each"
		return operand{}, false
	}
	d := cc.errorf(id.At, "unknown name %s in the condition for %s", id.Name, cc.syscall)
	d.SetHintFunc(func() string {
		if h := cc.constHint(id.Name, cc.paramNames()); h != "" {
			return h
		}
		return cc.signature()
	})
	return operand{}, false
}

func (cc *condCtx) masked(e *lang.Binary) (operand, bool) {
	x, okx := cc.operand(e.X)
	y, oky := cc.operand(e.Y)
	if !okx || !oky {
		return operand{}, false
	}
	if !x.isArg && !y.isArg {
		return operand{value: new(big.Int).And(x.value, y.value), pos: e.Pos()}, true
	}
	if x.isArg && y.isArg {
		cc.errorf(e.At, "cannot mask an argument with another argument")
		return operand{}, false
	}
	if !x.isArg {
		x, y = y, x
	}
	if x.mask == nil {
		x.mask = y.value
	} else {
		x.mask = new(big.Int).And(x.mask, y.value)
	}
	return x, true
}

// argument resolves id as an argument of the syscall: a parameter name or arg0..arg5.
func (cc *condCtx) argument(id *lang.Ident) (operand, bool) {
	for i, p := range cc.params {
		if p.Name == id.Name {
			return operand{isArg: true, arg: i, width: p.Bits, name: id.Name, pos: id.At}, true
		}
	}
	n, ok := argIndex(id.Name)
	if !ok {
		return operand{}, false
	}
	if n > 5 {
		cc.errorf(id.At, "%s: a syscall has at most 6 arguments, arg0 to arg5", id.Name)
		return operand{isArg: true, width: 64, name: id.Name, pos: id.At}, true
	}
	width := registerBits(cc.arch)
	if n < len(cc.params) {
		width = cc.params[n].Bits
	}
	return operand{isArg: true, arg: n, width: width, name: id.Name, pos: id.At}, true
}

// wide resolves u64(ARG): the argument at all 64 bits on an ABI whose long is 64 bits; on
// one whose long is 32 bits (i386, arm, x32) the argument at its own width, compared as a
// number with 64-bit constants (see compareWhole). This is where libseccomp compares all 64
// bits of an argument and where it compares the low 32 only.
func (cc *condCtx) wide(e *lang.Wide) (operand, bool) {
	x := e.X
	for {
		p, ok := x.(*lang.Paren)
		if !ok {
			break
		}
		x = p.X
	}
	id, ok := x.(*lang.Ident)
	if !ok {
		d := cc.errorf(e.X.Pos(), "u64 takes an argument, such as u64(fd) or u64(arg0)")
		d.Hint = "mask inside the comparison: u64(ARG) & MASK == VALUE"
		return operand{}, false
	}
	arg, ok := cc.argument(id)
	if !ok {
		if _, isConst := cc.unknownName(id); isConst {
			cc.errorf(id.At, "u64 takes an argument of %s, not the constant %s", cc.syscall, id.Name)
		}
		return operand{}, false
	}
	if cc.arch.LongBits == 64 {
		arg.width = 64
	} else {
		arg.whole = true
	}
	arg.name = token.U64 + "(" + arg.name + ")"
	return arg, true
}

// argIndex parses "argN".
func argIndex(name string) (int, bool) {
	digits, ok := strings.CutPrefix(name, "arg")
	if !ok || digits == "" {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	return n, err == nil && n >= 0
}

// registerBits is the width of an argument register of the arch's syscall ABI.
func registerBits(a stdlib.Arch) int {
	if a.LongBits == 64 || a.NrMask != 0 { // x32 passes 64-bit registers
		return 64
	}
	return 32
}

// mentionsArg tells whether e uses an argument anywhere.
func (cc *condCtx) mentionsArg(e lang.Expr) bool {
	switch e := e.(type) {
	case *lang.Ident:
		_, isArg := argIndex(e.Name)
		if isArg {
			return true
		}
		for _, p := range cc.params {
			if p.Name == e.Name {
				return true
			}
		}
	case *lang.Wide:
		return true // it holds an argument or is an error
	case *lang.Paren:
		return cc.mentionsArg(e.X)
	case *lang.Unary:
		return cc.mentionsArg(e.X)
	case *lang.Binary:
		return cc.mentionsArg(e.X) || cc.mentionsArg(e.Y)
	}
	return false
}

func (cc *condCtx) paramNames() []string {
	var names []string
	for _, p := range cc.params {
		names = append(names, p.Name)
	}
	return names
}

func (cc *condCtx) signature() string {
	if cc.params == nil {
		return fmt.Sprintf("%s has no known signature: use arg0 to arg5", cc.syscall)
	}
	var parts []string
	for _, p := range cc.params {
		parts = append(parts, p.Type+" "+p.Name)
	}
	return fmt.Sprintf("%s(%s)", cc.syscall, strings.Join(parts, ", "))
}

// archesWithParam lists the policy's arches on which this syscall has the parameter.
func (cc *condCtx) archesWithParam(name string) []string {
	var out []string
	for _, a := range cc.sc.arches {
		if sig, ok := cc.sc.signature(a.Name, cc.syscall); ok && hasParam(sig, name) {
			out = append(out, a.Name)
		}
	}
	return out
}

// ruleHasParam tells whether a syscall of the rule has the parameter on this arch.
func (cc *condCtx) ruleHasParam(name string) bool {
	for _, c := range cc.ruleCalls {
		if sig, ok := cc.sc.signature(cc.arch.Name, c.name); ok && hasParam(sig, name) {
			return true
		}
	}
	return false
}

// hasParamOnSomeArch tells whether the syscall has the parameter on any arch scc knows.
// The syscall's parameters on all arches are gathered once per compilation: a file that
// names many unknown arguments is reported in linear time.
func (cc *condCtx) hasParamOnSomeArch(name string) bool {
	params, ok := cc.sc.paramsAnywhere[cc.syscall]
	if !ok {
		params = map[string]bool{}
		for _, a := range allArches() {
			sig, _ := cc.sc.signature(a.Name, cc.syscall)
			for _, p := range sig.Params {
				params[p.Name] = true
			}
		}
		if cc.sc.paramsAnywhere == nil {
			cc.sc.paramsAnywhere = map[string]map[string]bool{}
		}
		cc.sc.paramsAnywhere[cc.syscall] = params
	}
	return params[name]
}

// allArches is stdlib.Arches, read once.
var allArches = sync.OnceValue(stdlib.Arches)

// missingHere handles an argument the syscall has on other arches of the policy but not on
// this one (mmap's prot on x86_64; i386's old mmap takes a single pointer). An allow rule is
// skipped here: the call falls through to later rules, which fails closed. A rule of any
// other action cannot be dropped safely, so it is an error.
func (cc *condCtx) missingHere(id *lang.Ident, elsewhere []string) (operand, bool) {
	if cc.action.Kind == ir.Allow {
		cc.skipped = true
		w := cc.sc.warnf(id.At, "the rule does not apply to %s on %s, which has no argument %s there", cc.syscall, cc.arch.Name, id.Name)
		w.Hint = cc.signature() + " on " + cc.arch.Name + "; the call falls through to the next rules"
		return operand{}, false
	}
	d := cc.errorf(id.At, "%s has no argument %s on %s, so this %s rule cannot be enforced there", cc.syscall, id.Name, cc.arch.Name, cc.action)
	d.Hint = cc.signature() + " on " + cc.arch.Name + "; it has " + id.Name + " on " + strings.Join(elsewhere, ", ")
	return operand{}, false
}

func hasParam(sig stdlib.Signature, name string) bool {
	for _, p := range sig.Params {
		if p.Name == name {
			return true
		}
	}
	return false
}

// archesWithConstant lists the arches whose tables define a built-in constant, looked up
// once per compilation for each name (a name in a rule is looked up on each arch).
func (sc *scope) archesWithConstant(name string) []string {
	if out, ok := sc.constArches[name]; ok {
		return out
	}
	var out []string
	for _, a := range allArches() {
		if _, ok := stdlib.Constant(a.Name, name); ok {
			out = append(out, a.Name)
		}
	}
	if sc.constArches == nil {
		sc.constArches = map[string][]string{}
	}
	sc.constArches[name] = out
	return out
}
