package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/scc-dev/scc/bench"
)

// TestWriteArgGoals renders made-up results: a verdict per row, the equal program's length,
// the small policies' totals and counts.
func TestWriteArgGoals(t *testing.T) {
	g := argGoals{
		results: []bench.ArgResult{
			{Case: bench.ArgCase{Name: "set", MaxSteps: 20, MaxInstructions: 400}, Instructions: 375, WorstSteps: 19},
			{Case: bench.ArgCase{Name: "range", SameAs: "x", SameAsName: "`fd < 5000`"}, Instructions: 11, WorstSteps: 8, SameAsInstructions: 11, Same: true},
			{Case: bench.ArgCase{Name: "random", MaxInstructions: 2100, MaxSteps: 24}, Instructions: 2200, WorstSteps: 22},
		},
		small: bench.SmallResult{Policies: 900, SCC: 800, Tree: 1000, Linear: 950, LongerThanLinear: 3},
	}
	var b bytes.Buffer
	writeArgGoals(&b, g)
	md := b.String()
	for _, want := range []string{
		"| set | 375 | 19 | at most 400 instructions, at most 20 steps | met |",
		"| range | 11 | 8 | the program of `fd < 5000` (11 instructions; equal: true) | met |",
		"| random | 2,200 | 22 | at most 2,100 instructions, at most 24 steps | NOT met |",
		"the 900 that libseccomp builds), never longer than libseccomp's binary tree: longer on 0, met.",
		"scc 800, libseccomp tree 1,000, libseccomp linear 950 (scc 0.80× the tree, 0.84× the linear layout).",
		"Longer than the linear layout (no goal): 3 of 900.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("lacks %q:\n%s", want, md)
		}
	}
}
