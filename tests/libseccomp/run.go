//go:build linux && cgo

package libseccomp

import (
	"math/bits"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/program/opcode"
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

// SwappedReturn tells whether prog, a program libseccomp built for an arch of the other byte
// order than the host's, returned on d a copy of a return instruction whose value is want
// with its bytes swapped, the original (returning want) standing later in the program. That
// is libseccomp's bug on such cross builds (2.5.4, and to 2.6.1 at least): when a jump to a
// return is longer than 255 instructions, _gen_bpf_build_jmp_ret copies the return nearer,
// passing the original's value, already in the target's byte order, to _gen_bpf_action,
// which converts it to the target's order once more. On a little-endian host building for
// s390x, ppc64 or mips64, KILL_PROCESS (0x80000000) so becomes 0x00000080, which the kernel
// reads as KILL_THREAD; built on a host of the target's order the copy is right.
func SwappedReturn(prog []bpf.RawInstruction, targetBigEndian bool, d program.SeccompData, want uint32) bool {
	if targetBigEndian == program.HostBigEndian() {
		return false
	}
	vm, err := program.NewVM(prog, bigEndianAudit(d.Arch))
	if err != nil {
		return false
	}
	ret, pcs := vm.Trace(d)
	if ret == want || ret != bits.ReverseBytes32(want) {
		return false
	}
	for _, ins := range prog[pcs[len(pcs)-1]+1:] {
		if ins.Op == opcode.RET|opcode.K && ins.K == want {
			return true
		}
	}
	return false
}
