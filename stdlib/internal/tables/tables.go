// Package tables turns stdlib's text tables (data/syscalls.txt, data/signatures.txt,
// data/constants.txt, written by stdlib/internal/gen) into ztables.go: the same data as Go
// arrays that the linker lays out in the binary, so that a process reads them in place
// instead of parsing text when it starts. Names are sorted for binary search; nothing in
// ztables.go is a map, so the package has no initialization code to run.
//
// Parse reads the text tables; Tables.Go renders ztables.go. stdlib's tests check that the
// checked-in ztables.go is what Go renders from the checked-in text, and that every lookup
// answers as the text says.
package tables

import (
	"bytes"
	"cmp"
	"fmt"
	"go/format"
	"slices"
	"strconv"
	"strings"
)

// NoSyscall marks a syscall an arch lacks in Tables.Numbers.
const NoSyscall = 0xffffffff

// Tables is the content of the three text tables.
type Tables struct {
	Arches   []string    // the syscall table's columns, in stdlib's arch order
	Syscalls []string    // every syscall name of every arch, sorted (aliases included)
	Numbers  [][]uint32  // Numbers[i][a]: Syscalls[i]'s number on Arches[a], or NoSyscall
	Blocks   []Block     // by arch, then number
	Aliases  []Alias     // by arch, then name
	Sigs     []Signature // sorted by name, then in the file's order
	Consts   []Constant  // sorted by name
}

// Block says that a block of an arch's table starts at Nr, apart from the syscalls below it.
type Block struct {
	Arch int
	Nr   uint32
}

// Alias says that on an arch, Name is another name for Of's number.
type Alias struct {
	Arch     int
	Name, Of string
}

// Signature is one line of signatures.txt.
type Signature struct {
	Name   string
	Arches uint32 // a bit per arch index; 0: every arch that has the syscall
	Source string
	Params []Param
}

// Param is one parameter of a signature: Class is 'h' (16 bits), 'i' (32), 'l' (the ABI's
// long) or 'q' (64); Name is "" when the sources leave it unnamed.
type Param struct {
	Class      byte
	Name, Type string
}

// Constant is one line of constants.txt: a value on every arch, or values per arch.
type Constant struct {
	Name    string
	Value   uint64       // the value on every arch, when PerArch is nil
	PerArch []ArchValues // else the value of each group of arches
}

// ArchValues is a constant's value on a set of arches (a bit per arch index).
type ArchValues struct {
	Arches uint32
	Value  uint64
}

// Parse reads the three text tables.
func Parse(syscalls, signatures, constants string) (*Tables, error) {
	t := &Tables{}
	if err := t.parseSyscalls(syscalls); err != nil {
		return nil, fmt.Errorf("syscalls.txt: %w", err)
	}
	if err := t.parseSignatures(signatures); err != nil {
		return nil, fmt.Errorf("signatures.txt: %w", err)
	}
	if err := t.parseConstants(constants); err != nil {
		return nil, fmt.Errorf("constants.txt: %w", err)
	}
	return t, nil
}

// parseSyscalls reads syscalls.txt: the arches line, block and alias lines, then a line per
// syscall with its number on each arch ('-': absent).
func (t *Tables) parseSyscalls(text string) error {
	lines := dataLines(text)
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "arches ") {
		return fmt.Errorf("no arches line")
	}
	t.Arches = strings.Fields(lines[0])[1:]
	if len(t.Arches) > 32 {
		return fmt.Errorf("%d arches: at most 32 fit an arch set", len(t.Arches))
	}
	rows := lines[1:]
	for ; len(rows) > 0; rows = rows[1:] {
		f := strings.Fields(rows[0])
		if len(f) < 3 || f[0] != "block" && f[0] != "alias" {
			break // the syscalls start here
		}
		a := slices.Index(t.Arches, f[1])
		switch {
		case a >= 0 && f[0] == "block" && len(f) == 3:
			nr, err := strconv.ParseUint(f[2], 10, 32)
			if err != nil {
				return err
			}
			t.Blocks = append(t.Blocks, Block{a, uint32(nr)})
		case a >= 0 && f[0] == "alias" && len(f) == 4:
			t.Aliases = append(t.Aliases, Alias{a, f[2], f[3]})
		default:
			return fmt.Errorf("bad line %q", rows[0])
		}
	}
	for _, line := range rows {
		f := strings.Fields(line)
		if len(f) != len(t.Arches)+1 {
			return fmt.Errorf("bad line %q", line)
		}
		nrs := make([]uint32, len(t.Arches))
		for a := range t.Arches {
			nrs[a] = NoSyscall
			if f[a+1] == "-" {
				continue
			}
			nr, err := strconv.ParseUint(f[a+1], 10, 32)
			if err != nil || nr == NoSyscall {
				return fmt.Errorf("bad number in %q", line)
			}
			nrs[a] = uint32(nr)
		}
		t.Syscalls = append(t.Syscalls, f[0])
		t.Numbers = append(t.Numbers, nrs)
	}
	if len(t.Syscalls) >= 1<<16 {
		return fmt.Errorf("%d syscalls: more than 16-bit hash slots hold", len(t.Syscalls))
	}
	if !sortedUnique(t.Syscalls) {
		return fmt.Errorf("the syscalls are not sorted or not unique")
	}
	slices.SortStableFunc(t.Blocks, func(x, y Block) int { return x.Arch - y.Arch })
	slices.SortStableFunc(t.Aliases, func(x, y Alias) int { return x.Arch - y.Arch })
	if err := t.checkAliases(); err != nil {
		return err
	}
	for a, arch := range t.Arches { // a number has one name of its own
		order := t.order(a)
		for k := 1; k < len(order); k++ {
			if x, y := order[k-1], order[k]; t.Numbers[x][a] == t.Numbers[y][a] {
				return fmt.Errorf("%s: %s and %s have the number %d, and neither is an alias", arch, t.Syscalls[x], t.Syscalls[y], t.Numbers[x][a])
			}
		}
	}
	return nil
}

// checkAliases checks that each alias names a syscall with the number of the one it is
// another name for.
func (t *Tables) checkAliases() error {
	for _, al := range t.Aliases {
		i, ok := slices.BinarySearch(t.Syscalls, al.Name)
		j, ok2 := slices.BinarySearch(t.Syscalls, al.Of)
		if !ok || !ok2 || t.Numbers[i][al.Arch] == NoSyscall || t.Numbers[i][al.Arch] != t.Numbers[j][al.Arch] {
			return fmt.Errorf("%s's alias %s is not %s's number", t.Arches[al.Arch], al.Name, al.Of)
		}
	}
	return nil
}

// parseSignatures reads signatures.txt: tab-separated name, arches ('*' or a comma list),
// source, and the parameters separated by '|', each "class name type".
func (t *Tables) parseSignatures(text string) error {
	for _, line := range dataLines(text) {
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			return fmt.Errorf("bad line %q", line)
		}
		s := Signature{Name: f[0], Source: f[2]}
		if f[1] != "*" {
			set, err := t.archSet(f[1])
			if err != nil {
				return fmt.Errorf("%w in %q", err, line)
			}
			s.Arches = set
		}
		if f[3] != "" {
			for _, p := range strings.Split(f[3], "|") {
				pf := strings.SplitN(p, " ", 3)
				if len(pf) != 3 || len(pf[0]) != 1 || !strings.Contains("hilq", pf[0]) {
					return fmt.Errorf("bad parameter %q", p)
				}
				if pf[1] == "-" {
					pf[1] = ""
				}
				s.Params = append(s.Params, Param{Class: pf[0][0], Name: pf[1], Type: pf[2]})
			}
		}
		t.Sigs = append(t.Sigs, s)
	}
	slices.SortStableFunc(t.Sigs, func(x, y Signature) int { return strings.Compare(x.Name, y.Name) })
	return nil
}

// parseConstants reads constants.txt: NAME VALUE, or NAME then VALUE ARCH,ARCH... pairs.
func (t *Tables) parseConstants(text string) error {
	for _, line := range dataLines(text) {
		f := strings.Fields(line)
		if len(f) < 2 || len(f) > 2 && len(f)%2 == 0 {
			return fmt.Errorf("bad line %q", line)
		}
		c := Constant{Name: f[0]}
		for i := 1; i < len(f); i += 2 {
			v, err := strconv.ParseUint(f[i], 0, 64)
			if err != nil {
				return fmt.Errorf("bad value in %q", line)
			}
			if len(f) == 2 {
				c.Value = v
				break
			}
			set, err := t.archSet(f[i+1])
			if err != nil {
				return fmt.Errorf("%w in %q", err, line)
			}
			c.PerArch = append(c.PerArch, ArchValues{set, v})
		}
		t.Consts = append(t.Consts, c)
	}
	slices.SortFunc(t.Consts, func(x, y Constant) int { return strings.Compare(x.Name, y.Name) })
	if len(t.Consts) >= 1<<16 {
		return fmt.Errorf("%d constants: more than 16-bit hash slots hold", len(t.Consts))
	}
	for i := 1; i < len(t.Consts); i++ {
		if t.Consts[i].Name == t.Consts[i-1].Name {
			return fmt.Errorf("%s is on two lines", t.Consts[i].Name)
		}
	}
	return nil
}

// archSet turns a comma list of arch names into a bit per arch index.
func (t *Tables) archSet(list string) (uint32, error) {
	var set uint32
	for _, name := range strings.Split(list, ",") {
		a := slices.Index(t.Arches, name)
		if a < 0 {
			return 0, fmt.Errorf("unknown arch %q", name)
		}
		set |= 1 << a
	}
	return set, nil
}

// dataLines returns the lines of a data file without comments and blank lines.
func dataLines(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}

func sortedUnique(s []string) bool {
	for i := 1; i < len(s); i++ {
		if s[i-1] >= s[i] {
			return false
		}
	}
	return true
}

// Go renders ztables.go, gofmt'd.
func (t *Tables) Go() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("// Code generated by stdlib/internal/gen from data/*.txt; DO NOT EDIT.\n\npackage stdlib\n\n")
	fmt.Fprintf(&b, "// tableArches are the tables' arches, in the order of arches: the indices of arch sets.\n")
	fmt.Fprintf(&b, "var tableArches = [...]string{%s}\n\n", quoteAll(t.Arches))
	t.writeSyscalls(&b)
	t.writeSignatures(&b)
	t.writeConstants(&b)
	return format.Source(b.Bytes())
}

// writeSyscalls writes the syscall names, their numbers, the blocks and the aliases.
func (t *Tables) writeSyscalls(b *bytes.Buffer) {
	b.WriteString("// syscallNames is every syscall name of every arch, sorted, end to end; the i-th ends at\n// syscallNameEnds[i].\n")
	writeNames(b, "syscallNames", "syscallNameEnds", "uint16", t.Syscalls)
	b.WriteString("// syscallSlots is a hash table of syscallNames (see Slots).\n")
	writeSlots(b, "syscallSlots", t.Syscalls)
	b.WriteString("// syscallNumbers[i][a] is the i-th syscall's number on the a-th arch (NrMask included), or\n// noSyscall.\n")
	fmt.Fprintf(b, "var syscallNumbers = [...][%d]uint32{\n", len(t.Arches))
	for i, name := range t.Syscalls {
		b.WriteString("\t{")
		for a, nr := range t.Numbers[i] {
			if a > 0 {
				b.WriteString(", ")
			}
			if nr == NoSyscall {
				b.WriteString("no")
			} else {
				fmt.Fprint(b, nr)
			}
		}
		fmt.Fprintf(b, "}, // %s\n", name)
	}
	b.WriteString("}\n\n")
	b.WriteString("// syscallOrder[a] lists the indices of the a-th arch's syscalls, aliases left out, by number.\n")
	fmt.Fprintf(b, "var syscallOrder = [%d][]uint16{\n", len(t.Arches))
	for a, arch := range t.Arches {
		fmt.Fprintf(b, "\t{ // %s", arch)
		for k, i := range t.order(a) {
			if k%16 == 0 {
				b.WriteString("\n\t\t")
			} else {
				b.WriteString(" ")
			}
			fmt.Fprintf(b, "%d,", i)
		}
		b.WriteString("\n\t},\n")
	}
	b.WriteString("}\n\n")
	b.WriteString("// syscallBlocks are the numbers where a block of an arch's table starts, apart from the\n// syscalls below it, by arch and number.\n")
	b.WriteString("var syscallBlocks = [...]syscallBlock{\n")
	for _, bl := range t.Blocks {
		fmt.Fprintf(b, "\t{arch: %d, nr: %#x}, // %s\n", bl.Arch, bl.Nr, t.Arches[bl.Arch])
	}
	b.WriteString("}\n\n")
	b.WriteString("// syscallAliases are the other names an arch gives a number, by arch.\n")
	b.WriteString("var syscallAliases = [...]syscallAlias{\n")
	for _, al := range t.Aliases {
		fmt.Fprintf(b, "\t{arch: %d, name: %q, of: %q}, // %s\n", al.Arch, al.Name, al.Of, t.Arches[al.Arch])
	}
	b.WriteString("}\n\n")
}

// order returns the indices of arch a's syscalls, aliases left out, by number.
func (t *Tables) order(a int) []int {
	var out []int
	for i, name := range t.Syscalls {
		alias := slices.ContainsFunc(t.Aliases, func(al Alias) bool { return al.Arch == a && al.Name == name })
		if t.Numbers[i][a] != NoSyscall && !alias {
			out = append(out, i)
		}
	}
	slices.SortStableFunc(out, func(i, j int) int { return cmp.Compare(t.Numbers[i][a], t.Numbers[j][a]) })
	return out
}

// writeSignatures writes the signatures, sorted by name.
func (t *Tables) writeSignatures(b *bytes.Buffer) {
	b.WriteString("// signatures are the syscalls' parameters, sorted by name; a syscall's lines in the order\n")
	b.WriteString("// of the first that applies to an arch (arches: a bit per arch; 0: every arch).\n")
	b.WriteString("var signatures = [...]sigLine{\n")
	for _, s := range t.Sigs {
		fmt.Fprintf(b, "\t{%q, %#x, %q, []rawParam{", s.Name, s.Arches, s.Source)
		for i, p := range s.Params {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(b, "{'%c', %q, %q}", p.Class, p.Name, p.Type)
		}
		b.WriteString("}},\n")
	}
	b.WriteString("}\n\n")
}

// writeConstants writes the constants' names, their values and the values per arch.
func (t *Tables) writeConstants(b *bytes.Buffer) {
	names := make([]string, len(t.Consts))
	for i, c := range t.Consts {
		names[i] = c.Name
	}
	b.WriteString("// constantNames is every constant's name, sorted, end to end; the i-th ends at\n// constantNameEnds[i].\n")
	writeNames(b, "constantNames", "constantNameEnds", "uint32", names)
	b.WriteString("// constantSlots is a hash table of constantNames (see Slots).\n")
	writeSlots(b, "constantSlots", names)
	b.WriteString("// constantValues[i] is the i-th constant's value on every arch, or 0 when its value differs\n")
	b.WriteString("// between arches or it exists only on some: its values are then in archConstants.\n")
	b.WriteString("var constantValues = [...]uint64{")
	for i, c := range t.Consts {
		if i%8 == 0 {
			b.WriteString("\n\t")
		} else {
			b.WriteString(" ")
		}
		if c.PerArch != nil {
			b.WriteString("0,")
		} else {
			fmt.Fprintf(b, "%#x,", c.Value)
		}
	}
	b.WriteString("\n}\n\n")
	b.WriteString("// archConstants are the values of the constants that differ between arches, by name.\n")
	b.WriteString("var archConstants = [...]archConstant{\n")
	for i, c := range t.Consts {
		for _, v := range c.PerArch {
			fmt.Fprintf(b, "\t{%d, %#x, %#x}, // %s\n", i, v.Arches, v.Value, c.Name)
		}
	}
	b.WriteString("}\n")
}

// Hash is the 32-bit FNV-1a hash of a name, the hash of Slots' tables.
func Hash(name string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(name); i++ {
		h = (h ^ uint32(name[i])) * 16777619
	}
	return h
}

// Slots builds an open-addressing hash table of names: a power of two of slots, at least
// four per name; name i goes to the first free slot from Hash(name) modulo the size on, as
// i+1 (0 is a free slot). A lookup hashes the name and compares it with the names of the
// slots from there to the first free one.
func Slots(names []string) []uint16 {
	size := 1
	for size < 4*len(names) {
		size *= 2
	}
	slots := make([]uint16, size)
	for i, n := range names {
		j := Hash(n) & uint32(size-1)
		for slots[j] != 0 {
			j = (j + 1) & uint32(size-1)
		}
		slots[j] = uint16(i + 1)
	}
	return slots
}

// writeSlots writes Slots(names) as an array.
func writeSlots(b *bytes.Buffer, name string, names []string) {
	slots := Slots(names)
	fmt.Fprintf(b, "var %s = [%d]uint16{", name, len(slots))
	for i, v := range slots {
		if i%16 == 0 {
			b.WriteString("\n\t")
		} else {
			b.WriteString(" ")
		}
		fmt.Fprintf(b, "%d,", v)
	}
	b.WriteString("\n}\n\n")
}

// writeNames writes names end to end as a string constant, and the end of each in an array
// of the given element type.
func writeNames(b *bytes.Buffer, text, ends, typ string, names []string) {
	fmt.Fprintf(b, "const %s = \"\" +\n", text)
	line := ""
	for i, n := range names {
		line += n
		if len(line) > 80 || i == len(names)-1 {
			fmt.Fprintf(b, "\t%q", line)
			if i < len(names)-1 {
				b.WriteString(" +")
			}
			b.WriteString("\n")
			line = ""
		}
	}
	fmt.Fprintf(b, "\nvar %s = [...]%s{", ends, typ)
	end := 0
	for i, n := range names {
		end += len(n)
		if i%12 == 0 {
			b.WriteString("\n\t")
		} else {
			b.WriteString(" ")
		}
		fmt.Fprintf(b, "%d,", end)
	}
	b.WriteString("\n}\n\n")
}

func quoteAll(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = strconv.Quote(x)
	}
	return strings.Join(q, ", ")
}
