package stdlib

import (
	"sort"
	"sync"
)

//go:generate go run ./internal/gen -go-only -out .

// The generated tables (ztables.go) are arrays the linker lays out in the binary: a name is
// looked up in a hash table of its slots, other searches are binary, and nothing is parsed
// when the process starts. Only
// what a caller asks of an arch as a whole (its number-to-name map, its sorted names) is
// built, once per arch, on first use.

// no marks a syscall an arch lacks in syscallNumbers.
const no = 0xffffffff

// syscallBlock is one line "block ARCH NR" of syscalls.txt.
type syscallBlock struct {
	arch int
	nr   uint32
}

// syscallAlias is one line "alias ARCH NAME OTHER" of syscalls.txt: on the arch, name is
// another name for of's number.
type syscallAlias struct {
	arch     int
	name, of string
}

// sigLine is one line of signatures.txt: a signature shared by some arches.
type sigLine struct {
	name   string
	arches uint32 // a bit per arch index; 0: every arch that has the syscall
	source string
	params []rawParam
}

// rawParam is a parameter before its width is resolved for an arch.
type rawParam struct {
	class     byte // 'h': 16 bits, 'i': 32 bits, 'l': Arch.LongBits, 'q': 64 bits
	name, typ string
}

// archConstant is a constant's value on a set of arches (a bit per arch index).
type archConstant struct {
	name   int // the index of its name in constantNames
	arches uint32
	value  uint64
}

// syscallName returns the i-th syscall name of syscallNames.
func syscallName(i int) string {
	start := 0
	if i > 0 {
		start = int(syscallNameEnds[i-1])
	}
	return syscallNames[start:syscallNameEnds[i]]
}

// syscallIndex returns the index of a syscall name in syscallNames, by syscallSlots.
func syscallIndex(name string) (int, bool) {
	mask := uint32(len(syscallSlots) - 1)
	for j := hash(name) & mask; syscallSlots[j] != 0; j = (j + 1) & mask {
		if i := int(syscallSlots[j]) - 1; syscallName(i) == name {
			return i, true
		}
	}
	return 0, false
}

// hash is the hash of the generated tables' slots: 32-bit FNV-1a (tables.Hash).
func hash(name string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(name); i++ {
		h = (h ^ uint32(name[i])) * 16777619
	}
	return h
}

// constantName returns the i-th constant name of constantNames.
func constantName(i int) string {
	start := 0
	if i > 0 {
		start = int(constantNameEnds[i-1])
	}
	return constantNames[start:constantNameEnds[i]]
}

// constantIndex returns the index of a constant name in constantNames, by constantSlots.
func constantIndex(name string) (int, bool) {
	mask := uint32(len(constantSlots) - 1)
	for j := hash(name) & mask; constantSlots[j] != 0; j = (j + 1) & mask {
		if i := int(constantSlots[j]) - 1; constantName(i) == name {
			return i, true
		}
	}
	return 0, false
}

// constantValue returns the value of the i-th constant on the arch of index a.
func constantValue(i, a int) (uint64, bool) {
	j := sort.Search(len(archConstants), func(j int) bool { return archConstants[j].name >= i })
	if j == len(archConstants) || archConstants[j].name != i {
		return constantValues[i], true // the same on every arch
	}
	for ; j < len(archConstants) && archConstants[j].name == i; j++ {
		if archConstants[j].arches&(1<<a) != 0 {
			return archConstants[j].value, true
		}
	}
	return 0, false
}

// sysTable is what the lookups need of one arch's syscall table as a whole, built from the
// generated arrays on first use.
type sysTable struct {
	arch   int               // the arch's index
	byNr   map[uint32]string // the number's own name, never an alias
	names  []string          // sorted, without aliases
	nrs    []uint32          // the numbers of byNr, ascending
	max    uint32
	blocks []uint32    // see syscallBlocks
	gaps   [][2]uint32 // see NewerGaps
}

var (
	sysTablesOnce [len(tableArches)]sync.Once
	sysTables     [len(tableArches)]*sysTable
)

// archTable returns the syscall table of the arch of index a, building it on first use.
func archTable(a int) *sysTable {
	sysTablesOnce[a].Do(func() { sysTables[a] = buildTable(a) })
	return sysTables[a]
}

// buildTable builds the table of the arch of index a.
func buildTable(a int) *sysTable {
	order := syscallOrder[a]
	t := &sysTable{arch: a, byNr: make(map[uint32]string, len(order)), nrs: make([]uint32, len(order))}
	for k, i := range order {
		nr := syscallNumbers[i][a]
		t.byNr[nr] = syscallName(int(i))
		t.nrs[k] = nr
	}
	if len(t.nrs) > 0 {
		t.max = t.nrs[len(t.nrs)-1]
	}
	t.names = make([]string, 0, len(order))
	for i := range syscallNumbers {
		if syscallNumbers[i][a] != no && !isAlias(a, syscallName(i)) {
			t.names = append(t.names, syscallName(i))
		}
	}
	for _, b := range syscallBlocks {
		if b.arch == a {
			t.blocks = append(t.blocks, b.nr)
		}
	}
	t.gaps = t.newerGaps()
	return t
}

// isAlias tells whether name is another name for a number on the arch of index a.
func isAlias(a int, name string) bool {
	for _, al := range syscallAliases {
		if al.arch == a && al.name == name {
			return true
		}
	}
	return false
}

// newerGaps computes NewerGaps: for each block, the numbers between the highest syscall
// below it (down to the previous block) and the block.
func (t *sysTable) newerGaps() [][2]uint32 {
	var gaps [][2]uint32
	for i, block := range t.blocks {
		var from uint32
		if i > 0 {
			from = t.blocks[i-1]
		}
		top, found := uint32(0), false
		for _, nr := range t.nrs {
			if nr >= from && nr < block && (!found || nr > top) {
				top, found = nr, true
			}
		}
		if found && top+1 < block {
			gaps = append(gaps, [2]uint32{top + 1, block - 1})
		}
	}
	return gaps
}

// signatureLines returns the lines of signatures for a syscall, in the order they apply.
func signatureLines(name string) []sigLine {
	i := sort.Search(len(signatures), func(i int) bool { return signatures[i].name >= name })
	j := i
	for j < len(signatures) && signatures[j].name == name {
		j++
	}
	return signatures[i:j]
}

// archIndex returns the index of a canonical arch name in tableArches.
func archIndex(name string) (int, bool) {
	for i, a := range tableArches {
		if a == name {
			return i, true
		}
	}
	return 0, false
}
