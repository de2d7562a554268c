package oci

import (
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/lang/token"
	"github.com/scc-dev/scc/stdlib"
)

// symbols writes numbers as the constant names scc knows, where a name is unambiguous: it
// has the same value on every arch of the policy, and no other name of its family does.
type symbols struct {
	arches []string
	family map[string]map[uint64]string // prefix → value → name ("" when ambiguous)
}

func newSymbols(arches []string) *symbols {
	return &symbols{arches: arches, family: map[string]map[uint64]string{}}
}

// aliases are names that share their value with a more common one.
var aliases = map[string]bool{
	"AF_LOCAL": true, "AF_ROUTE": true, "AF_FILE": true, "AF_MAX": true,
}

// constant returns the value of name if it is the same on every arch.
func (s *symbols) constant(name string) (uint64, bool) {
	var v uint64
	for i, a := range s.arches {
		x, ok := stdlib.Constant(a, name)
		if !ok || i > 0 && x != v {
			return 0, false
		}
		v = x
	}
	return v, len(s.arches) > 0
}

// familyCache holds the maps values computes, which depend only on the arches and the prefix
// (the embedded tables): arches and prefix, joined by NUL → map[uint64]string, never modified.
var familyCache sync.Map

// values returns the unambiguous value → name map of a family of constants. The map is
// shared: read it, never write it.
func (s *symbols) values(prefix string) map[uint64]string {
	if m, ok := s.family[prefix]; ok {
		return m
	}
	key := strings.Join(s.arches, "\x00") + "\x00" + prefix
	if m, ok := familyCache.Load(key); ok {
		s.family[prefix] = m.(map[uint64]string)
		return s.family[prefix]
	}
	var names []string
	var values []uint64
	if len(s.arches) > 0 {
		names, values = stdlib.ConstantsWithPrefix(s.arches[0], prefix)
	}
	everywhere := s.onEveryArch(prefix, names, values)
	m := make(map[uint64]string, len(names))
	for i, name := range names {
		if !everywhere[i] || aliases[name] || strings.Contains(name, "ARGS_SIZE") {
			continue
		}
		if _, dup := m[values[i]]; dup {
			m[values[i]] = ""
		} else {
			m[values[i]] = name
		}
	}
	familyCache.Store(key, m)
	s.family[prefix] = m
	return m
}

// onEveryArch tells, for each constant of the family on the first arch (names, sorted, and
// values), whether every other arch has it with the same value.
func (s *symbols) onEveryArch(prefix string, names []string, values []uint64) []bool {
	same := make([]bool, len(names))
	for i := range same {
		same[i] = true
	}
	for _, a := range s.arches[min(1, len(s.arches)):] {
		others, otherValues := stdlib.ConstantsWithPrefix(a, prefix)
		j := 0
		for i, n := range names {
			for j < len(others) && others[j] < n {
				j++
			}
			if j == len(others) || others[j] != n || otherValues[j] != values[i] {
				same[i] = false
			}
		}
	}
	return same
}

// errno is an errno number as its name (EPERM) where scc knows it on every arch.
func (s *symbols) errno(n uint16) lang.Expr {
	name := unix.ErrnoName(syscall.Errno(n))
	if v, ok := s.constant(name); name != "" && ok && v == uint64(n) {
		return ident(name)
	}
	return number(uint64(n))
}

// named is v as the one name of the family that has this value, else as a number.
func (s *symbols) named(prefix string, v uint64) lang.Expr {
	if name := s.values(prefix)[v]; name != "" {
		return ident(name)
	}
	return number(v)
}

// flags is v as an OR of single-bit constants of the family, when every bit has one.
func (s *symbols) flags(prefix string, v uint64) lang.Expr {
	m := s.values(prefix)
	var names []string
	for rest := v; rest != 0; rest &= rest - 1 {
		bit := uint64(1) << bits.TrailingZeros64(rest)
		if m[bit] == "" {
			return hex(v)
		}
		names = append(names, m[bit])
	}
	switch len(names) {
	case 0:
		return number(0)
	case 1:
		return ident(names[0])
	}
	slices.Sort(names)
	var x lang.Expr = ident(names[0])
	for _, n := range names[1:] {
		x = &lang.Binary{Op: token.Or, X: x, Y: ident(n)}
	}
	return &lang.Paren{X: x}
}

// number is a constant, small ones in decimal and the others in hex.
func number(v uint64) *lang.Number {
	if v <= 0xffff {
		return &lang.Number{Text: strconv.FormatUint(v, 10), Value: v}
	}
	return hex(v)
}

// hex is a constant in hex.
func hex(v uint64) *lang.Number {
	return &lang.Number{Text: "0x" + strconv.FormatUint(v, 16), Value: v}
}
