package meaning

import (
	"fmt"
	"strings"
)

// FormatExact writes the region as a condition that scc's compiler turns into exactly this
// set of argument values, given the arguments' widths (name): every constraint in the
// policy language's own forms (comparisons, masked comparisons, sets), no approximation.
// The error says what the language cannot express: a constraint on the high word of an
// argument it compares only 32 bits of, on bits above a 16-bit argument's, or on the
// instruction pointer.
func (r Region) FormatExact(name Namer, constName func(arg int, v uint64) string) (string, error) {
	return r.FormatExactWide(name, constName, false)
}

// FormatExactWide is FormatExact that, when wide (the arch's argument registers are 64
// bits), writes a constraint on the high word of an argument narrower than 64 bits with the
// width override u64(name), which compares all 64 bits of the register.
func (r Region) FormatExactWide(name Namer, constName func(arg int, v uint64) string, wide bool) (string, error) {

	if r.Truncated {
		return "", fmt.Errorf("the condition has more than %d terms", MaxTerms)
	}
	if len(r.Terms) == 0 {
		return "", fmt.Errorf("an empty region")
	}
	var terms []string
	for _, t := range r.Terms {
		var parts []string
		for i := 0; i < len(t); i++ {
			c := t[i]
			var hi, lo *Constraint
			if c.Hi {
				hi = &t[i]
				if i+1 < len(t) && t[i+1].Arg == c.Arg && !t[i+1].Hi {
					lo = &t[i+1]
					i++
				}
			} else {
				lo = &t[i]
			}
			s, err := formatArgExact(c.Arg, hi, lo, name, constName, wide)
			if err != nil {
				return "", err
			}
			parts = append(parts, s)
		}
		if len(parts) == 0 {
			return "", nil // holds everywhere
		}
		terms = append(terms, strings.Join(parts, " && "))
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	for i, t := range terms {
		if strings.Contains(t, " && ") || strings.Contains(t, " || ") {
			terms[i] = "(" + t + ")"
		}
	}
	return strings.Join(terms, " || "), nil
}

func formatArgExact(arg int, hi, lo *Constraint, name Namer, constName func(int, uint64) string, wide bool) (string, error) {
	if arg >= 6 {
		return "", fmt.Errorf("the condition reads the instruction pointer")
	}
	x, width := name(arg)
	widened := wide && width < 64 && hi != nil
	if widened {
		x, width = "u64("+x+")", 64
	}
	cn := func(v uint64) string {
		// A constant's value at the argument's own width is its value at 64 bits only
		// when it is not negative: a widened argument's names are those of such values.
		if constName != nil && (!widened || v <= 0x7fffffff) {
			if s := constName(arg, v); s != "" {
				return s
			}
		}
		return hex(v)
	}
	if width < 64 && hi != nil {
		return "", fmt.Errorf("the condition reads the high half of %s, which the language compares only the low 32 bits of", x)
	}
	switch {
	case width < 32:
		limit := uint32(1)<<width - 1
		var parts []string
		for _, cb := range lo.Cubes {
			if cb.Mask&^limit != 0 {
				return "", fmt.Errorf("the condition reads bits of %s above its %d bits", x, width)
			}
			parts = append(parts, formatCubeExact(x, uint64(cb.Mask), uint64(cb.Value), cn))
		}
		return joinOr(parts), nil
	case width == 32:
		return formatSet(x, lo.Cubes, 0, 0, cn), nil
	case hi == nil:
		return formatSetAs(x+" & 0xffffffff", x, lo.Cubes, 0, 0, cn), nil
	case lo == nil:
		return formatSet(x, hi.Cubes, 32, 0xffffffff, cn), nil
	}
	if ivs, ok := hi.Intervals(); ok && len(ivs) == 1 && ivs[0][0] == ivs[0][1] {
		return formatSet64(x, lo.Cubes, uint64(ivs[0][0])<<32, cn), nil
	}
	var parts []string
	for _, h := range hi.Cubes {
		for _, l := range lo.Cubes {
			parts = append(parts, formatCubeExact(x, uint64(h.Mask)<<32|uint64(l.Mask), uint64(h.Value)<<32|uint64(l.Value), cn))
		}
	}
	return joinOr(parts), nil
}

// formatCubeExact is formatCube, or x == v when every bit is fixed.
func formatCubeExact(x string, mask, value uint64, cn func(uint64) string) string {
	if mask == 0 {
		return x + " >= 0"
	}
	return formatCube(x, mask, value, cn)
}

func joinOr(parts []string) string {
	if len(parts) == 1 {
		return parts[0]
	}
	for i, p := range parts {
		if strings.Contains(p, " && ") {
			parts[i] = "(" + p + ")"
		}
	}
	return "(" + strings.Join(parts, " || ") + ")"
}

// Const tells whether n decides one thing whatever the input, and what.
func (s *Space) Const(n Node) (uint32, bool) {
	if !s.isTerm(n) {
		return 0, false
	}
	return uint32(s.termOf(n).val), true
}

// RegionOf is the region of argument values where n (a function of the arguments only)
// decides d.
func (s *Space) RegionOf(n Node, d uint32) Region {
	return s.region(s.apply(opIsTerm, n, s.Ret(d)))
}
