package bench

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/internal/reexec"
	"github.com/scc-dev/scc/lint"
	"github.com/scc-dev/scc/pipeline"
)

// TestGrowthPolicy checks that every growth policy is deterministic, has exactly its number
// of rules, and builds into a program the kernel takes.
func TestGrowthPolicy(t *testing.T) {
	rule := regexp.MustCompile(`^    (allow|log|kill|trap\(1\)|errno\([A-Z]+\)) [a-z0-9_]+( if .*)?$`)
	for _, n := range GrowthSizes {
		src := GrowthPolicy(n)
		if !bytes.Equal(src, GrowthPolicy(n)) {
			t.Fatalf("GrowthPolicy(%d) differs from one call to the next", n)
		}
		rules := 0
		for _, line := range strings.Split(string(src), "\n") {
			if rule.MatchString(line) {
				rules++
			}
		}
		if rules != n {
			t.Errorf("GrowthPolicy(%d) has %d rules", n, rules)
		}
		out, errs := pipeline.BuildSource(fmt.Sprintf("growth-%d.sc", n), src, pipeline.Options{})
		if errs.HasErrors() {
			t.Fatalf("GrowthPolicy(%d) does not build:\n%v", n, errs)
		}
		t.Logf("%d rules: %d instructions", n, len(out.Filter.Program))
	}
}

// TestGrowthPolicyShapes checks that the generated rules use every form the table promises.
func TestGrowthPolicyShapes(t *testing.T) {
	src := string(GrowthPolicy(5000))
	for _, form := range []string{" == ", " != ", " < LIMIT", " >= ", " & 0x", " in {", " && ", " || ",
		"\n    allow ", "\n    errno(", "\n    log ", "\n    trap(1) ", "\n    kill ", "arch x86_64, i386"} {
		if !strings.Contains(src, form) {
			t.Errorf("GrowthPolicy(5000) has no %q", form)
		}
	}
	if !regexp.MustCompile(`(?m)^    allow [a-z0-9_]+$`).MatchString(src) {
		t.Error("GrowthPolicy(5000) has no plain allow")
	}
	if !regexp.MustCompile(`arg0 [^|]*&& [^|]*arg1|arg1 [^|]*&& [^|]*arg0`).MatchString(src) {
		t.Error("GrowthPolicy(5000) has no rule on two arguments")
	}
}

// TestGrowthPolicyLint checks that no generated rule is dead: the family's rules test values
// of their own, so lint finds no unreachable or duplicate rule (only dangerous syscalls,
// which the generator allows as freely as any other).
func TestGrowthPolicyLint(t *testing.T) {
	rep := lint.Source("growth-100.sc", GrowthPolicy(100), compiler.Options{})
	if len(rep.Errors) > 0 {
		t.Fatal(rep.Errors)
	}
	for _, f := range rep.Findings {
		if f.Check != "dangerous-syscall" && f.Check != "sibling-bypass" {
			t.Errorf("finding: %v [%s]", f, f.Check)
		}
	}
}

// fakeSCC is the test binary's helper role (package reexec) that stands in for scc: with
// the arguments "sleep" it sleeps a minute; "exit N" prints two lines to stderr and exits
// with status N; "lint FILE" sleeps a minute when FILE is growth-1000.sc; anything else
// exits 0.
const fakeSCC = "bench-fake-scc"

func init() {
	reexec.Register(fakeSCC, func() int {
		args := append(os.Args[1:], "", "")
		switch {
		case args[0] == "sleep", args[0] == "lint" && filepath.Base(args[1]) == "growth-1000.sc":
			time.Sleep(time.Minute)
		case args[0] == "exit":
			fmt.Fprintln(os.Stderr, "scc: something went wrong\nsecond line")
			code, _ := strconv.Atoi(args[1])
			return code
		}
		return 0
	})
}

// fakeTimeout bounds the runs of the fake scc: long enough for this test binary to start
// and exit on a loaded machine, where a third of a second was not.
const fakeTimeout = 3 * time.Second

// TestRunSample runs this test binary as the measured program: a run past the timeout is
// killed and marked, a failing one keeps its error, and lint's status 1 is no failure.
func TestRunSample(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(reexec.Env, fakeSCC)
	run := func(findingsOK bool, args ...string) Sample {
		return RunSample(self, args, fakeTimeout, findingsOK)
	}
	if s := run(false, "sleep"); !s.TimedOut || s.Time != fakeTimeout || s.Err != "" {
		t.Errorf("sleeping run: %+v, want timed out at %v", s, fakeTimeout)
	}
	if s := run(true, "exit", "2"); s.TimedOut || s.Err != "exit status 2: scc: something went wrong" {
		t.Errorf("failing run: %+v", s)
	}
	if s := run(true, "exit", "1"); s.Err != "" || s.TimedOut || s.Time <= 0 {
		t.Errorf("lint run with findings: %+v, want success", s)
	}
	if s := run(false, "exit", "1"); s.Err == "" {
		t.Errorf("build run exiting 1: %+v, want a failure", s)
	}
	if s := run(false, "exit", "0"); s.Err != "" || s.MaxRSS <= 0 || s.CPU <= 0 {
		t.Errorf("good run: %+v, want success with a peak RSS and a CPU time", s)
	}
}

// TestRunGrowth runs the growth table with this test binary as scc, whose lint of 1,000
// rules hangs: that run is cut at the timeout, and lint of 5,000 rules is not run.
func TestRunGrowth(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(reexec.Env, fakeSCC)
	dir := t.TempDir()
	g, err := RunGrowth(GrowthOptions{SCC: self, Dir: dir, Sizes: []int{10, 1000, 5000}, Runs: 2, Timeout: fakeTimeout})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range g.Rows {
		got = append(got, fmt.Sprintf("%s %d: %d runs, timed out %v, not run %q, failed %q", r.Command, r.Rules,
			len(r.Samples), r.timedOut(), r.NotRun, r.failed()))
	}
	want := []string{
		`build 10: 2 runs, timed out false, not run "", failed ""`,
		`build 1000: 2 runs, timed out false, not run "", failed ""`,
		`build 5000: 2 runs, timed out false, not run "", failed ""`,
		`lint 10: 2 runs, timed out false, not run "", failed ""`,
		`lint 1000: 1 runs, timed out true, not run "", failed ""`,
		`lint 5000: 0 runs, timed out false, not run "1,000 rules passed the timeout", failed ""`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, n := range []int{10, 1000, 5000} {
		src, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("growth-%d.sc", n)))
		if err != nil || !bytes.Equal(src, GrowthPolicy(n)) {
			t.Errorf("growth-%d.sc is not GrowthPolicy(%d): %v", n, n, err)
		}
	}
}

func samples(ms ...int) []Sample {
	var s []Sample
	for _, m := range ms {
		d := time.Duration(m) * time.Millisecond
		s = append(s, Sample{Time: 2 * d, CPU: d, MaxRSS: int64(m) << 20})
	}
	return s
}

// TestGrowthMarkdown checks the table and the verdicts on made-up runs: linear build times,
// and a lint that grows quadratically and then passes the timeout.
func TestGrowthMarkdown(t *testing.T) {
	g := &Growth{Options: GrowthOptions{Sizes: []int{10, 100, 1000, 5000}, Runs: 3, Timeout: 30 * time.Second}}
	g.Rows = []GrowthRow{
		{Command: "build", Rules: 10, Samples: samples(11, 10, 12)},
		{Command: "build", Rules: 100, Samples: samples(21, 20, 22)},
		{Command: "build", Rules: 1000, Samples: samples(111, 110, 200)},
		{Command: "build", Rules: 5000, Samples: samples(510, 800, 520)},
		{Command: "lint", Rules: 10, Samples: samples(10, 10, 10)},
		{Command: "lint", Rules: 100, Samples: samples(110, 110, 110)},
		{Command: "lint", Rules: 1000, Samples: []Sample{{Time: 30 * time.Second, TimedOut: true}}},
		{Command: "lint", Rules: 5000, NotRun: "1,000 rules passed the timeout"},
	}
	md := g.Markdown()
	for _, want := range []string{
		"| scc build | 1,000 | 222 ms | 111 ms | 5.3 | 111 MiB | 5.3 |",
		"| scc build | 5,000 | 1040 ms | 520 ms | 9.1 | 520 MiB | 9.1 |",
		"| scc lint | 1,000 | > 30 s | | | | | |",
		"| scc lint | 5,000 | not run: 1,000 rules passed the timeout | | | | | |",
		"- scc build: near linear. From 1,000 to 5,000 rules the least CPU time above 10 rules' grows as rules^1.00",
		"- scc lint: NOT near linear: 1,000 rules passed the 30 s timeout.",
		"; the median peak RSS goes from 111 MiB to 520 MiB.\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the table lacks %q:\n%s", want, md)
		}
	}
	g.Rows[2].Samples, g.Rows[3].Samples = samples(110), samples(1610)
	if v := g.Verdict("build"); !strings.HasPrefix(v, "scc build: NOT near linear. ") || !strings.Contains(v, "rules^1.72") {
		t.Errorf("quadratic-ish build: %s", v)
	}
}

func TestPerTenfold(t *testing.T) {
	for _, c := range []struct {
		n1, n2 int
		y1, y2 float64
		want   float64
	}{{10, 100, 1, 10, 10}, {10, 100, 1, 100, 100}, {1000, 5000, 1, 5, 10}, {1000, 5000, 1, 25, 100}} {
		if got := PerTenfold(c.n1, c.n2, c.y1, c.y2); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("PerTenfold(%d, %d, %g, %g) = %g, want %g", c.n1, c.n2, c.y1, c.y2, got, c.want)
		}
	}
}
