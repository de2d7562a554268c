package compiler

import (
	"math/big"
	"sort"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/lang/token"
	"github.com/scc-dev/scc/stdlib"
)

// archCtx resolves names on one architecture: constants differ between arches (O_*, errno on
// mips, ...), and so do syscall numbers and signatures.
type archCtx struct {
	sc     *scope
	arch   stdlib.Arch
	consts map[string]*big.Int        // user constants evaluated on this arch; nil after an error
	busy   map[string]bool            // user constants being evaluated, for cycle detection
	groups map[string]*groupExpansion // groups expanded on this arch, shared (see groupSet)
	// syscalls are the syscalls groups name on this arch, indexed by sysIndex: the members
	// of a syscallSet.
	syscalls []syscall
	sysIndex map[uint32]int
	added    nrFilter // the numbers expandSyscalls added for the rule
	// lacking are the syscall names of rules that this arch lacks, when noteLacking is set.
	lacking     []*lang.Ident
	noteLacking bool
}

func newArchCtx(sc *scope, arch stdlib.Arch) *archCtx {
	return &archCtx{sc: sc, arch: arch, consts: map[string]*big.Int{}, busy: map[string]bool{},
		groups: map[string]*groupExpansion{}, sysIndex: map[uint32]int{}}
}

func (ac *archCtx) errorf(pos diag.Pos, format string, args ...any) *diag.Diagnostic {
	return ac.sc.errs.Errorf(pos, format, args...)
}

// constValue evaluates a constant expression exactly, as an integer of unbounded size (so
// -1 is minus one, and & and | act on the infinite two's complement); values are fitted to
// their use afterwards. ok is false when an error was reported.
func (ac *archCtx) constValue(e lang.Expr) (v *big.Int, ok bool) {
	switch e := e.(type) {
	case *lang.Number:
		return new(big.Int).SetUint64(e.Value), true
	case *lang.Paren:
		return ac.constValue(e.X)
	case *lang.Ident:
		return ac.constIdent(e)
	case *lang.Unary:
		return ac.constUnary(e)
	case *lang.Binary:
		return ac.constBinary(e)
	case *lang.InSet:
		ac.errorf(e.At, "a set is not a number")
		return nil, false
	}
	ac.errorf(e.Pos(), "expected a constant expression")
	return nil, false
}

func (ac *archCtx) constUnary(e *lang.Unary) (*big.Int, bool) {
	x, ok := ac.constValue(e.X)
	if !ok {
		return nil, false
	}
	switch e.Op {
	case token.Sub:
		return new(big.Int).Neg(x), true
	case token.Tilde:
		return new(big.Int).Not(x), true
	}
	ac.errorf(e.At, "%s makes a condition, not a number", e.Op)
	return nil, false
}

func (ac *archCtx) constBinary(e *lang.Binary) (*big.Int, bool) {
	z, ok := ac.constOp(e)
	if ok && z.BitLen() > MaxConstBits {
		ac.errorf(e.At, "the value passes scc's limit of %d bits for constants", MaxConstBits).Hint =
			"a syscall argument takes at most 64 bits; see Limits in docs/language.md"
		return nil, false
	}
	return z, ok
}

func (ac *archCtx) constOp(e *lang.Binary) (*big.Int, bool) {
	x, okx := ac.constValue(e.X)
	y, oky := ac.constValue(e.Y)
	if !okx || !oky {
		return nil, false
	}
	z := new(big.Int)
	switch e.Op {
	case token.Or:
		return z.Or(x, y), true
	case token.And:
		return z.And(x, y), true
	case token.Add:
		return z.Add(x, y), true
	case token.Sub:
		return z.Sub(x, y), true
	case token.Shl:
		if y.Sign() < 0 || y.Cmp(big.NewInt(63)) > 0 {
			ac.errorf(e.At, "shift by %s: the count must be between 0 and 63", y)
			return nil, false
		}
		return z.Lsh(x, uint(y.Uint64())), true
	}
	ac.errorf(e.At, "%s makes a condition, not a number", e.Op)
	return nil, false
}

// fitWidth fits a constant to a use of the given width in bits, 1 to 64: it must lie in
// [-2^(bits-1), 2^bits), and a negative value stands for its two's complement.
func fitWidth(v *big.Int, bits int) (uint64, bool) {
	mask := ^uint64(0) >> (64 - bits)
	if v.Sign() >= 0 {
		if !v.IsUint64() || v.Uint64() > mask {
			return 0, false
		}
		return v.Uint64(), true
	}
	low := -int64(mask>>1) - 1 // -2^(bits-1)
	if !v.IsInt64() || v.Int64() < low {
		return 0, false
	}
	return uint64(v.Int64()) & mask, true
}

// builtinValue turns a built-in constant into an exact integer: the tables hold negative C
// values (AT_FDCWD) in two's complement, so values with the top bit set are negative.
func builtinValue(v uint64) *big.Int {
	return big.NewInt(int64(v))
}

// constIdent resolves a constant name: a user `const`, else a built-in constant of the arch.
func (ac *archCtx) constIdent(id *lang.Ident) (*big.Int, bool) {
	if id.Name == archWord {
		ac.sc.misplacedArch(id.At)
		return nil, false
	}
	if v, ok := ac.lookupConst(id); ok {
		return v, true
	}
	if _, user := ac.sc.consts[id.Name]; user {
		return nil, false // its own error was reported
	}
	d := ac.errorf(id.At, "unknown constant %s", id.Name)
	if isArchName(id.Name) {
		d.Hint = id.Name + " is an arch: a rule's condition compares the call's arch with it, arch == " + id.Name
		return nil, false
	}
	d.SetHintFunc(func() string { return ac.constHint(id.Name, nil) })
	return nil, false
}

// lookupConst finds a user or built-in constant without reporting an unknown name.
func (ac *archCtx) lookupConst(id *lang.Ident) (*big.Int, bool) {
	if decl, ok := ac.sc.consts[id.Name]; ok {
		return ac.userConst(decl)
	}
	v, ok := stdlib.Constant(ac.arch.Name, id.Name)
	return builtinValue(v), ok
}

func (ac *archCtx) userConst(decl *lang.ConstDecl) (*big.Int, bool) {
	name := decl.Name.Name
	if v, ok := ac.consts[name]; ok {
		return v, v != nil // nil: its error was reported
	}
	if ac.busy[name] {
		ac.errorf(decl.Name.At, "constant %s is defined in terms of itself", name)
		return nil, false
	}
	ac.busy[name] = true
	v, ok := ac.constValue(decl.Value)
	delete(ac.busy, name)
	if !ok {
		v = nil
	}
	// Remembered either way: constants defined from the one before twice over, a hundred
	// times, are evaluated a hundred times, not 2^100, even when the first has an error.
	ac.consts[name] = v
	return v, ok
}

// constHint suggests a close name among constants, user constants and extra names.
func (ac *archCtx) constHint(name string, extra []string) string {
	names := append(stdlib.ConstantNames(ac.arch.Name), extra...)
	for n := range ac.sc.consts {
		names = append(names, n)
	}
	sort.Strings(names)
	if s := diag.Suggest(name, names); s != "" {
		return "did you mean " + s + "?"
	}
	return ""
}
