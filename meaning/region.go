package meaning

import (
	"fmt"
	"iter"
	"sort"
	"strings"
)

// Region is a set of argument values: a disjunction of Terms, each a conjunction of
// constraints on argument words. An empty Region holds nowhere; a Region with one empty
// Term holds everywhere.
type Region struct {
	Terms [][]Constraint
	// Truncated tells that Terms lists only the first MaxTerms terms.
	Truncated bool
}

// MaxTerms bounds the terms a Region lists.
const MaxTerms = 4096

// Constraint says that one word of an argument (or of the instruction pointer, Arg 6) lies
// in a set: the union of Cubes, each the values v with v & Mask == Value.
type Constraint struct {
	Arg   int  // 0..5; 6 for instruction_pointer
	Hi    bool // the high word; else the low word
	Cubes []Cube
}

// Cube is the set of 32-bit values v with v & Mask == Value.
type Cube struct{ Mask, Value uint32 }

// IsInterval tells whether the cube is a range of values: its free bits are the low ones.
func (c Cube) IsInterval() bool { free := ^c.Mask; return free&(free+1) == 0 }

// Interval is the cube's range, for a cube that IsInterval.
func (c Cube) Interval() (lo, hi uint32) { return c.Value, c.Value | ^c.Mask }

// Intervals gives the constraint's set as sorted, merged ranges, when every cube is a range.
func (c Constraint) Intervals() ([][2]uint32, bool) {
	var out [][2]uint32
	for _, cb := range c.Cubes {
		if !cb.IsInterval() {
			return nil, false
		}
		lo, hi := cb.Interval()
		out = append(out, [2]uint32{lo, hi})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	merged := out[:0]
	for _, iv := range out {
		if n := len(merged); n > 0 && merged[n-1][1] != 0xffffffff && merged[n-1][1]+1 >= iv[0] {
			merged[n-1][1] = max(merged[n-1][1], iv[1])
			continue
		}
		merged = append(merged, iv)
	}
	return merged, true
}

// blockArgWord is the argument word of an argument block.
func blockArgWord(block int) (arg int, hi bool) {
	if block >= blockIPHi {
		return 6, block == blockIPHi
	}
	return (block - blockArg0Hi) / 2, (block-blockArg0Hi)%2 == 0
}

// region describes predicate r, a function of the arguments only.
func (s *Space) region(r Node) Region {
	var reg Region
	var walk func(n Node, prefix []Constraint)
	walk = func(n Node, prefix []Constraint) {
		if len(reg.Terms) >= MaxTerms {
			reg.Truncated = true
			return
		}
		switch n {
		case s.False:
			return
		case s.True:
			reg.Terms = append(reg.Terms, append([]Constraint(nil), prefix...))
			return
		}
		block := s.varOf(n) / 32
		arg, hi := blockArgWord(block)
		groups, order, complete := s.cubes(n, block)
		if !complete {
			reg.Truncated = true
			return
		}
		for _, next := range order {
			walk(next, append(prefix, Constraint{Arg: arg, Hi: hi, Cubes: groups[next]}))
		}
	}
	walk(r, nil)
	return reg
}

// cubes splits n on one block's word into cubes of values, grouped by the node they lead to
// (in the order first met; the False terminal left out); complete is false when there are
// more than MaxTerms of them, and then they are not all listed.
func (s *Space) cubes(n Node, block int) (groups map[Node][]Cube, order []Node, complete bool) {
	groups = map[Node][]Cube{}
	count := 0
	var walk func(n Node, mask, val uint32)
	walk = func(n Node, mask, val uint32) {
		if count > MaxTerms {
			return
		}
		count++
		v := s.varOf(n)
		if v >= (block+1)*32 {
			if n == s.False {
				return
			}
			if _, ok := groups[n]; !ok {
				order = append(order, n)
			}
			groups[n] = append(groups[n], Cube{mask, val})
			return
		}
		bit := blockBit(v % 32)
		walk(s.nodes[n].lo, mask|bit, val)
		walk(s.nodes[n].hi, mask|bit, val|bit)
	}
	walk(n, 0, 0)
	return groups, order, count <= MaxTerms
}

// Namer names an argument of the syscall in question and gives its width in bits (16, 32
// or 64): width 32 or less means the policy language compares only the low word.
type Namer func(arg int) (name string, width int)

// PositionalNamer names arguments arg0..arg5, 64 bits wide.
func PositionalNamer(arg int) (string, int) { return fmt.Sprintf("arg%d", arg), 64 }

// Format writes the region as a condition of scc's policy language ("" when it holds
// everywhere), naming arguments with name and constants with constName (which returns ""
// when it knows no name for a value of an argument). A constraint on the high word of an
// argument the language compares only 32 bits of is written name.hi, which the language
// cannot express.
func (r Region) Format(name Namer, constName func(arg int, v uint64) string) string {
	if len(r.Terms) == 0 {
		return "false"
	}
	var terms []string
	for _, t := range r.Terms {
		terms = append(terms, formatTerm(t, name, constName))
	}
	if len(terms) == 1 {
		return terms[0]
	}
	for i, t := range terms {
		if strings.Contains(t, " && ") || strings.Contains(t, " || ") {
			terms[i] = "(" + t + ")"
		}
	}
	out := strings.Join(terms, " || ")
	if r.Truncated {
		out += " || …"
	}
	return out
}

func formatTerm(t []Constraint, name Namer, constName func(int, uint64) string) string {
	var parts []string
	for i := 0; i < len(t); i++ {
		c := t[i]
		var lo *Constraint
		if c.Hi && i+1 < len(t) && t[i+1].Arg == c.Arg && !t[i+1].Hi {
			lo = &t[i+1]
			i++
		}
		parts = append(parts, formatArg(c, lo, name, constName))
	}
	if len(parts) == 0 {
		return "true"
	}
	return strings.Join(parts, " && ")
}

// formatArg writes the constraints on one argument: its low word alone, its high word alone
// (c.Hi, lo nil), or both.
func formatArg(c Constraint, lo *Constraint, name Namer, constName func(int, uint64) string) string {
	argName, width := "instruction_pointer", 64
	if c.Arg < 6 {
		argName, width = name(c.Arg)
	}
	cn := func(v uint64) string {
		if c.Arg < 6 && constName != nil {
			if s := constName(c.Arg, v); s != "" {
				return s
			}
		}
		return hex(v)
	}
	switch {
	case !c.Hi && width == 64:
		return formatSetAs(argName+" & 0xffffffff", argName, c.Cubes, 0, 0, cn)
	case !c.Hi:
		return formatSet(argName, c.Cubes, 0, 0, cn)
	case width < 64:
		s := formatSet(argName+".hi", c.Cubes, 0, 0, hex)
		if lo != nil {
			s += " && " + formatSet(argName, lo.Cubes, 0, 0, cn)
		}
		return s
	case lo == nil: // a 64-bit argument's high word only: the low word is free
		return formatSet(argName, c.Cubes, 32, 0xffffffff, cn)
	}
	if ivs, ok := c.Intervals(); ok && len(ivs) == 1 && ivs[0][0] == ivs[0][1] {
		// One high word: the low word's set, shifted.
		h := uint64(ivs[0][0]) << 32
		var cubes []Cube
		for _, cb := range lo.Cubes {
			cubes = append(cubes, cb)
		}
		return formatSet64(argName, cubes, h, cn)
	}
	return "(" + formatSet(argName+" >> 32", c.Cubes, 0, 0, hex) + ") && (" + formatSet(argName+" & 0xffffffff", lo.Cubes, 0, 0, cn) + ")"
}

func hex(v uint64) string {
	if v < 10 {
		return fmt.Sprint(v)
	}
	return fmt.Sprintf("%#x", v)
}

// formatSet writes "x in the set of cubes", each value shifted left by shift with fill's
// bits set below (a high word's cubes as 64-bit values).
func formatSet(x string, cubes []Cube, shift uint, fill uint64, cn func(uint64) string) string {
	return formatSetAs(x, x, cubes, shift, fill, cn)
}

// formatSetAs is formatSet that writes the ranges of x as xRange and its masks as xMask (a
// 64-bit argument's low word: a range needs the mask 0xffffffff, a cube has its own).
func formatSetAs(xRange, x string, cubes []Cube, shift uint, fill uint64, cn func(uint64) string) string {
	c := Constraint{Cubes: cubes}
	if ivs, ok := c.Intervals(); ok {
		var scaled [][2]uint64
		for _, iv := range ivs {
			scaled = append(scaled, [2]uint64{uint64(iv[0]) << shift, uint64(iv[1])<<shift | fill})
		}
		max := uint64(0xffffffff)<<shift | fill
		return formatIntervals(xRange, scaled, max, cn)
	}
	if points, ok := smallSet(cubes); ok {
		var ivs [][2]uint64
		for _, v := range points {
			ivs = append(ivs, [2]uint64{uint64(v) << shift, uint64(v)<<shift | fill})
		}
		return formatIntervals(xRange, ivs, uint64(0xffffffff)<<shift|fill, cn)
	}
	var parts []string
	for _, cb := range cubes {
		parts = append(parts, formatCube(x, uint64(cb.Mask)<<shift, uint64(cb.Value)<<shift, cn))
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, " || ") + ")"
}

// smallSet lists the values of cubes, sorted, when they are few (a set reads better than
// masks then).
func smallSet(cubes []Cube) ([]uint32, bool) {
	var out []uint32
	for _, cb := range cubes {
		free := ^cb.Mask
		if bitsSet(free) > 4 {
			return nil, false
		}
		// Enumerate the subsets of the free bits.
		for sub := uint32(0); ; sub = (sub - free) & free {
			out = append(out, cb.Value|sub)
			if len(out) > 16 {
				return nil, false
			}
			if sub == free {
				break
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, true
}

func bitsSet(v uint32) int {
	n := 0
	for ; v != 0; v &= v - 1 {
		n++
	}
	return n
}

// formatSet64 writes a 64-bit argument whose high word is h>>32 and low word is in cubes.
func formatSet64(x string, cubes []Cube, h uint64, cn func(uint64) string) string {
	c := Constraint{Cubes: cubes}
	if ivs, ok := c.Intervals(); ok {
		var scaled [][2]uint64
		for _, iv := range ivs {
			scaled = append(scaled, [2]uint64{h | uint64(iv[0]), h | uint64(iv[1])})
		}
		if h == 0 {
			return formatIntervals(x, scaled, ^uint64(0), cn)
		}
		return formatIntervals(x, scaled, ^uint64(0), cn)
	}
	var parts []string
	for _, cb := range cubes {
		parts = append(parts, formatCube(x, 0xffffffff00000000|uint64(cb.Mask), h|uint64(cb.Value), cn))
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, " || ") + ")"
}

// formatIntervals writes "x is in one of the ranges", with max the largest value of x.
func formatIntervals(x string, ivs [][2]uint64, max uint64, cn func(uint64) string) string {
	if len(ivs) == 2 && ivs[0][0] == 0 && ivs[1][1] == max && ivs[0][1]+2 == ivs[1][0] {
		return fmt.Sprintf("%s != %s", x, cn(ivs[0][1]+1))
	}
	var points []string
	var parts []string
	for _, iv := range ivs {
		switch {
		case iv[0] == iv[1]:
			points = append(points, cn(iv[0]))
		case iv[0] == 0 && iv[1] == max:
			return x + " >= 0" // every value: the caller's constraint is vacuous
		case iv[0] == 0:
			parts = append(parts, fmt.Sprintf("%s <= %s", x, hex(iv[1])))
		case iv[1] == max:
			parts = append(parts, fmt.Sprintf("%s >= %s", x, hex(iv[0])))
		default:
			parts = append(parts, fmt.Sprintf("%s >= %s && %s <= %s", x, hex(iv[0]), x, hex(iv[1])))
		}
	}
	switch len(points) {
	case 0:
	case 1:
		parts = append([]string{fmt.Sprintf("%s == %s", x, points[0])}, parts...)
	default:
		parts = append([]string{fmt.Sprintf("%s in {%s}", x, strings.Join(points, ", "))}, parts...)
	}
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

// formatCube writes x & mask == value, split into the bits that must be set and those that
// must be clear, one flag at a time where that reads better.
func formatCube(x string, mask, value uint64, cn func(uint64) string) string {
	set, clear := value, mask&^value
	var parts []string
	for _, b := range []struct {
		bits uint64
		op   string
	}{{set, "!="}, {clear, "=="}} {
		switch {
		case b.bits == 0:
		case b.bits&(b.bits-1) == 0 || namedBits(b.bits, cn):
			for bit := range eachBit(b.bits) {
				parts = append(parts, fmt.Sprintf("%s & %s %s 0", x, cn(bit), b.op))
			}
		case b.op == "!=":
			parts = append(parts, fmt.Sprintf("%s & %s == %s", x, hex(b.bits), hex(b.bits)))
		default:
			parts = append(parts, fmt.Sprintf("%s & %s == 0", x, hex(b.bits)))
		}
	}
	return strings.Join(parts, " && ")
}

// maxNamedBits is how many bits of a mask formatCube writes one by one, when each has a
// name: flags & O_TRUNC != 0 && flags & O_CREAT != 0 reads better than flags & 0x240 ==
// 0x240, up to a point.
const maxNamedBits = 4

// namedBits tells whether each bit of bits has a constant's name, and they are few.
func namedBits(bits uint64, cn func(uint64) string) bool {
	n := 0
	for bit := range eachBit(bits) {
		if n++; n > maxNamedBits || cn(bit) == hex(bit) {
			return false
		}
	}
	return true
}

// eachBit yields the set bits of v, lowest first.
func eachBit(v uint64) iter.Seq[uint64] {
	return func(yield func(uint64) bool) {
		for ; v != 0; v &= v - 1 {
			if !yield(v & -v) {
				return
			}
		}
	}
}
