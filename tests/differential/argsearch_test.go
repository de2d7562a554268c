package differential_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/scc-dev/scc/bench"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/program"
)

// TestArgumentGoals holds scc to the argument-search goals that BENCHMARKS.md shows
// (bench.ArgCases): a 300-value set decided in at most 20 steps, where testing the values one
// by one took 307; 5,000 rules fd == i making the program of fd < 5000; 1,000 random values
// in at most 2,100 instructions and 24 steps; a generated 1,000-rule policy on three arches
// within the kernel's 4,096 instructions. bench.MeasureArg checks every call's verdict
// against the policy's.
func TestArgumentGoals(t *testing.T) {
	for _, c := range bench.ArgCases() {
		res, err := bench.MeasureArg(c)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Met() {
			t.Errorf("%s: %d instructions, %d steps (same program as %s: %v); want %s",
				c.Name, res.Instructions, res.WorstSteps, c.SameAsName, res.Same, c.Goal())
		}
		t.Logf("%s: %d instructions, %d steps", c.Name, res.Instructions, res.WorstSteps)
	}
}

// TestArgSearch64 checks a search over both halves of a 64-bit argument: values that share
// a high word and values that do not, as ranges and single values.
func TestArgSearch64(t *testing.T) {
	r := newRand(3, 64)
	var vals []uint64
	for range 200 {
		h := r.Uint64N(8) << 32
		if r.IntN(4) == 0 {
			h = r.Uint64() &^ (1<<32 - 1)
		}
		vals = append(vals, h|r.Uint64N(1<<32))
	}
	var b strings.Builder
	b.WriteString("policy p {\n arch x86_64\n default errno(EPERM)\n")
	for i, v := range vals {
		switch i % 5 {
		case 0:
			fmt.Fprintf(&b, " allow lseek if offset < %d && offset >= %d\n", v, v-v%1000)
		case 1:
			fmt.Fprintf(&b, " errno(EINVAL) lseek if offset == %d\n", v)
		default:
			fmt.Fprintf(&b, " allow lseek if offset == %d\n", v)
		}
	}
	b.WriteString("}\n")
	var calls []program.SeccompData
	for _, v := range vals {
		for _, x := range []uint64{v, v + 1, v - 1, v - v%1000, v ^ 1<<32, v &^ (1<<32 - 1)} {
			calls = append(calls, program.SeccompData{Nr: 8, Arch: ir.AuditArchX86_64, Args: [6]uint64{0, x}})
		}
	}
	c := bench.ArgCase{
		Name:     "200 lseek rules on 64-bit offsets",
		Source:   b.String(),
		Calls:    func(*pipeline.Output) []program.SeccompData { return calls },
		MaxSteps: 40,
	}
	res, err := bench.MeasureArg(c)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Met() {
		t.Errorf("%s: %d steps; want %s", c.Name, res.WorstSteps, c.Goal())
	}
}
