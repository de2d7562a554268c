package stdlib

import (
	"maps"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Arches returns every supported arch, in a stable order.
func Arches() []Arch {
	out := make([]Arch, len(arches))
	for i, a := range arches {
		out[i] = a
		out[i].Aliases = slices.Clone(a.Aliases)
	}
	return out
}

// LookupArch finds an arch by its canonical name or an alias, ignoring case.
func LookupArch(name string) (Arch, bool) {
	name = strings.ToLower(name)
	for _, a := range arches {
		if a.Name == name || slices.Contains(a.Aliases, name) {
			a.Aliases = slices.Clone(a.Aliases)
			return a, true
		}
	}
	return Arch{}, false
}

// HostArch returns the arch of the native ABI of the running program (by runtime.GOARCH), or
// the zero Arch when scc has no tables for it.
func HostArch() Arch {
	for _, a := range arches {
		if a.GoArch == runtime.GOARCH {
			a.Aliases = slices.Clone(a.Aliases)
			return a
		}
	}
	return Arch{}
}

// canonical returns the canonical name of an arch given by name or alias, without the
// allocations of LookupArch (it runs on every lookup).
func canonical(arch string) (string, bool) {
	for _, a := range arches {
		if a.Name == arch {
			return arch, true
		}
	}
	a, ok := LookupArch(arch)
	return a.Name, ok
}

// archByName returns the arch of a canonical name or alias, which must exist, sharing its
// Aliases (it runs on every lookup; callers must not let them out).
func archByName(arch string) Arch {
	name, _ := canonical(arch)
	for _, a := range arches {
		if a.Name == name {
			return a
		}
	}
	panic("stdlib: unknown arch " + arch)
}

// table returns the syscall table of an arch given by name or alias.
func table(arch string) (*sysTable, bool) {
	for i, a := range tableArches { // canonical names first: the compiler's lookups
		if a == arch {
			return archTable(i), true
		}
	}
	name, ok := canonical(arch)
	if !ok {
		return nil, false
	}
	i, ok := archIndex(name)
	if !ok {
		return nil, false
	}
	return archTable(i), true
}

// archOf returns the index of an arch given by name or alias, without building its table.
func archOf(arch string) (int, bool) {
	if i, ok := archIndex(arch); ok {
		return i, true
	}
	name, ok := canonical(arch)
	if !ok {
		return 0, false
	}
	return archIndex(name)
}

// SyscallNumber returns a syscall's number on an arch, Arch.NrMask included (x32's read is
// 0x40000000). It reports false for an unknown arch or a syscall the arch lacks.
func SyscallNumber(arch, name string) (uint32, bool) {
	a, ok := archOf(arch)
	if !ok {
		return 0, false
	}
	i, ok := syscallIndex(name)
	if !ok || syscallNumbers[i][a] == no {
		return 0, false
	}
	return syscallNumbers[i][a], true
}

// SyscallNumbers is SyscallNumber on several arches at once, the name looked up once: it
// appends to nrs the syscall's number on each of arches (Arch.NrMask included), -1 where the
// arch lacks it or is unknown, and tells whether any of them has it.
func SyscallNumbers(nrs []int64, name string, arches []string) ([]int64, bool) {
	i, known := syscallIndex(name)
	any := false
	for _, arch := range arches {
		a, ok := archOf(arch)
		if !known || !ok || syscallNumbers[i][a] == no {
			nrs = append(nrs, -1)
			continue
		}
		nrs, any = append(nrs, int64(syscallNumbers[i][a])), true
	}
	return nrs, any
}

// SyscallName returns the name of a syscall number (NrMask included) on an arch: its own
// name, never another name the arch gives it (arm's 341 is arm_sync_file_range, not
// sync_file_range2).
func SyscallName(arch string, nr uint32) (string, bool) {
	t, ok := table(arch)
	if !ok {
		return "", false
	}
	name, ok := t.byNr[nr]
	return name, ok
}

// SyscallTable returns a new map of an arch's syscall numbers (NrMask included) to their
// names (nil for an unknown arch).
func SyscallTable(arch string) map[uint32]string {
	t, ok := table(arch)
	if !ok {
		return nil
	}
	return maps.Clone(t.byNr)
}

// SharedSyscallTable is SyscallTable without the copy: the map is the table's own, shared by
// every caller, and must not be modified.
func SharedSyscallTable(arch string) map[uint32]string {
	t, ok := table(arch)
	if !ok {
		return nil
	}
	return t.byNr
}

// SharedSyscallNumbers returns the numbers of an arch's table, ascending (nil for an unknown
// arch): the keys of SharedSyscallTable, shared by every caller, and not to be modified.
func SharedSyscallNumbers(arch string) []uint32 {
	t, ok := table(arch)
	if !ok {
		return nil
	}
	return t.nrs
}

// SyscallNames returns the sorted names of an arch's syscalls (nil for an unknown arch), one
// per number: another name the arch gives a number (arm's sync_file_range2 for
// arm_sync_file_range) is left out, though SyscallNumber, ArchesWith and KnownSyscall know it.
func SyscallNames(arch string) []string {
	t, ok := table(arch)
	if !ok {
		return nil
	}
	return slices.Clone(t.names)
}

// MaxSyscall returns the highest syscall number of an arch's table, NrMask included (0 for
// an unknown arch).
func MaxSyscall(arch string) uint32 {
	t, ok := table(arch)
	if !ok {
		return 0
	}
	return t.max
}

// NewerGaps returns the ranges of numbers below an arch's highest, [lo, hi] inclusive,
// ascending, NrMask included, where syscalls newer than its table will land. Some tables keep
// numbers apart in a block of their own, with the syscalls below growing towards it: x32's own
// calls at 512-547 (syscall_64.tbl never numbers a new syscall there), arm's private calls
// from 0xf0000 (__ARM_NR_BASE). The numbers between the highest syscall below such a block
// and the block are for newer syscalls: on x32, 0x40000000+472 to 0x40000000+511 today. The
// numbers above MaxSyscall are newer syscalls' too, and not listed. nil when there are none.
func NewerGaps(arch string) [][2]uint32 {
	t, ok := table(arch)
	if !ok {
		return nil
	}
	return slices.Clone(t.gaps)
}

// KnownSyscall tells whether a syscall exists on at least one supported arch.
func KnownSyscall(name string) bool {
	_, ok := syscallIndex(name)
	return ok
}

// AllSyscallNames returns the sorted names of the syscalls of every arch, for "did you mean".
//
// It is never inlined: inlined where its slice does not escape, the slice (8 KB, its length
// a constant) would be put in the caller's stack frame, and every call of that caller, on
// the paths that never ask for a suggestion too, would grow the goroutine's stack for it.
//
//go:noinline
func AllSyscallNames() []string {
	names := make([]string, len(syscallNameEnds))
	for i := range names {
		names[i] = syscallName(i)
	}
	return names
}

// ArchesWith returns the canonical names of the arches that have a syscall, in Arches() order.
func ArchesWith(name string) []string {
	i, ok := syscallIndex(name)
	if !ok {
		return nil
	}
	var out []string
	for _, a := range arches {
		if j, ok := archIndex(a.Name); ok && syscallNumbers[i][j] != no {
			out = append(out, a.Name)
		}
	}
	return out
}

// LookupSignature returns a syscall's parameters on an arch, with Param.Bits resolved for
// it. It reports false when the arch lacks the syscall or no source gives its signature
// (the positional names arg0..arg5 still apply then). Parameters the sources leave unnamed
// have Name "". On i386 and arm a 64-bit parameter takes two registers, named NAME_lo and
// NAME_hi (arm first skips to an even register: an unnamed "padding" parameter).
func LookupSignature(arch, name string) (Signature, bool) {
	i, ok := archOf(arch)
	if !ok {
		return Signature{}, false
	}
	if _, ok := SyscallNumber(tableArches[i], name); !ok {
		return Signature{}, false
	}
	a := archByName(tableArches[i])
	for _, sl := range signatureLines(name) {
		if sl.arches == 0 || sl.arches&(1<<i) != 0 {
			return sl.signature(a), true
		}
	}
	return Signature{}, false
}

// signature resolves a line's parameter widths for an arch.
func (sl sigLine) signature(a Arch) Signature {
	sig := Signature{Source: sl.source, Params: make([]Param, len(sl.params))}
	for i, p := range sl.params {
		bits := 32
		switch p.class {
		case 'h':
			bits = 16 // umode_t: the kernel's syscall wrapper casts the register to 16 bits
		case 'l':
			bits = a.LongBits
			if a.NrMask != 0 {
				// x32's long and pointers are 32 bits in C, but x32 enters the 64-bit
				// syscalls, which read the whole register: compare all of it.
				bits = 64
			}
		case 'q':
			bits = 64
		}
		sig.Params[i] = Param{Name: p.name, Type: p.typ, Bits: bits, Long: p.class == 'l'}
	}
	return sig
}

// Constant returns the value of a named constant on an arch. Values are uint64; a negative
// C value is in two's complement (AT_FDCWD, -100, is 0xffffffffffffff9c), for the compiler
// to narrow to the argument's width. x32 has x86_64's constants.
func Constant(arch, name string) (uint64, bool) {
	a, ok := archOf(arch)
	if !ok {
		return 0, false
	}
	i, ok := constantIndex(name)
	if !ok {
		return 0, false
	}
	return constantValue(i, a)
}

var (
	constNamesMu sync.Mutex
	constNames   [len(tableArches)][]string // by arch index, built on first use
)

// ConstantNames returns the sorted names of an arch's constants (nil for an unknown arch).
func ConstantNames(arch string) []string {
	a, ok := archOf(arch)
	if !ok {
		return nil
	}
	constNamesMu.Lock()
	defer constNamesMu.Unlock()
	names := constNames[a]
	if names == nil {
		names = make([]string, 0, len(constantNameEnds))
		for i := range constantNameEnds {
			if _, ok := constantValue(i, a); ok {
				names = append(names, constantName(i))
			}
		}
		constNames[a] = names
	}
	return slices.Clone(names)
}

// ConstantsWithPrefix returns the names of an arch's constants that start with prefix,
// sorted, and their values (nil for an unknown arch): a family of constants, such as AF_ or
// CLONE_, found by a binary search of the table rather than by listing every constant.
func ConstantsWithPrefix(arch, prefix string) (names []string, values []uint64) {
	a, ok := archOf(arch)
	if !ok {
		return nil, nil
	}
	n := len(constantNameEnds)
	lo := sort.Search(n, func(i int) bool { return constantName(i) >= prefix })
	hi := lo
	for hi < n && strings.HasPrefix(constantName(hi), prefix) {
		hi++
	}
	names, values = make([]string, 0, hi-lo), make([]uint64, 0, hi-lo)
	for i := lo; i < hi; i++ {
		if v, ok := constantValue(i, a); ok {
			names, values = append(names, constantName(i)), append(values, v)
		}
	}
	return names, values
}

// KnownConstant tells whether a constant of that name exists on any arch (every line of the
// constants' table gives a value on one arch at least).
func KnownConstant(name string) bool {
	_, ok := constantIndex(name)
	return ok
}
