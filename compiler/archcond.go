package compiler

import (
	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/lang/token"
	"github.com/scc-dev/scc/stdlib"
)

// A rule's condition may compare the call's architecture with arch names: `arch == x86_64`,
// `arch != i386`, `arch in {x86_64, aarch64}`, combined with &&, || and ! and with argument
// comparisons. The compiler lowers a policy arch by arch, so it decides these comparisons
// at compile time (foldArch): on an arch where the condition cannot hold the rule is not
// there at all, and where it holds whatever the arguments the rule is unconditional. They
// never cost an instruction.

// archWord is `arch` in an expression, which the parser keeps as an identifier of that name
// (a keyword is never a name, so the identifier is always the call's architecture).
var archWord = token.Arch.String()

// isArchRef tells whether e is `arch`, in parentheses or not.
func isArchRef(e lang.Expr) bool {
	id, ok := unparen(e).(*lang.Ident)
	return ok && id.Name == archWord
}

// unparen strips the parentheses around e.
func unparen(e lang.Expr) lang.Expr {
	for {
		p, ok := e.(*lang.Paren)
		if !ok {
			return e
		}
		e = p.X
	}
}

// archUse is what checkArchUse found in a rule's condition.
type archUse uint8

const (
	noArch  archUse = iota // the condition does not mention arch
	archOK                 // it compares arch with arch names, as it may
	archBad                // it uses arch wrongly; the error is reported
)

// checkArchUse checks the uses of arch in a rule's condition, once per rule: arch compared
// with ==, != or in, with arch names only (scc's names or aliases, of any arch: a policy
// shared by several may name others), and nowhere else.
func (sc *scope) checkArchUse(e lang.Expr) archUse {
	switch e := e.(type) {
	case nil:
		return noArch
	case *lang.Paren:
		return sc.checkArchUse(e.X)
	case *lang.Unary:
		if e.Op == token.Not {
			return sc.checkArchUse(e.X)
		}
	case *lang.Binary:
		switch {
		case e.Op == token.LAnd || e.Op == token.LOr:
			return max(sc.checkArchUse(e.X), sc.checkArchUse(e.Y))
		case isArchRef(e.X) || isArchRef(e.Y):
			return sc.checkArchCmp(e)
		}
	case *lang.InSet:
		if isArchRef(e.X) {
			use := archOK
			for _, m := range e.Set {
				use = max(use, sc.checkArchName(m))
			}
			return use
		}
	}
	if at, found := findArchRef(e); found {
		sc.misplacedArch(at)
		return archBad
	}
	return noArch
}

// checkArchCmp checks a comparison of which one side is arch.
func (sc *scope) checkArchCmp(e *lang.Binary) archUse {
	if e.Op != token.Eql && e.Op != token.Neq {
		d := sc.errs.Errorf(e.At, "arch is compared with == or != (or in), not %s", e.Op)
		d.Hint = "arch == x86_64, arch != i386, arch in {x86_64, aarch64}"
		return archBad
	}
	other := e.Y
	if isArchRef(e.Y) {
		other = e.X
	}
	return sc.checkArchName(other)
}

// checkArchName checks that e, compared with arch, names an arch.
func (sc *scope) checkArchName(e lang.Expr) archUse {
	id, ok := unparen(e).(*lang.Ident)
	switch {
	case ok && id.Name == archWord:
		sc.errs.Errorf(id.At, "arch is compared with arch names, not with itself").Hint = "arch == x86_64"
	case ok && !isArchName(id.Name):
		d := sc.errs.Errorf(id.At, "unknown arch %s", id.Name)
		d.SetHintFunc(func() string { return archHint(id.Name) })
	case ok:
		return archOK
	default:
		d := sc.errs.Errorf(e.Pos(), "arch is compared with arch names, not values")
		d.Hint = "arch == x86_64, arch != i386, arch in {x86_64, aarch64}"
	}
	return archBad
}

// isArchName tells whether name is an arch's name or alias.
func isArchName(name string) bool {
	_, ok := stdlib.LookupArch(name)
	return ok
}

// findArchRef finds arch anywhere in e.
func findArchRef(e lang.Expr) (diag.Pos, bool) {
	var at diag.Pos
	found := false
	lang.Inspect(e, func(n lang.Node) bool {
		if id, ok := n.(*lang.Ident); ok && id.Name == archWord && !found {
			at, found = id.At, true
		}
		return !found
	})
	return at, found
}

// misplacedArch reports arch where it is no comparison with arch names.
func (sc *scope) misplacedArch(at diag.Pos) {
	d := sc.errs.Errorf(at, "arch, the call's architecture, can only be compared with arch names in a rule's condition")
	d.Hint = "arch == x86_64, arch != i386, arch in {x86_64, aarch64}"
}

// foldArch decides the arch comparisons of condition e on arch a. When e's value is then
// the same whatever the arguments, decided is set and value is it; otherwise rest is e with
// those comparisons decided away, to lower as any condition. The parts of e that do not
// mention arch are kept as they are (and are not lowered where the rule cannot apply, so
// that an argument or constant that arch lacks is no error there).
func foldArch(e lang.Expr, a stdlib.Arch) (rest lang.Expr, value, decided bool) {
	switch e := e.(type) {
	case *lang.Paren:
		x, v, ok := foldArch(e.X, a)
		switch {
		case ok:
			return nil, v, true
		case x == e.X:
			return e, false, false
		}
		return &lang.Paren{At: e.At, X: x}, false, false
	case *lang.Unary:
		if e.Op != token.Not {
			return e, false, false
		}
		x, v, ok := foldArch(e.X, a)
		if ok {
			return nil, !v, true
		}
		if x == e.X {
			return e, false, false
		}
		return &lang.Unary{At: e.At, Op: e.Op, X: x}, false, false
	case *lang.Binary:
		switch {
		case e.Op == token.LAnd || e.Op == token.LOr:
			return foldLogic(e, a)
		case isArchRef(e.X) || isArchRef(e.Y):
			other := e.Y
			if isArchRef(e.Y) {
				other = e.X
			}
			return nil, namesArch(other, a) == (e.Op == token.Eql), true
		}
	case *lang.InSet:
		if isArchRef(e.X) {
			for _, m := range e.Set {
				if namesArch(m, a) {
					return nil, true, true
				}
			}
			return nil, false, true
		}
	}
	return e, false, false
}

// foldLogic decides x && y or x || y on arch a: a side decided one way decides the whole,
// the other way leaves the other side.
func foldLogic(e *lang.Binary, a stdlib.Arch) (lang.Expr, bool, bool) {
	x, vx, okx := foldArch(e.X, a)
	y, vy, oky := foldArch(e.Y, a)
	and := e.Op == token.LAnd
	switch {
	case okx && vx != and: // false && …, true || …
		return nil, vx, true
	case oky && vy != and:
		return nil, vy, true
	case okx && oky:
		return nil, vx, true // both are the identity: true && true, false || false
	case okx:
		return y, false, false
	case oky:
		return x, false, false
	case x == e.X && y == e.Y:
		return e, false, false
	}
	return &lang.Binary{At: e.At, Op: e.Op, X: x, Y: y}, false, false
}

// namesArch tells whether e, an arch name checked by checkArchName, names arch a.
func namesArch(e lang.Expr, a stdlib.Arch) bool {
	id, ok := unparen(e).(*lang.Ident)
	if !ok {
		return false
	}
	named, ok := stdlib.LookupArch(id.Name)
	return ok && named.Name == a.Name
}

// appliesSomewhere tells whether a condition that mentions arch can hold on one of arches.
func appliesSomewhere(e lang.Expr, arches []stdlib.Arch) bool {
	for _, a := range arches {
		if _, v, decided := foldArch(e, a); !decided || v {
			return true
		}
	}
	return false
}

// RuleApplies tells whether rule r can apply on the arch called arch: false when its
// condition compares arch and cannot hold there, whatever the arguments. The rule is then
// in none of the arch's rules.
func RuleApplies(r *lang.RuleStmt, arch string) bool {
	a, ok := stdlib.LookupArch(arch)
	if !ok || r.Cond == nil {
		return true
	}
	_, holds, decided := foldArch(r.Cond, a)
	return !decided || holds
}
