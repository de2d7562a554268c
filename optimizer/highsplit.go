package optimizer

import (
	"github.com/scc-dev/scc/ir"
)

// splitHigh compiles rs, which compare 64-bit arguments only with values below 2^32, by
// testing the high word of such an argument once, up front: where it is zero, every
// comparison of the argument is one of its low word (32-bit), so the rules on it search
// one word and no run pays a high-word test and its load again; elsewhere, the argument is
// above every value compared and each comparison is a constant. The zero side is then the
// same DAG as on a 32-bit ABI, and shared with it, which is why rules splits only the
// syscalls whose rules a 32-bit ABI of the policy has the same (sharesNarrow): elsewhere the
// other arguments' rules, compiled on both sides, can cost more than the high-word tests
// saved. ok is false when no argument qualifies.
func (b *builder) splitHigh(rs []ir.Rule, def *Node, depth int) (n *Node, ok bool, err error) {
	if depth >= maxHighSplits {
		return nil, false, nil
	}
	arg := highSplitArg(rs)
	if arg < 0 {
		return nil, false, nil
	}
	zero, err := b.argRulesSplit(rewriteHigh(rs, arg, true), def, depth+1)
	if err != nil {
		return nil, false, err
	}
	above, err := b.argRulesSplit(rewriteHigh(rs, arg, false), def, depth+1)
	if err != nil {
		return nil, false, err
	}
	hi := ir.ArgOffset(arg, true, b.bigEndian)
	return b.test(hi, fullWord, ir.EQ, 0, zero, above), true, nil
}

// highSplitArg returns the lowest argument that rs compare as 64 bits with the whole high
// word masked in, and only so or as 32 bits, always with values below 2^32; or -1.
func highSplitArg(rs []ir.Rule) int {
	var whole, bad [6]bool
	for _, r := range rs {
		walkCmps(r.Cond, func(c ir.Cmp) {
			if checkCmp(c) != nil {
				bad[0], bad[1], bad[2], bad[3], bad[4], bad[5] = true, true, true, true, true, true
				return
			}
			if c.Width != 64 || c.Mask>>32 == 0 {
				return
			}
			if c.Mask>>32 != uint64(fullWord) || c.Value>>32 != 0 {
				bad[c.Arg] = true
				return
			}
			whole[c.Arg] = true
		})
	}
	for a := range whole {
		if whole[a] && !bad[a] {
			return a
		}
	}
	return -1
}

// walkCmps calls f on every comparison in c.
func walkCmps(c ir.Cond, f func(ir.Cmp)) {
	switch c := c.(type) {
	case ir.Cmp:
		f(c)
	case ir.Not:
		if c.X != nil {
			walkCmps(c.X, f)
		}
	case ir.And:
		for _, t := range c {
			walkCmps(t, f)
		}
	case ir.Or:
		for _, t := range c {
			walkCmps(t, f)
		}
	}
}

// rewriteHigh returns rs with the 64-bit comparisons of arg (see highSplitArg) rewritten
// for a high word of zero (as 32-bit comparisons of the low word) or not (constants).
func rewriteHigh(rs []ir.Rule, arg int, zero bool) []ir.Rule {
	out := make([]ir.Rule, len(rs))
	for i, r := range rs {
		out[i] = r
		if r.Cond != nil {
			out[i].Cond = rewriteCond(r.Cond, arg, zero)
		}
	}
	return out
}

func rewriteCond(c ir.Cond, arg int, zero bool) ir.Cond {
	switch c := c.(type) {
	case ir.Cmp:
		if c.Arg != arg || c.Width != 64 || c.Mask>>32 == 0 {
			return c
		}
		if zero {
			return ir.Cmp{Arg: c.Arg, Width: 32, Mask: c.Mask & uint64(fullWord), Op: c.Op, Value: c.Value}
		}
		// The value is at least 2^32, above c.Value.
		switch c.Op {
		case ir.NE, ir.GT, ir.GE:
			return ir.Const(true)
		}
		return ir.Const(false)
	case ir.Not:
		if c.X == nil {
			return c
		}
		return ir.Not{X: rewriteCond(c.X, arg, zero)}
	case ir.And:
		out := make(ir.And, len(c))
		for i, t := range c {
			out[i] = rewriteCond(t, arg, zero)
		}
		return out
	case ir.Or:
		out := make(ir.Or, len(c))
		for i, t := range c {
			out[i] = rewriteCond(t, arg, zero)
		}
		return out
	}
	return c
}
