package lint

import (
	"fmt"
	"testing"

	"github.com/scc-dev/scc/lint/lintgen"
)

func findingsText(l *linter) string {
	out := ""
	for _, d := range l.found {
		out += fmt.Sprintf("%s %s %s %s | %s\n", d.Pos, d.Severity, d.Check, d.Message, d.Hint)
	}
	return out
}

// Releasing a syscall's diagrams after its checks changes neither the findings nor the work
// the run's budget counts, also when the budget runs out; and it keeps only the diagrams of
// the syscalls that the later checks look at.
func TestReleasedDiagramsChangeNothing(t *testing.T) {
	for _, tc := range []struct {
		rules        int
		nodes, steps int64
	}{{40, 0, 0}, {300, 0, 0}, {300, 20_000, 80_000}, {120, 2_000, 8_000}} {
		exceeded := false
		for seed := range uint64(3) {
			if tc.nodes > 0 {
				withLimits(t, tc.nodes, tc.steps)
			}
			src := lintgen.Policy(tc.rules, seed)
			kept, keptSteps, keptNodes := lintWork(t, src)
			l, steps, nodes := runLint(t, src, false)
			if got, want := findingsText(l), findingsText(kept); got != want {
				t.Fatalf("%d rules, seed %d: findings differ when diagrams are released:\n%s\nkept:\n%s", tc.rules, seed, got, want)
			}
			if steps != keptSteps || nodes != keptNodes {
				t.Fatalf("%d rules, seed %d: work %d steps %d nodes, kept %d steps %d nodes", tc.rules, seed, steps, nodes, keptSteps, keptNodes)
			}
			exceeded = exceeded || len(ofCheck(l.found, NotAnalysed)) > 0
			released := 0
			for k, s := range l.syscalls {
				ap := l.res.Policy.Arches[0]
				for _, a := range l.res.Policy.Arches {
					if a.Arch.Name == k.arch {
						ap = a
					}
				}
				if later := neededLater(ap)[k.nr]; later != (s.m != nil) {
					t.Fatalf("%s on %s: needed later %v, diagrams held %v", s.name, k.arch, later, s.m != nil)
				}
				if s.m == nil {
					released++
				}
			}
			if released == 0 {
				t.Fatalf("%d rules, seed %d: no syscall's diagrams released", tc.rules, seed)
			}
		}
		if tc.nodes > 0 && !exceeded {
			t.Fatalf("%d rules within %d nodes: the budget never ran out", tc.rules, tc.nodes)
		}
	}
}
