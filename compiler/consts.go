package compiler

import (
	"sort"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/stdlib"
)

// archCtx resolves names on one architecture: constants differ between arches (O_*, errno on
// mips, ...), and so do syscall numbers and signatures.
type archCtx struct {
	sc     *scope
	arch   stdlib.Arch
	consts map[string]uint64 // user constants evaluated on this arch
	busy   map[string]bool   // user constants being evaluated, for cycle detection
}

func newArchCtx(sc *scope, arch stdlib.Arch) *archCtx {
	return &archCtx{sc: sc, arch: arch, consts: map[string]uint64{}, busy: map[string]bool{}}
}

func (ac *archCtx) errorf(pos diag.Pos, format string, args ...any) *diag.Diagnostic {
	return ac.sc.errs.Errorf(pos, format, args...)
}

// constValue evaluates a constant expression with 64-bit wrap-around arithmetic; negative
// numbers are two's complement. ok is false when an error was reported.
func (ac *archCtx) constValue(e lang.Expr) (v uint64, ok bool) {
	switch e := e.(type) {
	case *lang.Number:
		return e.Value, true
	case *lang.Paren:
		return ac.constValue(e.X)
	case *lang.Ident:
		return ac.constIdent(e)
	case *lang.Unary:
		x, ok := ac.constValue(e.X)
		switch e.Op {
		case "-":
			return -x, ok
		case "~":
			return ^x, ok
		}
		ac.errorf(e.At, "%s is not an operator on numbers", e.Op)
		return 0, false
	case *lang.Binary:
		return ac.constBinary(e)
	case *lang.InSet:
		ac.errorf(e.At, "a set is not a number")
		return 0, false
	}
	ac.errorf(e.Pos(), "expected a constant expression")
	return 0, false
}

func (ac *archCtx) constBinary(e *lang.Binary) (uint64, bool) {
	x, okx := ac.constValue(e.X)
	y, oky := ac.constValue(e.Y)
	if !okx || !oky {
		return 0, false
	}
	switch e.Op {
	case "|":
		return x | y, true
	case "&":
		return x & y, true
	case "+":
		return x + y, true
	case "-":
		return x - y, true
	case "<<":
		if y >= 64 {
			ac.errorf(e.At, "shift by %d: at most 63", y)
			return 0, false
		}
		return x << y, true
	}
	ac.errorf(e.At, "%s makes a condition, not a number", e.Op)
	return 0, false
}

// constIdent resolves a constant name: a user `const`, else a built-in constant of the arch.
func (ac *archCtx) constIdent(id *lang.Ident) (uint64, bool) {
	if v, ok := ac.lookupConst(id); ok {
		return v, true
	}
	if _, user := ac.sc.consts[id.Name]; user {
		return 0, false // its own error was reported
	}
	d := ac.errorf(id.At, "unknown constant %s", id.Name)
	d.Hint = ac.constHint(id.Name, nil)
	return 0, false
}

// lookupConst finds a user or built-in constant without reporting an unknown name.
func (ac *archCtx) lookupConst(id *lang.Ident) (uint64, bool) {
	if decl, ok := ac.sc.consts[id.Name]; ok {
		return ac.userConst(decl)
	}
	return stdlib.Constant(ac.arch.Name, id.Name)
}

func (ac *archCtx) userConst(decl *lang.ConstDecl) (uint64, bool) {
	name := decl.Name.Name
	if v, ok := ac.consts[name]; ok {
		return v, true
	}
	if ac.busy[name] {
		ac.errorf(decl.Name.At, "constant %s is defined in terms of itself", name)
		return 0, false
	}
	ac.busy[name] = true
	v, ok := ac.constValue(decl.Value)
	delete(ac.busy, name)
	if ok {
		ac.consts[name] = v
	}
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
