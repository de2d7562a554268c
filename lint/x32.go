package lint

import (
	"fmt"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/stdlib"
)

// checkX32Long reports comparisons, on x32, of a long, size_t or pointer argument with a value
// whose high word is set. x32's long is 32 bits in C and arrives zero-extended, but the filter
// compares all 64 bits (the kernel's 64-bit syscalls read the whole register): `offset == -1`
// compares with 0xffffffffffffffff, which (long)-1 from an x32 program, 0x00000000ffffffff,
// never equals.
func (l *linter) checkX32Long() {
	var gs groups
	for _, ap := range l.res.Policy.Arches {
		if ap.Arch.NrMask == 0 || ap.Arch.Audit != l.x86Audit() {
			continue
		}
		for _, nr := range sortedNrs(ap) {
			name := ap.Names[nr]
			sig, ok := stdlib.LookupSignature(ap.Arch.Name, name)
			if !ok {
				continue
			}
			for _, r := range ap.Rules[nr] {
				for _, c := range highCmps(r.Cond, sig) {
					param := sig.Params[c.Arg].Name
					pos := l.cmpPos(r, param, c.Arg)
					gs.note(param, X32Long, pos, name, ap.Arch.Name, x32LongMsg(param, c))
				}
			}
		}
	}
	l.flush(&gs)
}

// x86Audit is AUDIT_ARCH_X86_64, which x32 shares.
func (l *linter) x86Audit() uint32 {
	a, _ := stdlib.LookupArch("x32")
	return a.Audit
}

func x32LongMsg(param string, c ir.Cmp) func(*group) (string, string) {
	return func(g *group) (string, string) {
		return fmt.Sprintf("on x32, %s's %s is a 32-bit long that arrives zero-extended, but the filter compares all 64 bits with %#x: no x32 call has those high bits",
				list(g.syscalls), param, c.Value),
			fmt.Sprintf("an x32 program passes 0x%x: compare with that too, as in %s == %#x || %s == 0x%x", c.Value&0xffffffff, param, c.Value, param, c.Value&0xffffffff)
	}
}

// highCmps returns the comparisons in cond of a long argument with a value whose high word,
// under the mask, is set.
func highCmps(cond ir.Cond, sig stdlib.Signature) []ir.Cmp {
	var out []ir.Cmp
	var walk func(c ir.Cond)
	walk = func(c ir.Cond) {
		switch c := c.(type) {
		case ir.Cmp:
			if c.Arg < len(sig.Params) && sig.Params[c.Arg].Long && c.Width == 64 && c.Value&c.Mask>>32 != 0 {
				out = append(out, c)
			}
		case ir.And:
			for _, x := range c {
				walk(x)
			}
		case ir.Or:
			for _, x := range c {
				walk(x)
			}
		case ir.Not:
			walk(c.X)
		}
	}
	if cond != nil {
		walk(cond)
	}
	return out
}

// cmpPos finds where the rule's condition compares the argument, by name or as argN; else
// the rule's own position.
func (l *linter) cmpPos(r ir.Rule, param string, arg int) diag.Pos {
	st, ok := l.rules[r.Pos]
	if !ok || st.Cond == nil {
		return r.Pos
	}
	argN := fmt.Sprintf("arg%d", arg)
	var found *diag.Pos
	var walk func(e lang.Expr)
	walk = func(e lang.Expr) {
		if found != nil {
			return
		}
		switch e := e.(type) {
		case *lang.Ident:
			if e.Name == param || e.Name == argN {
				found = &e.At
			}
		case *lang.Binary:
			walk(e.X)
			walk(e.Y)
		case *lang.Unary:
			walk(e.X)
		case *lang.Paren:
			walk(e.X)
		case *lang.Wide:
			walk(e.X)
		case *lang.InSet:
			walk(e.X)
		}
	}
	walk(st.Cond)
	if found == nil {
		return r.Pos
	}
	return *found
}
