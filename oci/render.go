package oci

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/lang/token"
	"github.com/scc-dev/scc/stdlib"
)

// line adds one rule with its comments: the notes on its values follow the line's own.
func (im *importer) line(l line) {
	var rule *lang.RuleStmt
	if len(l.names) > 0 {
		rule = &lang.RuleStmt{Action: im.action(l.action), Syscalls: idents(l.names)}
		rule.Cond = im.cond(l.names, l.conds) // may add notes
	}
	for _, c := range l.comments {
		im.comment(c)
	}
	for _, c := range im.notes {
		im.comment(c)
	}
	im.notes = im.notes[:0]
	if rule != nil {
		im.stmt(rule)
	}
}

// cond is the condition of a line, nil when it has none: the alternatives, ORed, each an
// AND of comparisons; equalities of one argument across alternatives become an `in` set.
func (im *importer) cond(names []string, conds [][]Arg) lang.Expr {
	if len(conds) == 0 {
		return nil
	}
	rs := im.ruleSyscalls(names)
	var x lang.Expr
	or := func(y lang.Expr) {
		if x == nil {
			x = y
		} else {
			x = &lang.Binary{Op: token.LOr, X: x, Y: y}
		}
	}
	var set []Arg
	for _, c := range conds {
		c = im.plainEqs(rs, c)
		if len(c) == 1 && c[0].Op == opEQ && len(conds) > 1 && c[0].Index == conds[0][0].Index {
			set = append(set, c[0])
			continue
		}
		or(im.conj(rs, c, len(conds) > 1))
	}
	if len(set) == 1 {
		or(im.cmp(rs, set[0]))
	} else if len(set) > 1 {
		vals := make([]lang.Expr, len(set))
		for i, a := range set {
			vals[i] = im.text(rs, a.Index, im.fit(rs, a.Index, a.Value), true)
		}
		or(&lang.InSet{X: im.argName(rs, set[0].Index), Set: vals})
	}
	return x
}

// conj is an AND of comparisons, in parentheses when it stands in an OR.
func (im *importer) conj(rs *ruleSyscalls, args []Arg, inOr bool) lang.Expr {
	x := im.cmp(rs, args[0])
	for _, a := range args[1:] {
		x = &lang.Binary{Op: token.LAnd, X: x, Y: im.cmp(rs, a)}
	}
	if inOr && len(args) > 1 {
		x = &lang.Paren{X: x}
	}
	return x
}

// cmp is one comparison; SCMP_CMP_MASKED_EQ is `arg & mask == value`, and a mask of all the
// bits scc compares is left out.
func (im *importer) cmp(rs *ruleSyscalls, a Arg) lang.Expr {
	arg := im.argName(rs, a.Index)
	if a.Op != opMaskedEQ {
		v := im.fit(rs, a.Index, a.Value)
		// an order comparison reads best as a number
		text := im.text(rs, a.Index, v, a.Op == opEQ || a.Op == opNE)
		return &lang.Binary{Op: opWords[a.Op].tok, X: arg, Y: text}
	}
	mask, v := im.fit(rs, a.Index, a.Value), im.fit(rs, a.Index, a.ValueTwo)
	if mask == 0xffffffff && rs.width(a.Index) == 32 || mask == ^uint64(0) {
		return &lang.Binary{Op: token.Eql, X: arg, Y: im.text(rs, a.Index, v, true)}
	}
	masked := &lang.Binary{Op: token.And, X: arg, Y: im.text(rs, a.Index, mask, true)}
	return &lang.Binary{Op: token.Eql, X: masked, Y: im.text(rs, a.Index, v, true)}
}

// fit is the constant scc writes for a profile's value: libseccomp compares all 64 bits on a
// 64-bit arch and the low 32 bits on a 32-bit arch, while scc compares each argument at its
// width on each arch. A value whose high half only extends its low half (zero or sign) means
// the same to both and is kept (written negative where the width differs by arch, so that it
// fits every arch); any other value of an argument that is 32 bits on every arch is cut to its
// low half, as the kernel reads it, with a note; where the width differs by arch, scc has no
// way to say it and the import fails (see im.errs).
func (im *importer) fit(rs *ruleSyscalls, idx uint, v uint64) uint64 {
	hi, lo := uint32(v>>32), uint32(v)
	extends := hi == 0 || hi == 0xffffffff && lo&0x80000000 != 0
	switch {
	case rs.width(idx) == 32:
		if !extends {
			im.notes = append(im.notes, fmt.Sprintf("%s: libseccomp compares %#x on 64-bit arches; "+
				"the kernel reads this int argument as %#x, which scc compares.", rs.argText(idx), v, lo))
		}
		return uint64(lo)
	case !extends && rs.someWidth(idx, 32):
		im.errs = append(im.errs, fmt.Sprintf("%s %s: the value %#x is 64 bits wide, but the argument is "+
			"32 bits on some of the arches; scc cannot compare it differently per arch",
			strings.Join(rs.names, ", "), rs.argText(idx), v))
	}
	return v
}

// text is a constant of an argument, by name where named and its kind has names; a
// sign-extended value of an argument whose width differs by arch is written negative, the
// one form that fits every arch.
func (im *importer) text(rs *ruleSyscalls, idx uint, v uint64, named bool) lang.Expr {
	if v>>31 == 0x1ffffffff && rs.width(idx) != 32 && rs.someWidth(idx, 32) {
		return &lang.Unary{Op: token.Sub, X: &lang.Number{Text: strconv.FormatUint(-v, 10), Value: -v}}
	}
	if named {
		return im.value(rs, idx, v)
	}
	return number(v)
}

// value is a constant the way its argument is usually written.
func (im *importer) value(rs *ruleSyscalls, idx uint, v uint64) lang.Expr {
	switch kindOf(rs.names) {
	case "clone":
		return im.sym.flags("CLONE_", v)
	case "socket":
		if idx == 0 {
			return im.sym.named("AF_", v)
		}
	case "personality":
		return hex(v)
	}
	return number(v)
}

// kindOf tells which family of constants a rule's syscalls take, when they agree.
func kindOf(names []string) string {
	kind := func(n string) string {
		switch n {
		case "clone", "clone3", "unshare", "setns":
			return "clone"
		case "socket", "socketpair":
			return "socket"
		}
		return n
	}
	k := kind(names[0])
	for _, n := range names[1:] {
		if kind(n) != k {
			return ""
		}
	}
	return k
}

// ruleSyscalls are the syscalls of one rule, with their parameters on every arch of the
// policy where they exist, looked up once for all the rule's comparisons.
type ruleSyscalls struct {
	names []string
	// params are the parameters of each syscall on each arch where it exists; nil when one of
	// them has no known signature.
	params [][]stdlib.Param
}

func (im *importer) ruleSyscalls(names []string) *ruleSyscalls {
	rs := &ruleSyscalls{names: names}
	for _, n := range names {
		for _, a := range im.arches {
			if _, exists := stdlib.SyscallNumber(a, n); !exists {
				continue
			}
			sig, found := stdlib.LookupSignature(a, n)
			if !found {
				rs.params = nil
				return rs
			}
			rs.params = append(rs.params, sig.Params)
		}
	}
	return rs
}

// argName is the argument a comparison reads, by argText.
func (im *importer) argName(rs *ruleSyscalls, idx uint) *lang.Ident {
	return ident(rs.argText(idx))
}

// argText is the parameter's name when all the rule's syscalls on all arches give that
// position the same name, else argN.
func (rs *ruleSyscalls) argText(idx uint) string {
	generic := "arg" + strconv.Itoa(int(idx))
	if len(rs.params) == 0 {
		return generic
	}
	var name string
	for _, ps := range rs.params {
		if int(idx) >= len(ps) || ps[idx].Name == "" || name != "" && ps[idx].Name != name {
			return generic
		}
		name = ps[idx].Name
	}
	if !isIdent(name) || reserved(name) {
		return generic
	}
	return name
}

// someWidth tells whether some syscall of the rule reads the argument with the given width
// on some arch.
func (rs *ruleSyscalls) someWidth(idx uint, bits int) bool {
	for _, ps := range rs.params {
		if int(idx) < len(ps) && min(ps[idx].Bits, 32) == bits { // a 16-bit argument is an int here
			return true
		}
	}
	return false
}

// width is 32 when every syscall of the rule reads the argument as 32 bits on every arch.
func (rs *ruleSyscalls) width(idx uint) int {
	if len(rs.params) == 0 {
		return 64
	}
	for _, ps := range rs.params {
		if int(idx) >= len(ps) || ps[idx].Bits > 32 {
			return 64
		}
	}
	return 32
}

func isIdent(s string) bool {
	for i, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// plainEqs writes masked equalities whose mask covers every bit scc compares as equalities.
func (im *importer) plainEqs(rs *ruleSyscalls, args []Arg) []Arg {
	out := slices.Clone(args)
	for i, a := range out {
		if a.Op == opMaskedEQ && (a.Value == ^uint64(0) || a.Value == 0xffffffff && rs.width(a.Index) == 32) {
			out[i] = Arg{Index: a.Index, Op: opEQ, Value: a.ValueTwo}
		}
	}
	return out
}
