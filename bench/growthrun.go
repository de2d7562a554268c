package bench

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/measure"
	"github.com/scc-dev/scc/program"
)

// GrowthOptions says how RunGrowth measures.
type GrowthOptions struct {
	SCC string // the scc binary to run
	// Libseccomp is bench/cmd/libseccompbuild, for the libseccomp rows; "" leaves them out.
	Libseccomp string
	Dir        string        // where the policies and the built filters are written
	Sizes      []int         // rule counts, ascending (GrowthSizes when nil)
	Runs       int           // runs of each command on each size
	Timeout    time.Duration // the bound on one run
}

// GrowthCommand is one command of the growth table: its arguments after the policy file's
// path is substituted for FILE; with Libseccomp, libseccompbuild's arguments, on the OCI
// profile scc export wrote from the policy (FILE.json, not timed).
type GrowthCommand struct {
	Name       string // "build", "lint", "libseccomp"
	Label      string // how the table names it
	Libseccomp bool
	Args       []string
	Output     string // the filter it writes (FILE substituted), whose size and steps the table gives
}

// GrowthCommands are the commands the growth table measures.
var GrowthCommands = []GrowthCommand{
	{"build", "scc build", false, []string{"build", "FILE", "-o", "FILE.bpf"}, "FILE.bpf"},
	{"lint", "scc lint", false, []string{"lint", "FILE"}, ""},
	{"libseccomp", "libseccomp tree", true, []string{"-level", "2", "-o", "FILE.raw", "FILE.json"}, "FILE.raw"},
}

// growthLabel is how the table names a command.
func growthLabel(name string) string {
	for _, c := range GrowthCommands {
		if c.Name == name {
			return c.Label
		}
	}
	return name
}

// Sample is one run of a command.
type Sample struct {
	Time     time.Duration // wall clock, from the start of the process to its end
	CPU      time.Duration // the process's user and system time, on all its threads
	MaxRSS   int64         // the process's peak resident set, in bytes (0 when unknown)
	Faults   int64         // the minor page faults: pages the process touched first (0 when unknown)
	TimedOut bool          // killed at the timeout; Time is then the timeout
	Err      string        // why the run failed (exit status, first line of stderr), or ""
}

// GrowthRow is one command on one size.
type GrowthRow struct {
	Command string
	Rules   int
	Samples []Sample
	// NotRun, when set, says why the row has no samples: a smaller size hit the timeout.
	NotRun string
	// Instructions, MeanSteps and MaxSteps measure the filter the command wrote (on the
	// x86_64 table, arguments zero); Instructions is 0 when it wrote none.
	Instructions int
	MeanSteps    float64
	MaxSteps     int
}

// Growth is the growth table's measurements.
type Growth struct {
	Options GrowthOptions
	Rows    []GrowthRow // by command, then size
}

// RunGrowth writes GrowthPolicy of each size to o.Dir and runs each command on it o.Runs
// times, interleaved (every size and command once, then again) so that a change in the
// machine's load spreads over all rows. A run that passes o.Timeout is killed; that command
// then runs no more on that size nor on larger ones.
func RunGrowth(o GrowthOptions) (*Growth, error) {
	if o.Sizes == nil {
		o.Sizes = GrowthSizes
	}
	g := &Growth{Options: o}
	files := make([]string, len(o.Sizes))
	for i, n := range o.Sizes {
		files[i] = filepath.Join(o.Dir, fmt.Sprintf("growth-%d.sc", n))
		if err := os.WriteFile(files[i], GrowthPolicy(n), 0o644); err != nil {
			return nil, err
		}
	}
	commands := growthCommands(o)
	for _, c := range commands {
		for _, n := range o.Sizes {
			g.Rows = append(g.Rows, GrowthRow{Command: c.Name, Rules: n})
		}
	}
	if o.Libseccomp != "" {
		g.export(commands, files)
	}
	for range o.Runs {
		for i := range o.Sizes {
			for j, c := range commands {
				row := &g.Rows[j*len(o.Sizes)+i]
				if row.NotRun != "" || row.timedOut() {
					continue
				}
				program := o.SCC
				if c.Libseccomp {
					program = o.Libseccomp
				}
				s := RunSample(program, substitute(c.Args, files[i]), o.Timeout, c.Name == "lint")
				row.Samples = append(row.Samples, s)
				if s.TimedOut {
					for k := i + 1; k < len(o.Sizes); k++ {
						g.Rows[j*len(o.Sizes)+k].NotRun = fmt.Sprintf("%s rules passed the timeout", Group(o.Sizes[i]))
					}
				}
			}
		}
	}
	for j, c := range commands {
		for i := range o.Sizes {
			if row := &g.Rows[j*len(o.Sizes)+i]; c.Output != "" && row.measured() {
				row.measureFilter(o.Sizes[i], substitute([]string{c.Output}, files[i])[0], c.Libseccomp)
			}
		}
	}
	return g, nil
}

// growthCommands are the commands o runs: the libseccomp ones only with o.Libseccomp.
func growthCommands(o GrowthOptions) []GrowthCommand {
	var out []GrowthCommand
	for _, c := range GrowthCommands {
		if !c.Libseccomp || o.Libseccomp != "" {
			out = append(out, c)
		}
	}
	return out
}

// export writes each size's policy as an OCI profile with scc export, for libseccomp; a
// size whose export fails gets its libseccomp rows marked not run.
func (g *Growth) export(commands []GrowthCommand, files []string) {
	for i, f := range files {
		s := RunSample(g.Options.SCC, []string{"export", f, "-o", f + ".json"}, g.Options.Timeout, false)
		if s.Err == "" && !s.TimedOut {
			continue
		}
		for j, c := range commands {
			if c.Libseccomp {
				g.Rows[j*len(files)+i].NotRun = "scc export failed: " + s.Err
			}
		}
	}
}

// substitute replaces FILE in args by file.
func substitute(args []string, file string) []string {
	args = slices.Clone(args)
	for k := range args {
		args[k] = strings.ReplaceAll(args[k], "FILE", file)
	}
	return args
}

// measureFilter measures the filter a row's command wrote (an scc blob, or libseccomp's raw
// program) against GrowthPolicy(n) compiled; a file it cannot read leaves the row's
// instructions 0.
func (r *GrowthRow) measureFilter(n int, file string, raw bool) {
	data, err := os.ReadFile(file)
	if err != nil {
		return
	}
	var prog []bpf.RawInstruction
	if raw {
		prog, err = program.DecodeRaw(data, false)
	} else {
		var b *program.Blob
		if b, err = program.ParseBlob(data); err == nil {
			prog = b.Program
		}
	}
	if err != nil {
		return
	}
	res, errs := compiler.CompileSource("growth.sc", GrowthPolicy(n), compiler.Options{})
	if errs.HasErrors() {
		return
	}
	rep, err := measure.Measure(res.Policy, &backend.Filter{Program: prog}, nil)
	if err != nil {
		return
	}
	for _, a := range rep.Arches {
		if a.Arch == Arch {
			r.Instructions, r.MeanSteps, r.MaxSteps = len(prog), a.MeanSteps, a.MaxSteps
		}
	}
}

// RunSample runs the program once with a timeout and measures it. Its output is discarded
// but for the first line of stderr, kept for a failure. The run fails when the exit status
// is not 0, or with findingsOK (scc lint), not 0 or 1.
func RunSample(program string, args []string, timeout time.Duration, findingsOK bool) Sample {
	_, s := run(program, args, timeout, findingsOK, false)
	return s
}

// runOutput is RunSample that also returns what the program wrote to stdout.
func runOutput(program string, args []string, timeout time.Duration) (string, Sample) {
	return run(program, args, timeout, false, true)
}

// run runs and measures the program; with capture, it keeps its stdout, else stdout goes
// to /dev/null.
func run(program string, args []string, timeout time.Duration, findingsOK, capture bool) (string, Sample) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, program, args...)
	var stdout, stderr bytes.Buffer
	if capture {
		cmd.Stdout = &stdout
	}
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	s := Sample{Time: time.Since(start)}
	if ps := cmd.ProcessState; ps != nil {
		s.MaxRSS, s.CPU = maxRSS(ps), ps.UserTime()+ps.SystemTime()
		s.Faults = minorFaults(ps)
	}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		s.TimedOut, s.Time = true, timeout
	case errors.As(err, &exit) && findingsOK && exit.ExitCode() == 1:
	case err != nil:
		line, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
		s.Err = strings.TrimSpace(err.Error() + ": " + line)
	}
	return stdout.String(), s
}

// timedOut reports whether a run of the row passed the timeout.
func (r *GrowthRow) timedOut() bool {
	return slices.ContainsFunc(r.Samples, func(s Sample) bool { return s.TimedOut })
}

// failed is the first failed run's error, or "".
func (r *GrowthRow) failed() string {
	for _, s := range r.Samples {
		if s.Err != "" {
			return s.Err
		}
	}
	return ""
}

// measured reports whether every run of the row finished and succeeded.
func (r *GrowthRow) measured() bool {
	return len(r.Samples) > 0 && !r.timedOut() && r.failed() == ""
}

// MedianTime is the median time of the row's runs.
func (r *GrowthRow) MedianTime() time.Duration {
	return time.Duration(r.median(func(s Sample) float64 { return float64(s.Time) }))
}

// MedianRSS is the median peak RSS of the row's runs, in bytes.
func (r *GrowthRow) MedianRSS() int64 {
	return int64(r.median(func(s Sample) float64 { return float64(s.MaxRSS) }))
}

// MedianCPU is the median CPU time of the row's runs.
func (r *GrowthRow) MedianCPU() time.Duration {
	return time.Duration(r.median(func(s Sample) float64 { return float64(s.CPU) }))
}

// MinCPU is the least CPU time of the row's runs: the run the machine's load disturbed least.
func (r *GrowthRow) MinCPU() time.Duration {
	if len(r.Samples) == 0 {
		return 0
	}
	return r.leastCPU().CPU
}

// leastCPU is the run of least CPU time: the one the machine's load disturbed least.
func (r *GrowthRow) leastCPU() Sample {
	if len(r.Samples) == 0 {
		return Sample{}
	}
	return slices.MinFunc(r.Samples, func(a, b Sample) int { return cmp.Compare(a.CPU, b.CPU) })
}

// median is the median of f over the row's runs, 0 when there are none.
func (r *GrowthRow) median(f func(Sample) float64) float64 {
	if len(r.Samples) == 0 {
		return 0
	}
	v := make([]float64, len(r.Samples))
	for i, s := range r.Samples {
		v[i] = f(s)
	}
	slices.Sort(v)
	m := len(v) / 2
	if len(v)%2 == 1 {
		return v[m]
	}
	return (v[m-1] + v[m]) / 2
}

// PerTenfold is the factor by which y grows for each tenfold growth of n, from (n1, y1) to
// (n2, y2): 10 for linear growth, 100 for quadratic.
func PerTenfold(n1, n2 int, y1, y2 float64) float64 {
	return math.Pow(y2/y1, 1/math.Log10(float64(n2)/float64(n1)))
}

// Exponent is k in y ∝ n^k from (n1, y1) to (n2, y2).
func Exponent(n1, n2 int, y1, y2 float64) float64 {
	return math.Log(y2/y1) / math.Log(float64(n2)/float64(n1))
}

// NearLinear is the largest growth exponent the growth table calls near linear: it admits n
// log n (1.13 from 1,000 to 5,000 rules) and noise, not n^1.5.
const NearLinear = 1.25

// Markdown renders the growth table: per command and size, the median wall-clock time, CPU
// time and peak RSS, the growth of the CPU time and the RSS per tenfold growth of the rules
// from the size before; then a verdict per command.
func (g *Growth) Markdown() string {
	var b strings.Builder
	b.WriteString("| command | rules | time | CPU | CPU ×/10× rules | peak RSS | RSS ×/10× rules | instructions | mean steps | max steps |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for i, r := range g.Rows {
		fmt.Fprintf(&b, "| %s | %s | ", growthLabel(r.Command), Group(r.Rules))
		switch {
		case r.NotRun != "":
			fmt.Fprintf(&b, "not run: %s | | | | | | | | |\n", r.NotRun)
			continue
		case r.timedOut():
			fmt.Fprintf(&b, "> %s | | | | | | | | |\n", fmtSeconds(g.Options.Timeout))
			continue
		case r.failed() != "":
			fmt.Fprintf(&b, "failed: %s | | | | | | | | |\n", strings.ReplaceAll(r.failed(), "|", `\|`))
			continue
		}
		cpuGrowth, rssGrowth := "", ""
		if prev := g.Rows[max(i-1, 0)]; i > 0 && prev.Command == r.Command && prev.measured() {
			cpuGrowth = fmt.Sprintf("%.1f", PerTenfold(prev.Rules, r.Rules, float64(prev.MedianCPU()), float64(r.MedianCPU())))
			rssGrowth = fmt.Sprintf("%.1f", PerTenfold(prev.Rules, r.Rules, float64(prev.MedianRSS()), float64(r.MedianRSS())))
		}
		filter := " | |"
		if r.Instructions > 0 {
			filter = fmt.Sprintf("%d | %.2f | %d", r.Instructions, r.MeanSteps, r.MaxSteps)
		}
		fmt.Fprintf(&b, "%s | %s | %s | %s | %s | %s |\n", fmtMillis(r.MedianTime()), fmtMillis(r.MedianCPU()), cpuGrowth,
			fmtMiB(r.MedianRSS()), rssGrowth, filter)
	}
	b.WriteString("\n")
	for _, c := range growthCommands(g.Options) {
		b.WriteString("- " + g.Verdict(c.Name) + "\n")
	}
	return b.String()
}

// Verdict states how a command's CPU time grows with the rules, between its two largest
// sizes, on the CPU time above its smallest size's (the process's start, which does not
// grow with the policy): near linear when the exponent is at most NearLinear. It compares
// each size's least CPU time, from the run that the machine's load disturbed least (the
// wall clock of a shared machine also counts the waits for a CPU). A timeout or a failure
// is the verdict.
func (g *Growth) Verdict(command string) string {
	var rows []GrowthRow
	for _, r := range g.Rows {
		if r.Command == command {
			rows = append(rows, r)
		}
	}
	label := growthLabel(command)
	for _, r := range rows {
		switch {
		case r.timedOut():
			return fmt.Sprintf("%s: NOT near linear: %s rules passed the %s timeout.", label, Group(r.Rules), fmtSeconds(g.Options.Timeout))
		case r.failed() != "":
			return fmt.Sprintf("%s: not measured: %s rules failed.", label, Group(r.Rules))
		}
	}
	if len(rows) < 3 {
		return fmt.Sprintf("%s: not measured: the verdict needs three sizes.", label)
	}
	base, a, z := rows[0], rows[len(rows)-2], rows[len(rows)-1]
	ya, yz := float64(a.MinCPU()-base.MinCPU()), float64(z.MinCPU()-base.MinCPU())
	if ya <= 0 || yz <= ya {
		return fmt.Sprintf("%s: not measurable: the CPU time of %s rules is within the noise of %s's.", label, Group(z.Rules), Group(a.Rules))
	}
	k := Exponent(a.Rules, z.Rules, ya, yz)
	verdict := "near linear"
	if k > NearLinear {
		verdict = "NOT near linear"
	}
	// The RSS gets no exponent: near the runtime's own few MiB, what grows is mostly the
	// garbage collector's pacing.
	return fmt.Sprintf("%s: %s. From %s to %s rules the least CPU time above %s rules' grows as rules^%.2f "+
		"(×%.1f per tenfold; %.2f is the bound for near linear); the median peak RSS goes from %s to %s.",
		label, verdict, Group(a.Rules), Group(z.Rules), Group(base.Rules), k, math.Pow(10, k), NearLinear,
		fmtMiB(a.MedianRSS()), fmtMiB(z.MedianRSS()))
}

// Group writes n with thousands separated by commas: 5,000.
func Group(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func fmtMillis(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	if ms < 100 {
		return fmt.Sprintf("%.1f ms", ms)
	}
	return fmt.Sprintf("%.0f ms", ms)
}

func fmtSeconds(d time.Duration) string {
	return fmt.Sprintf("%g s", d.Seconds())
}

func fmtMiB(n int64) string {
	if n == 0 {
		return "unknown"
	}
	return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
}
