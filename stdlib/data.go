package stdlib

import (
	_ "embed"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The generated tables (see the package comment), parsed on first use.
var (
	//go:embed data/syscalls.txt
	syscallsTxt string
	//go:embed data/signatures.txt
	signaturesTxt string
	//go:embed data/constants.txt
	constantsTxt string
)

// sysTable is one arch's syscall table.
type sysTable struct {
	byName map[string]uint32 // aliases included
	byNr   map[uint32]string // the number's own name, never an alias
	names  []string          // sorted, without aliases
	nrs    []uint32          // the numbers of byNr, ascending
	max    uint32
	// blocks are the numbers where a block of the table starts that is kept apart from the
	// syscalls below it (x32's own calls, arm's private ones), ascending.
	blocks  []uint32
	aliases map[string]string // another name for a number -> the number's own name
	gaps    [][2]uint32       // see NewerGaps
}

// sigLine is one line of signatures.txt: a signature shared by some arches.
type sigLine struct {
	arches []string // nil: every arch that has the syscall
	source string
	params []rawParam
}

// rawParam is a parameter before its width is resolved for an arch.
type rawParam struct {
	class     byte // 'h': 16 bits, 'i': 32 bits, 'l': Arch.LongBits, 'q': 64 bits
	name, typ string
}

// constTable holds every arch's constants.
type constTable struct {
	common  map[string]uint64            // the same value on every arch
	perArch map[string]map[string]uint64 // arch -> name -> value, for the others
}

var (
	syscallsOnce sync.Once
	sysTables    map[string]*sysTable // by canonical arch name
	archTables   []*sysTable          // in the order of arches (nil for an arch without one)
	knownNames   map[string]bool

	sigsOnce sync.Once
	sigs     map[string][]sigLine

	constsOnce sync.Once
	consts     constTable
)

// loadSyscalls parses syscalls.txt; a malformed table is a build defect, so it panics.
func loadSyscalls() {
	lines := dataLines(syscallsTxt)
	header := strings.Fields(lines[0])
	if header[0] != "arches" {
		panic("stdlib: syscalls.txt: no arches line")
	}
	columns := header[1:]
	sysTables = map[string]*sysTable{}
	knownNames = map[string]bool{}
	for _, a := range columns {
		sysTables[a] = &sysTable{byName: map[string]uint32{}, byNr: map[uint32]string{}, aliases: map[string]string{}}
	}
	rows := lines[1:]
	for ; len(rows) > 0; rows = rows[1:] {
		f := strings.Fields(rows[0])
		if len(f) < 3 || f[0] != "block" && f[0] != "alias" {
			break // the syscalls start here
		}
		t := sysTables[f[1]]
		switch {
		case t != nil && f[0] == "block" && len(f) == 3:
			t.blocks = append(t.blocks, uint32(mustUint(f[2], 10, 32)))
		case t != nil && f[0] == "alias" && len(f) == 4:
			t.aliases[f[2]] = f[3]
		default:
			panic(fmt.Sprintf("stdlib: syscalls.txt: bad line %q", rows[0]))
		}
	}
	for _, line := range rows {
		f := strings.Fields(line)
		if len(f) != len(columns)+1 {
			panic(fmt.Sprintf("stdlib: syscalls.txt: bad line %q", line))
		}
		knownNames[f[0]] = true
		for i, a := range columns {
			if f[i+1] != "-" {
				sysTables[a].add(f[0], mustUint(f[i+1], 10, 32))
			}
		}
	}
	for _, a := range arches {
		archTables = append(archTables, sysTables[a.Name])
	}
	for a, t := range sysTables {
		t.nrs = slices.Sorted(maps.Keys(t.byNr))
		t.gaps = t.newerGaps()
		for alias, name := range t.aliases {
			if nr, ok := t.byName[name]; !ok || t.byName[alias] != nr {
				panic(fmt.Sprintf("stdlib: syscalls.txt: %s's alias %s is not %s's number", a, alias, name))
			}
		}
	}
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
		for nr := range t.byNr {
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

// add records one syscall; names arrive sorted.
func (t *sysTable) add(name string, nr uint64) {
	t.byName[name] = uint32(nr)
	if _, alias := t.aliases[name]; alias {
		return
	}
	t.byNr[uint32(nr)] = name
	t.names = append(t.names, name)
	t.max = max(t.max, uint32(nr))
}

// loadSignatures parses signatures.txt.
func loadSignatures() {
	sigs = map[string][]sigLine{}
	for _, line := range dataLines(signaturesTxt) {
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			panic(fmt.Sprintf("stdlib: signatures.txt: bad line %q", line))
		}
		sl := sigLine{source: f[2]}
		if f[1] != "*" {
			sl.arches = strings.Split(f[1], ",")
		}
		if f[3] != "" {
			for _, p := range strings.Split(f[3], "|") {
				sl.params = append(sl.params, parseRawParam(p))
			}
		}
		sigs[f[0]] = append(sigs[f[0]], sl)
	}
}

// parseRawParam parses "class name type".
func parseRawParam(s string) rawParam {
	f := strings.SplitN(s, " ", 3)
	if len(f) != 3 || len(f[0]) != 1 {
		panic(fmt.Sprintf("stdlib: signatures.txt: bad parameter %q", s))
	}
	p := rawParam{class: f[0][0], name: f[1], typ: f[2]}
	if p.name == "-" {
		p.name = ""
	}
	return p
}

// loadConstants parses constants.txt.
func loadConstants() {
	consts = constTable{common: map[string]uint64{}, perArch: map[string]map[string]uint64{}}
	for _, a := range arches {
		consts.perArch[a.Name] = map[string]uint64{}
	}
	for _, line := range dataLines(constantsTxt) {
		f := strings.Fields(line)
		switch {
		case len(f) == 2:
			consts.common[f[0]] = mustUint(f[1], 0, 64)
		case len(f) >= 3 && len(f)%2 == 1:
			for i := 1; i < len(f); i += 2 {
				v := mustUint(f[i], 0, 64)
				for _, a := range strings.Split(f[i+1], ",") {
					consts.perArch[a][f[0]] = v
				}
			}
		default:
			panic(fmt.Sprintf("stdlib: constants.txt: bad line %q", line))
		}
	}
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

func mustUint(s string, base, bits int) uint64 {
	v, err := strconv.ParseUint(s, base, bits)
	if err != nil {
		panic("stdlib: bad number in generated data: " + err.Error())
	}
	return v
}
