//go:build linux && cgo

package libseccomp

import (
	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/program"
)

// Run runs a seccomp program on d as the kernel does and returns the filter's return value.
func Run(prog []bpf.RawInstruction, d program.SeccompData) (uint32, error) {
	ret, _, err := Exec(prog, d)
	return ret, err
}

// Exec runs a seccomp program on d with scc's emulator (the instructions seccomp accepts,
// with the kernel's semantics) and returns the filter's return value and the number of
// instructions executed. seccomp_data is laid out in the byte order of d.Arch (little-endian
// for an arch value this package does not know), as the kernel lays it out for a call of
// that arch. The error is the verifier's, for a program the kernel would refuse.
func Exec(prog []bpf.RawInstruction, d program.SeccompData) (ret uint32, steps int, err error) {
	vm, err := program.NewVM(prog, bigEndianAudit(d.Arch))
	if err != nil {
		return 0, 0, err
	}
	ret, steps = vm.Run(d)
	return ret, steps, nil
}
