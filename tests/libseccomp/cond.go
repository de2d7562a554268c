//go:build linux && cgo

package libseccomp

import (
	"github.com/scc-dev/scc/ir"
	seccomp "github.com/seccomp/libseccomp-golang"
)

// negOp is the comparison that holds exactly when op does not.
var negOp = [...]ir.CmpOp{ir.EQ: ir.NE, ir.NE: ir.EQ, ir.LT: ir.GE, ir.LE: ir.GT, ir.GT: ir.LE, ir.GE: ir.LT}

// scmpOp maps scc's comparison operators onto libseccomp's.
var scmpOp = [...]seccomp.ScmpCompareOp{
	ir.EQ: seccomp.CompareEqual, ir.NE: seccomp.CompareNotEqual,
	ir.LT: seccomp.CompareLess, ir.LE: seccomp.CompareLessOrEqual,
	ir.GT: seccomp.CompareGreater, ir.GE: seccomp.CompareGreaterEqual,
}

// dnf returns c (negated when neg) in disjunctive normal form: an OR of ANDs of comparisons.
// No terms means false; an empty term means true.
func dnf(c ir.Cond, neg bool) ([][]ir.Cmp, error) {
	switch c := c.(type) {
	case ir.Cmp:
		return dnfCmp(c, neg)
	case *ir.Cmp:
		return dnfCmp(*c, neg)
	case ir.Const:
		if bool(c) != neg {
			return [][]ir.Cmp{{}}, nil
		}
		return nil, nil
	case ir.Not:
		return dnf(c.X, !neg)
	case *ir.Not:
		return dnf(c.X, !neg)
	case ir.And:
		if neg {
			return dnfUnion(c, neg)
		}
		return dnfProduct(c, neg)
	case ir.Or:
		if neg {
			return dnfProduct(c, neg)
		}
		return dnfUnion(c, neg)
	}
	return nil, notExpressible("condition %v of type %T", c, c)
}

func dnfCmp(c ir.Cmp, neg bool) ([][]ir.Cmp, error) {
	if int(c.Op) >= len(negOp) {
		return nil, notExpressible("unknown comparison operator %d", c.Op)
	}
	if neg {
		c.Op = negOp[c.Op]
	}
	return [][]ir.Cmp{{c}}, nil
}

// dnfUnion is the OR of the terms' normal forms.
func dnfUnion(terms []ir.Cond, neg bool) ([][]ir.Cmp, error) {
	var out [][]ir.Cmp
	for _, t := range terms {
		d, err := dnf(t, neg)
		if err != nil {
			return nil, err
		}
		out = append(out, d...)
		if len(out) > maxConjunctions {
			return nil, notExpressible("condition has more than %d conjunctions", maxConjunctions)
		}
	}
	return out, nil
}

// dnfProduct is the AND of the terms' normal forms, distributed over their ORs.
func dnfProduct(terms []ir.Cond, neg bool) ([][]ir.Cmp, error) {
	out := [][]ir.Cmp{{}}
	for _, t := range terms {
		d, err := dnf(t, neg)
		if err != nil {
			return nil, err
		}
		if len(out)*len(d) > maxConjunctions {
			return nil, notExpressible("condition has more than %d conjunctions", maxConjunctions)
		}
		var next [][]ir.Cmp
		for _, a := range out {
			for _, b := range d {
				next = append(next, append(append([]ir.Cmp(nil), a...), b...))
			}
		}
		out = next
	}
	return out, nil
}

// lowerCmp maps one IR comparison onto a libseccomp comparison on an arch whose libseccomp
// comparisons are 64-bit (wide) or 32-bit, or finds it constant.
func lowerCmp(c ir.Cmp, wide bool) (comparison, truth, error) {
	if c.Arg < 0 || c.Arg > 5 || (c.Width != 32 && c.Width != 64) {
		return comparison{}, unknown, notExpressible("malformed comparison %v (arg %d, width %d)", c, c.Arg, c.Width)
	}
	mask := c.Mask
	if c.Width == 32 {
		mask &= 0xffffffff
	}
	if t := constantCmp(c.Op, mask, c.Value); t != unknown {
		return comparison{}, t, nil
	}
	lc := comparison{Arg: uint(c.Arg), Op: scmpOp[c.Op], Value: c.Value}
	full := ^uint64(0)
	if !wide {
		if mask>>32 != 0 {
			return lc, unknown, notExpressible("%v: libseccomp compares only the low 32 bits of arguments on this arch", c)
		}
		full = 0xffffffff
	}
	if c.Op == ir.EQ && mask != full {
		lc.Op, lc.Mask = seccomp.CompareMaskedEqual, mask
		return lc, unknown, nil
	}
	if mask != full {
		return lc, unknown, notExpressible("%v: libseccomp has no masked or 32-bit %v", c, c.Op)
	}
	return lc, unknown, nil
}

// constantCmp finds comparisons decided by the mask and value alone: (x & mask) op value.
func constantCmp(op ir.CmpOp, mask, value uint64) truth {
	switch {
	case mask == 0:
		return truthOf(ir.Cmp{Op: op, Mask: 0, Value: value, Width: 64}.Eval([6]uint64{}))
	case op == ir.EQ && value&^mask != 0:
		return alwaysFalse
	case op == ir.NE && value&^mask != 0:
		return alwaysTrue
	case value > mask: // x & mask <= mask < value
		return truthOf(op == ir.LT || op == ir.LE || op == ir.NE)
	}
	return unknown
}
