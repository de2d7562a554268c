//go:build linux && cgo

package docker

import (
	"slices"
	"testing"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/measure"
	"github.com/scc-dev/scc/program"
)

// The targets for scc's filter of Docker's default profile.
const (
	maxInstructionRatio = 0.5 // of libseccomp's binary tree's instructions
	maxMeanSteps        = 11  // over the x86_64 table, zero arguments
	maxMaxSteps         = 30
)

// libSteps is the mean and maximum steps of libseccomp's filter over the syscalls of an arch's
// table, each called with zero arguments, as measure.Measure counts scc's.
func libSteps(t *testing.T, p pair, ap *ir.ArchPolicy) (mean float64, max int, maxName string) {
	t.Helper()
	nrs := make([]uint32, 0, len(ap.Names))
	for nr := range ap.Names {
		nrs = append(nrs, nr)
	}
	slices.Sort(nrs)
	total := 0
	for _, nr := range nrs {
		_, steps := p.runLib(t, program.SeccompData{Nr: int32(nr), Arch: ap.Arch.Audit})
		total += steps
		if steps > max {
			max, maxName = steps, ap.Names[nr]
		}
	}
	return float64(total) / float64(len(nrs)), max, maxName
}

// TestCost compares the size and speed of both filters and checks the targets: scc at
// most half libseccomp's instructions, mean steps over the x86_64 table at most 11, max at
// most 30, and every argument-free allowed syscall of x86_64 and i386 cache-eligible.
func TestCost(t *testing.T) {
	for _, s := range setups {
		t.Run(s.name, func(t *testing.T) {
			p := build(t, s)
			rep, err := measure.Measure(p.scc.Policy, p.scc.Filter, nil)
			if err != nil {
				t.Fatal(err)
			}
			sccN, libN := rep.Instructions, len(p.lib)
			t.Logf("instructions: scc %d, libseccomp (binary tree) %d: %.2f", sccN, libN, float64(sccN)/float64(libN))
			if float64(sccN) > maxInstructionRatio*float64(libN) {
				t.Errorf("scc's filter has %d instructions, more than %.0f%% of libseccomp's %d (target %d)",
					sccN, 100*maxInstructionRatio, libN, int(maxInstructionRatio*float64(libN)))
			}
			for _, ar := range rep.Arches {
				checkArch(t, p, ar)
			}
		})
	}
}

// checkArch logs one arch's steps for both filters and checks the targets on x86_64 and the
// action cache on the arches the kernel caches.
func checkArch(t *testing.T, p pair, ar measure.ArchReport) {
	t.Helper()
	mean, max, maxName := libSteps(t, p, p.arch(t, ar.Arch))
	t.Logf("%s: steps mean/max: scc %.2f/%d (%s), libseccomp %.2f/%d (%s); cache-eligible: %d of %d argument-free allowed",
		ar.Arch, ar.MeanSteps, ar.MaxSteps, ar.MaxName, mean, max, maxName, ar.Cached, ar.ArgFreeAllowed)
	if len(ar.NotCached) > 0 {
		t.Errorf("%s: argument-free allowed syscalls the kernel cannot cache: %v", ar.Arch, ar.NotCached)
	}
	if ar.Arch != "x86_64" {
		return
	}
	if ar.MeanSteps > maxMeanSteps || ar.MaxSteps > maxMaxSteps {
		t.Errorf("x86_64 steps: mean %.2f (target ≤ %d), max %d (target ≤ %d)", ar.MeanSteps, maxMeanSteps, ar.MaxSteps, maxMaxSteps)
	}
	if ar.MeanSteps > mean || ar.MaxSteps > max {
		t.Errorf("x86_64 steps: scc %.2f/%d, more than libseccomp's %.2f/%d", ar.MeanSteps, ar.MaxSteps, mean, max)
	}
}
