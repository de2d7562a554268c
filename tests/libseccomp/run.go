//go:build linux && cgo

package libseccomp

import (
	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/emulator"
	"github.com/scc-dev/scc/ir"
)

// Run runs a seccomp program on d as the kernel does and returns the filter's return value.
func Run(prog []bpf.RawInstruction, d ir.SeccompData) (uint32, error) {
	ret, _, err := Exec(prog, d)
	return ret, err
}

// Exec runs a seccomp program on d with scc's emulator (the instructions seccomp accepts,
// with the kernel's semantics) and returns the filter's return value and the number of
// instructions executed. seccomp_data is laid out in the byte order of d.Arch (little-endian
// for an arch value this package does not know), as the kernel lays it out for a call of
// that arch.
func Exec(prog []bpf.RawInstruction, d ir.SeccompData) (ret uint32, steps int, err error) {
	return emulator.Run(prog, d, bigEndianAudit(d.Arch))
}
