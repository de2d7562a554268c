package oci

import (
	"fmt"
	"slices"
	"strings"

	"github.com/scc-dev/scc/stdlib"
)

// line writes one rule with its comments, on one line: Import lays the policy out with
// lang.Format, which wraps it.
func (im *importer) line(l line) {
	var text string
	if len(l.names) > 0 {
		text = im.action(l.action) + " " + strings.Join(l.names, ", ")
		if cond := im.cond(l.names, l.conds); cond != "" { // may add notes
			text += " if " + cond
		}
	}
	for _, c := range append(l.comments, im.notes...) {
		im.comment("    ", c)
	}
	im.notes = nil
	if text != "" {
		im.out.WriteString("    " + text + "\n")
	}
}

// cond writes the alternatives of a line: each an AND of comparisons; equalities of one
// argument across alternatives become an `in` set.
func (im *importer) cond(names []string, conds [][]Arg) string {
	if len(conds) == 0 {
		return ""
	}
	var terms []string
	var set []Arg
	for _, c := range conds {
		c = im.plainEqs(names, c)
		if len(c) == 1 && c[0].Op == opEQ && len(conds) > 1 && c[0].Index == conds[0][0].Index {
			set = append(set, c[0])
			continue
		}
		terms = append(terms, im.conj(names, c, len(conds) > 1))
	}
	if len(set) == 1 {
		terms = append(terms, im.cmp(names, set[0]))
	} else if len(set) > 1 {
		var vals []string
		for _, a := range set {
			vals = append(vals, im.text(names, a.Index, im.fit(names, a.Index, a.Value), true))
		}
		terms = append(terms, fmt.Sprintf("%s in {%s}", im.argName(names, set[0].Index), strings.Join(vals, ", ")))
	}
	return strings.Join(terms, " || ")
}

// conj writes an AND of comparisons, in parentheses when it stands in an OR.
func (im *importer) conj(names []string, args []Arg, inOr bool) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = im.cmp(names, a)
	}
	s := strings.Join(parts, " && ")
	if inOr && len(parts) > 1 {
		s = "(" + s + ")"
	}
	return s
}

// cmp writes one comparison; SCMP_CMP_MASKED_EQ is `arg & mask == value`, and a mask of all
// the bits scc compares is left out.
func (im *importer) cmp(names []string, a Arg) string {
	arg := im.argName(names, a.Index)
	if a.Op != opMaskedEQ {
		v := im.fit(names, a.Index, a.Value)
		// an order comparison reads best as a number
		text := im.text(names, a.Index, v, a.Op == opEQ || a.Op == opNE)
		return fmt.Sprintf("%s %s %s", arg, opWords[a.Op].sc, text)
	}
	mask, v := im.fit(names, a.Index, a.Value), im.fit(names, a.Index, a.ValueTwo)
	if mask == 0xffffffff && im.width(names, a.Index) == 32 || mask == ^uint64(0) {
		return fmt.Sprintf("%s == %s", arg, im.text(names, a.Index, v, true))
	}
	return fmt.Sprintf("%s & %s == %s", arg, im.text(names, a.Index, mask, true), im.text(names, a.Index, v, true))
}

// fit is the constant scc writes for a profile's value: libseccomp compares all 64 bits on a
// 64-bit arch and the low 32 bits on a 32-bit arch, while scc compares each argument at its
// width on each arch. A value whose high half only extends its low half (zero or sign) means
// the same to both and is kept (written negative where the width differs by arch, so that it
// fits every arch); any other value of an argument that is 32 bits on every arch is cut to its
// low half, as the kernel reads it, with a note; where the width differs by arch, scc has no
// way to say it and the import fails (see im.errs).
func (im *importer) fit(names []string, idx uint, v uint64) uint64 {
	hi, lo := uint32(v>>32), uint32(v)
	extends := hi == 0 || hi == 0xffffffff && lo&0x80000000 != 0
	switch {
	case im.width(names, idx) == 32:
		if !extends {
			im.notes = append(im.notes, fmt.Sprintf("%s: libseccomp compares %#x on 64-bit arches; "+
				"the kernel reads this int argument as %#x, which scc compares.", im.argName(names, idx), v, lo))
		}
		return uint64(lo)
	case !extends && im.someWidth(names, idx, 32):
		im.errs = append(im.errs, fmt.Sprintf("%s %s: the value %#x is 64 bits wide, but the argument is "+
			"32 bits on some of the arches; scc cannot compare it differently per arch",
			strings.Join(names, ", "), im.argName(names, idx), v))
	}
	return v
}

// text writes a constant of an argument, by name where named and its kind has names; a
// sign-extended value of an argument whose width differs by arch is written negative, the
// one form that fits every arch.
func (im *importer) text(names []string, idx uint, v uint64, named bool) string {
	if v>>31 == 0x1ffffffff && im.width(names, idx) != 32 && im.someWidth(names, idx, 32) {
		return fmt.Sprint(int64(v))
	}
	if named {
		return im.value(names, idx, v)
	}
	return number(v)
}

// value writes a constant the way its argument is usually written.
func (im *importer) value(names []string, idx uint, v uint64) string {
	switch kindOf(names) {
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

// params returns, for every arch where a syscall of the rule exists, its parameters; ok is
// false when one of them has no known signature.
func (im *importer) params(names []string) (all [][]stdlib.Param, ok bool) {
	for _, n := range names {
		for _, a := range im.arches {
			if _, exists := stdlib.SyscallNumber(a, n); !exists {
				continue
			}
			sig, found := stdlib.LookupSignature(a, n)
			if !found {
				return nil, false
			}
			all = append(all, sig.Params)
		}
	}
	return all, len(all) > 0
}

// argName is the parameter's name when all the rule's syscalls on all arches give that
// position the same name, else argN.
func (im *importer) argName(names []string, idx uint) string {
	generic := fmt.Sprintf("arg%d", idx)
	all, ok := im.params(names)
	if !ok {
		return generic
	}
	var name string
	for _, ps := range all {
		if int(idx) >= len(ps) || ps[idx].Name == "" || name != "" && ps[idx].Name != name {
			return generic
		}
		name = ps[idx].Name
	}
	if !isIdent(name) || slices.Contains([]string{"in", "if"}, name) {
		return generic
	}
	return name
}

// someWidth tells whether some syscall of the rule reads the argument with the given width
// on some arch.
func (im *importer) someWidth(names []string, idx uint, bits int) bool {
	all, _ := im.params(names)
	for _, ps := range all {
		if int(idx) < len(ps) && min(ps[idx].Bits, 32) == bits { // a 16-bit argument is an int here
			return true
		}
	}
	return false
}

// width is 32 when every syscall of the rule reads the argument as 32 bits on every arch.
func (im *importer) width(names []string, idx uint) int {
	all, ok := im.params(names)
	if !ok {
		return 64
	}
	for _, ps := range all {
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
func (im *importer) plainEqs(names []string, args []Arg) []Arg {
	out := slices.Clone(args)
	for i, a := range out {
		if a.Op == opMaskedEQ && (a.Value == ^uint64(0) || a.Value == 0xffffffff && im.width(names, a.Index) == 32) {
			out[i] = Arg{Index: a.Index, Op: opEQ, Value: a.ValueTwo}
		}
	}
	return out
}
