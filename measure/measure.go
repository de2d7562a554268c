// Package measure reports what a built filter costs: its instructions, the steps the kernel
// executes per syscall (run in scc's emulator), and which allowed syscalls the kernel's action
// cache can answer without running the filter at all.
//
// It takes a built filter: it must not import the language or the compiler.
package measure

import (
	"fmt"
	"slices"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
)

// Report measures one filter.
type Report struct {
	Instructions int
	Arches       []ArchReport
}

// ArchReport measures a filter on one arch, over the syscalls of the arch's table, each
// called with all arguments zero.
type ArchReport struct {
	Arch      string
	Syscalls  int
	MeanSteps float64
	MaxSteps  int
	MaxName   string // a syscall that takes MaxSteps
	// WeightedMean is the mean of steps weighted by Weights (0 without weights).
	WeightedMean float64
	// ArgFreeAllowed counts the syscalls allowed whatever their arguments; Cached counts
	// those the kernel's action cache holds, NotCached names the others. On an arch whose
	// calls the cache never answers (NoCache, x32) Cached is 0 and NotCached empty: no
	// layout of the filter could change that, so there is nothing to fix.
	ArgFreeAllowed int
	Cached         int
	NotCached      []string
	// NoCache tells that the kernel's action cache never answers this arch's calls. That is
	// x32: its calls come with arch AUDIT_ARCH_X86_64 (syscall_get_arch in
	// arch/x86/include/asm/syscall.h: "x32 tasks should be considered AUDIT_ARCH_X86_64")
	// and nr with __X32_SYSCALL_BIT (0x40000000) set, and seccomp_cache_check_allow_bitmap
	// in kernel/seccomp.c (5.11+) answers only 0 <= nr < SECCOMP_ARCH_NATIVE_NR, x86_64's
	// NR_syscalls; arch/x86/include/asm/seccomp.h: "x32 will have __X32_SYSCALL_BIT set in
	// syscall number. We don't support caching them and they are treated as out of range
	// syscalls, which will always pass through the BPF filter."
	NoCache bool
}

// Measure runs f, built from p, on every syscall of each of p's arches. weights, when not
// nil, gives syscall frequencies by name for WeightedMean.
func Measure(p *ir.Policy, f *backend.Filter, weights map[string]float64) (Report, error) {
	r := Report{Instructions: len(f.Program)}
	for _, ap := range p.Arches {
		ar, err := measureArch(ap, f, weights)
		if err != nil {
			return r, fmt.Errorf("%s: %w", ap.Arch.Name, err)
		}
		r.Arches = append(r.Arches, ar)
	}
	return r, nil
}

func measureArch(ap *ir.ArchPolicy, f *backend.Filter, weights map[string]float64) (ArchReport, error) {
	// An arch with a mask on its numbers is x32 (the only one: stdlib's NrMask is
	// __X32_SYSCALL_BIT): its numbers are all above the kernel's cache bitmap.
	ar := ArchReport{Arch: ap.Arch.Name, NoCache: ap.Arch.NrMask != 0}
	nrs := make([]uint32, 0, len(ap.Names))
	for nr := range ap.Names {
		nrs = append(nrs, nr)
	}
	slices.Sort(nrs)
	vm, err := program.NewVM(f.Program, f.BigEndian)
	if err != nil {
		return ar, err
	}
	var total, weighted, weightSum float64
	for _, nr := range nrs {
		name := ap.Names[nr]
		_, steps := vm.Run(program.SeccompData{Nr: int32(nr), Arch: ap.Arch.Audit})
		ar.Syscalls++
		total += float64(steps)
		if steps > ar.MaxSteps {
			ar.MaxSteps, ar.MaxName = steps, name
		}
		if w := weights[name]; w > 0 {
			weighted += w * float64(steps)
			weightSum += w
		}
		ar.countCache(ap, f, nr)
	}
	if ar.Syscalls > 0 {
		ar.MeanSteps = total / float64(ar.Syscalls)
	}
	if weightSum > 0 {
		ar.WeightedMean = weighted / weightSum
	}
	return ar, nil
}

// countCache counts an argument-free allowed syscall, and whether it is cache-eligible.
func (ar *ArchReport) countCache(ap *ir.ArchPolicy, f *backend.Filter, nr uint32) {
	if !ArgFreeAllowed(ap, nr) {
		return
	}
	ar.ArgFreeAllowed++
	if ar.NoCache {
		return
	}
	if program.CacheAllowed(f.Program, ap.Arch.Audit, nr) {
		ar.Cached++
	} else {
		ar.NotCached = append(ar.NotCached, ap.Names[nr])
	}
}

// ArgFreeAllowed tells whether the policy allows nr whatever its arguments.
func ArgFreeAllowed(ap *ir.ArchPolicy, nr uint32) bool {
	for _, r := range ap.Rules[nr] {
		switch c := r.Cond.(type) {
		case nil:
			return r.Action == ir.ActAllow
		case ir.Const:
			if c {
				return r.Action == ir.ActAllow
			}
			continue
		}
		return false // a condition decides: the verdict depends on the arguments
	}
	if ap.Newer != nil && ap.IsNewer(nr) {
		return *ap.Newer == ir.ActAllow
	}
	return ap.Default == ir.ActAllow
}
