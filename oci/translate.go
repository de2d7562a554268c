package oci

import (
	"fmt"
	"math/bits"
	"slices"

	"github.com/scc-dev/scc/ir"
)

// maxTerms bounds the alternatives one syscall's rules may expand to.
const maxTerms = 256

// translate turns one syscall's first-match rules into OCI rules whose order cannot matter:
// rule i decides where its condition holds and no earlier rule with another action does
// (earlier rules with its own action may overlap it: either gives the same answer). Rules
// with the default action are left out (the default covers their region). note reports
// approximations.
func translate(rules []ir.Rule, dflt ir.Action, narrow bool, note func(string, ...any)) ([]ociRule, error) {
	var out []ociRule
	for i, r := range rules {
		region := ir.And{condOf(r)}
		for _, e := range rules[:i] {
			if e.Action != r.Action {
				region = append(region, ir.Not{X: condOf(e)})
			}
		}
		if r.Action == dflt {
			continue
		}
		dnf, err := toDNF(region, false, narrow, note)
		if err != nil {
			return nil, err
		}
		for _, conj := range dnf {
			if idx, ok := repeatedArg(conj); ok {
				note("arg%d is compared twice in one entry: runc adds such comparisons as separate "+
					"rules (ORed), crun as one (ANDed)", idx)
			}
			out = append(out, ociRule{action: r.Action, args: conj})
		}
	}
	return out, nil
}

// toDNF writes c (negated when neg) as alternatives of ANDed comparisons.
func toDNF(c ir.Cond, neg, narrow bool, note func(string, ...any)) ([][]Arg, error) {
	switch c := c.(type) {
	case ir.Const:
		if bool(c) != neg {
			return [][]Arg{{}}, nil
		}
		return nil, nil
	case ir.Not:
		return toDNF(c.X, !neg, narrow, note)
	case ir.Cmp:
		if neg {
			c.Op = negated[c.Op]
		}
		return cmpDNF(c, narrow, note)
	case ir.And:
		return junction([]ir.Cond(c), !neg, neg, narrow, note)
	case ir.Or:
		return junction([]ir.Cond(c), neg, neg, narrow, note)
	}
	return nil, fmt.Errorf("unknown condition %T", c)
}

var negated = map[ir.CmpOp]ir.CmpOp{ir.EQ: ir.NE, ir.NE: ir.EQ, ir.LT: ir.GE, ir.GE: ir.LT, ir.LE: ir.GT, ir.GT: ir.LE}

// junction expands the terms' DNFs: as a product when all must hold, else as a union.
func junction(terms []ir.Cond, all, neg, narrow bool, note func(string, ...any)) ([][]Arg, error) {
	out := [][]Arg{{}}
	if !all {
		out = nil
	}
	for _, t := range terms {
		d, err := toDNF(t, neg, narrow, note)
		if err != nil {
			return nil, err
		}
		if all {
			out = product(out, d)
		} else {
			out = append(out, d...)
		}
		if len(out) > maxTerms {
			return nil, fmt.Errorf("the rules expand to more than %d profile entries", maxTerms)
		}
	}
	return out, nil
}

// product ANDs every alternative of a with every one of b.
func product(a, b [][]Arg) [][]Arg {
	var out [][]Arg
	for _, x := range a {
		for _, y := range b {
			conj := slices.Clone(x)
			for _, arg := range y {
				if !slices.Contains(conj, arg) {
					conj = append(conj, arg)
				}
			}
			out = append(out, conj)
		}
	}
	return out
}

// cmpDNF translates one comparison. libseccomp compares 64 bits: a 32-bit comparison is a
// comparison masked with 0xffffffff, exact for equality (SCMP_CMP_MASKED_EQ), approximated by
// the 64-bit comparison otherwise (noted). A masked != is split into one alternative per bit.
func cmpDNF(c ir.Cmp, narrow bool, note func(string, ...any)) ([][]Arg, error) {
	mask := c.Mask
	if c.Width == 32 {
		mask &= 0xffffffff
	}
	if narrow && mask == 0xffffffff {
		mask = ^uint64(0) // the high half is always 0 on a 32-bit arch
	}
	idx := uint(c.Arg)
	switch {
	case mask == ^uint64(0):
		return [][]Arg{{{Index: idx, Op: irOps[c.Op], Value: c.Value}}}, nil
	case c.Op == ir.EQ:
		return [][]Arg{{{Index: idx, Op: opMaskedEQ, Value: mask, ValueTwo: c.Value}}}, nil
	case mask == 0xffffffff:
		note("arg%d %s %#x compares the low 32 bits in scc, all 64 in the profile (a caller with "+
			"high bits set is decided differently)", c.Arg, c.Op, c.Value)
		return [][]Arg{{{Index: idx, Op: irOps[c.Op], Value: c.Value}}}, nil
	case c.Op == ir.NE:
		return maskedNE(idx, mask, c.Value)
	}
	return nil, fmt.Errorf("arg%d & %#x %s %#x: a profile has masked equality only", c.Arg, mask, c.Op, c.Value)
}

// maskedNE writes arg & mask != v as: some bit of the mask differs from v's.
func maskedNE(idx uint, mask, v uint64) ([][]Arg, error) {
	if v&^mask != 0 {
		return [][]Arg{{}}, nil // never equal
	}
	if bits.OnesCount64(mask) > 16 {
		return nil, fmt.Errorf("arg%d & %#x != %#x: too many bits to write as masked equalities", idx, mask, v)
	}
	var out [][]Arg
	for rest := mask; rest != 0; rest &= rest - 1 {
		bit := uint64(1) << bits.TrailingZeros64(rest)
		out = append(out, []Arg{{Index: idx, Op: opMaskedEQ, Value: bit, ValueTwo: (v & bit) ^ bit}})
	}
	return out, nil
}

// repeatedArg finds an argument that two comparisons of one entry test.
func repeatedArg(args []Arg) (uint, bool) {
	for i, a := range args {
		for _, b := range args[i+1:] {
			if a.Index == b.Index {
				return a.Index, true
			}
		}
	}
	return 0, false
}

// condOf is a rule's condition; nil (always) is Const(true).
func condOf(r ir.Rule) ir.Cond {
	if r.Cond == nil {
		return ir.Const(true)
	}
	return r.Cond
}
