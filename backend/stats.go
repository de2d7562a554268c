package backend

import (
	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/program"
)

// ArchStats measures a program on one arch over a set of syscall numbers, each called with
// all arguments and the instruction pointer zero.
type ArchStats struct {
	Audit     uint32
	Syscalls  int     // numbers measured
	MaxSteps  int     // most instructions executed for one number
	MaxNr     uint32  // the first number that takes MaxSteps
	MeanSteps float64 // mean instructions executed
	// Cached lists the numbers whose verdict the kernel's action cache holds (always allow).
	Cached []uint32
}

// Stats runs prog with the emulator for every number in nrs on arch audit. The error is the
// verifier's, for a program the emulator does not run.
func Stats(prog []bpf.RawInstruction, audit uint32, nrs []uint32, bigEndian bool) (ArchStats, error) {
	st := ArchStats{Audit: audit, Syscalls: len(nrs)}
	vm, err := program.NewVM(prog, bigEndian)
	if err != nil {
		return st, err
	}
	total := 0
	for _, nr := range nrs {
		_, steps := vm.Run(program.SeccompData{Nr: int32(nr), Arch: audit})
		total += steps
		if steps > st.MaxSteps {
			st.MaxSteps, st.MaxNr = steps, nr
		}
		if program.CacheAllowed(prog, audit, nr) {
			st.Cached = append(st.Cached, nr)
		}
	}
	if len(nrs) > 0 {
		st.MeanSteps = float64(total) / float64(len(nrs))
	}
	return st, nil
}

// Numbers returns the syscall numbers lo..hi, for Stats.
func Numbers(lo, hi uint32) []uint32 {
	var nrs []uint32
	for n := uint64(lo); n <= uint64(hi); n++ {
		nrs = append(nrs, uint32(n))
	}
	return nrs
}
