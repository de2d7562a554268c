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
	}, Calls: []string{"getppid", "add_key"}, Kernel: []KernelRow{
		{Filter: "no filter", Runs: [][]float64{{100, 200}, {110, 190}, {300, 300}}},
		{Filter: "broken", Err: "install: a | b"},
	}}
	md := p.Markdown()
	for _, want := range []string{
		"| scc build docker.sc |  | 4.00 ms | 3.00 ms | 300 | 0.100 | 0.100 |",
		"- `scc build docker.sc` at most 0.10× libseccomp's process: 0.100× (0.100×), met.",
		"- `scc build docker.json` at most 0.12× libseccomp's process: 0.125× (0.133×), NOT met.",
		"- `scc run` adding at most 2 ms before it executes the command, from the policy: 3.00 ms (4.00 ms − 1.00 ms), NOT met.",
		"- `scc run` adding at most 2 ms before it executes the command, from a built blob: 1.50 ms (2.50 ms − 1.00 ms), met.",
		"| no filter | 110 ns | 200 ns |",
		`| broken | failed: install: a \| b | |`,
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the table lacks %q:\n%s", want, md)
		}
	}
}
