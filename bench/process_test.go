package bench

import (
	"strings"
	"testing"
	"time"
)

// TestProcessesMarkdown checks the whole-process table and its goals on made-up runs.
func TestProcessesMarkdown(t *testing.T) {
	ms := func(wall, cpu float64) []Sample {
		return []Sample{{Time: time.Duration(wall * float64(time.Millisecond)), CPU: time.Duration(cpu * float64(time.Millisecond)),
			Faults: int64(100 * cpu)}}
	}
	p := &Processes{Rows: []ProcessRow{
		{Name: rowBuildSource, Samples: ms(4, 3)},
		{Name: rowBuildProfile, Samples: ms(5, 4)},
		{Name: rowLibTree, Samples: ms(40, 30)},
		{Name: rowHelper, Samples: ms(1, 1)},
		{Name: rowRunSource, Samples: ms(4, 3)},
		{Name: rowRunBlob, Samples: ms(2.5, 2)},
		{Name: rowVersion, Samples: ms(1.5, 1.2)},
	}, Calls: []string{"getppid", "add_key"}, Kernel: []KernelRow{
		{Filter: "no filter", Runs: [][]float64{{100, 200}, {110, 190}, {300, 300}}},
		{Filter: "broken", Err: "install: a | b"},
	}}
	stages := []Stage{
		{Name: "import", Time: 300 * time.Microsecond, Key: StageImport},
		{Name: "compile imported", Time: 200 * time.Microsecond, Key: StageCompileImported},
		{Name: "parse and compile", Time: 2 * time.Millisecond, Key: StageParseCompile},
		{Name: "optimize", Time: 400 * time.Microsecond, Key: StageOptimize},
		{Name: "emit", Time: 100 * time.Microsecond, Key: StageEmit},
	}
	md := p.Markdown(stages)
	for _, want := range []string{
		"| scc build docker.sc |  | 4.00 ms | 3.00 ms | 300 | 0.100 | 0.100 |",
		"- `scc build docker.sc` at most 0.10× libseccomp's process: 0.100× (0.100×), met.",
		"- `scc build docker.json` at most 0.12× libseccomp's process: 0.125× (0.133×), NOT met.",
		"- `scc run` adding at most 2 ms before it executes the command, from the policy: 3.00 ms (4.00 ms − 1.00 ms), NOT met.",
		"- `scc run` adding at most 2 ms before it executes the command, from a built blob: 1.50 ms (2.50 ms − 1.00 ms), met.",
		"a Go program that does nothing takes 1.00 ms",
		"- `scc build docker.sc`: 1.50 ms + 2.50 ms (parse and compile, optimize, emit) = 4.00 ms, 0.100× libseccomp's process; the goal 0.10× is above it.",
		"- `scc build docker.json`: 1.50 ms + 1.00 ms (import, compile, optimize, emit) = 2.50 ms, 0.062× libseccomp's process; the goal 0.12× is above it.",
		"The run goals have no floor of that kind",
		"But a run from the policy adds at least what a run from a blob adds plus the stages: 1.50 ms + 2.50 ms = 4.00 ms; the goal 2 ms is below it: out of reach without a faster start or faster stages.",
		"| no filter | 110 ns | 200 ns |",
		`| broken | failed: install: a \| b | |`,
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the table lacks %q:\n%s", want, md)
		}
	}
	if floors := p.Floors(stages[:4]); floors != "" {
		t.Errorf("floors without the emit stage: %q", floors)
	}
}
