// Package stdlib holds the data the compiler needs, embedded in the binary: per-arch syscall
// tables, syscall signatures, per-arch constants (generated from real sources by the program in
// stdlib/internal/gen, output checked in), and the standard syscall groups written in .sc.
package stdlib

import "embed"

// Arch describes an architecture scc can build filters for.
type Arch struct {
	Name      string   // canonical name: "x86_64", "i386", "x32", "aarch64", "arm", ...
	Aliases   []string // other accepted names: "amd64", "x86-64", "arm64", "386", ...
	GoArch    string   // the GOARCH whose kernel ABI this is ("" when Go has none, as for x32)
	Audit     uint32   // AUDIT_ARCH_* value
	LongBits  int      // width of long and pointers in this ABI: 32 or 64
	BigEndian bool
	// NrMask is the bit all of this ABI's syscall numbers carry (x32: 0x40000000), else 0.
	NrMask uint32
}

// Param is one parameter of a syscall.
type Param struct {
	Name string // user-facing name, e.g. "prot"
	Type string // C type, e.g. "unsigned long", "const char *"
	// Bits is how many bits of the argument register the kernel reads on this arch: 32 for
	// int and unsigned int (and everything on 32-bit ABIs), 64 for long, pointers, u64, ...
	Bits int
}

// Signature is the parameter list of a syscall on one arch.
type Signature struct {
	Params []Param
	Source string // where the names came from: "syscalls.h", "man2", ...
}

// Groups holds the standard groups, one .sc file each (groups/*.sc), parsed by the compiler.
//
//go:embed groups/*.sc
var Groups embed.FS
