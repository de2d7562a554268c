package bench

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ProcessOptions says how MeasureProcesses runs: the binaries (benchtable builds them), the
// directory for the files, the runs of each command and the bound on one run.
type ProcessOptions struct {
	SCC        string // scc
	Libseccomp string // bench/cmd/libseccompbuild: libseccomp's C API, as runc calls it
	Helper     string // bench/cmd/benchhelper
	Dir        string
	Runs       int
	Timeout    time.Duration
	Calls      int // calls of each syscall per process in the kernel table
}

// ProcessRow is one command timed as a whole process.
type ProcessRow struct {
	Name    string   // the command as the table shows it
	What    string   // what its time includes
	Program string   // the binary
	Args    []string // its arguments
	Samples []Sample
}

// KernelRow is one filter of the kernel table: the nanoseconds per call of each call of
// bench/internal/calls, one list a fresh process.
type KernelRow struct {
	Filter string
	File   string // the raw program; "" for none
	Runs   [][]float64
	Err    string // why a run failed
}

// Processes is the whole-process table and the kernel table, on Docker's default profile.
type Processes struct {
	Options ProcessOptions
	Rows    []ProcessRow
	Kernel  []KernelRow
	Calls   []string // the kernel table's calls, in its columns' order
}

// The rows of the whole-process table that its goals compare.
const (
	rowBuildSource  = "scc build docker.sc"
	rowBuildProfile = "scc build docker.json"
	rowLibTree      = "libseccomp tree"
	rowHelper       = "benchhelper exit"
	rowRunSource    = "scc run docker.sc -- benchhelper exit"
	rowRunBlob      = "scc run docker.bpf -- benchhelper exit"
	rowVersion      = "scc version"
)

// MeasureProcesses writes Docker's default profile as docker.json and as the policy scc
// imports from it, docker.sc, then times each command of the table as a whole process, o.Runs
// times, interleaved (every command once, then again). Then it measures the kernel table:
// for each filter (none; scc's, the profile-weighted one, libseccomp's tree and linear
// programs), o.Runs fresh benchhelper processes, interleaved, each installing the filter and
// timing o.Calls calls of each syscall.
func MeasureProcesses(o ProcessOptions) (*Processes, error) {
	c, err := DockerCase()
	if err != nil {
		return nil, err
	}
	file := func(name string) string { return filepath.Join(o.Dir, name) }
	hot := ""
	for _, name := range slices.Sorted(maps.Keys(HotMix)) {
		hot += fmt.Sprintf("%s %.0f\n", name, HotMix[name])
	}
	for name, data := range map[string][]byte{"docker.json": c.Profile, "docker.sc": c.Source, "hot-mix.txt": []byte(hot)} {
		if err := os.WriteFile(file(name), data, 0o644); err != nil {
			return nil, err
		}
	}
	// Untimed: the blob scc run loads, and scc's raw programs for the kernel table.
	for _, args := range [][]string{
		{"build", file("docker.sc"), "-o", file("docker.bpf")},
		{"build", file("docker.sc"), "--format", "raw", "-o", file("scc.raw")},
		{"build", file("docker.sc"), "--format", "raw", "--profile", file("hot-mix.txt"), "-o", file("scc-hot.raw")},
	} {
		if s := RunSample(o.SCC, args, o.Timeout, false); s.Err != "" || s.TimedOut {
			return nil, fmt.Errorf("scc %s: %s", strings.Join(args, " "), s.Err)
		}
	}
	p := &Processes{Options: o}
	helper := []string{o.Helper, "exit"}
	p.Rows = []ProcessRow{
		{Name: rowBuildSource, What: "read the policy, compile, optimize, emit, verify, write the blob",
			Program: o.SCC, Args: []string{"build", file("docker.sc"), "-o", file("out-sc.bpf")}},
		{Name: rowBuildProfile, What: "the same from the JSON: its evaluation and import first (--arch amd64 --kernel " + DockerKernel + ")",
			Program: o.SCC, Args: []string{"build", file("docker.json"), "--arch", "amd64", "--kernel", DockerKernel, "-o", file("out-json.bpf")}},
		{Name: rowLibTree, What: "libseccomp's C API from the same JSON as runc: evaluate, seccomp_rule_add, seccomp_export_bpf to a file (binary tree)",
			Program: o.Libseccomp, Args: []string{"-level", "2", "-o", file("lib-tree.raw"), file("docker.json")}},
		{Name: "libseccomp linear", What: "the same with the linear layout",
			Program: o.Libseccomp, Args: []string{"-level", "1", "-o", file("lib-linear.raw"), file("docker.json")}},
		{Name: rowHelper, What: "a Go program that exits at once: what scc run starts below",
			Program: helper[0], Args: helper[1:]},
		{Name: rowVersion, What: "scc's own start: the Go runtime, every package's initialization, the command line; nothing read or compiled",
			Program: o.SCC, Args: []string{"version"}},
		{Name: rowRunSource, What: "compile the policy, install its filter, execute the command",
			Program: o.SCC, Args: append([]string{"run", file("docker.sc"), "--"}, helper...)},
		{Name: rowRunBlob, What: "load a built blob, install it, execute the command",
			Program: o.SCC, Args: append([]string{"run", file("docker.bpf"), "--"}, helper...)},
	}
	for range o.Runs {
		for i := range p.Rows {
			r := &p.Rows[i]
			s := RunSample(r.Program, r.Args, o.Timeout, false)
			if s.Err != "" || s.TimedOut {
				return nil, fmt.Errorf("%s: %s (timed out: %v)", r.Name, s.Err, s.TimedOut)
			}
			r.Samples = append(r.Samples, s)
		}
	}
	return p, p.measureKernel(file)
}

// measureKernel fills the kernel table; the libseccomp programs are those the timed runs
// wrote.
func (p *Processes) measureKernel(file func(string) string) error {
	p.Kernel = []KernelRow{
		{Filter: "no filter"},
		{Filter: "scc", File: file("scc.raw")},
		{Filter: "scc --profile hot-mix", File: file("scc-hot.raw")},
		{Filter: "libseccomp tree", File: file("lib-tree.raw")},
		{Filter: "libseccomp linear", File: file("lib-linear.raw")},
	}
	for range p.Options.Runs {
		for i := range p.Kernel {
			k := &p.Kernel[i]
			if k.Err != "" {
				continue
			}
			args := []string{"calls", strconv.Itoa(p.Options.Calls)}
			if k.File != "" {
				args = append(args, k.File)
			}
			names, times, err := runCalls(p.Options.Helper, args, p.Options.Timeout)
			if err != nil {
				k.Err = err.Error()
				continue
			}
			p.Calls = names
			k.Runs = append(k.Runs, times)
		}
	}
	return nil
}

// runCalls runs benchhelper calls and parses its "NAME NS" lines.
func runCalls(helper string, args []string, timeout time.Duration) ([]string, []float64, error) {
	out, s := runOutput(helper, args, timeout)
	if s.Err != "" || s.TimedOut {
		return nil, nil, fmt.Errorf("benchhelper %s: %s (timed out: %v)", strings.Join(args, " "), s.Err, s.TimedOut)
	}
	var names []string
	var times []float64
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if i < 0 || err != nil {
			return nil, nil, fmt.Errorf("benchhelper: bad line %q", line)
		}
		names, times = append(names, line[:i]), append(times, v)
	}
	return names, times, nil
}

// Median is the median wall-clock time of the row's runs.
func (r *ProcessRow) Median() time.Duration {
	g := GrowthRow{Samples: r.Samples}
	return g.MedianTime()
}

// MinCPU is the least CPU time of the row's runs.
func (r *ProcessRow) MinCPU() time.Duration {
	g := GrowthRow{Samples: r.Samples}
	return g.MinCPU()
}

// row returns the row of a name.
func (p *Processes) row(name string) *ProcessRow {
	for i := range p.Rows {
		if p.Rows[i].Name == name {
			return &p.Rows[i]
		}
	}
	return nil
}

// Markdown renders the whole-process table, its goals and their floors (see Floors: none
// when stages lack what they need), and the kernel table.
func (p *Processes) Markdown(stages []Stage) string {
	var b strings.Builder
	lib := p.row(rowLibTree)
	b.WriteString("| command | what the time includes | median wall clock | least CPU | page faults | wall ÷ libseccomp tree's | CPU ÷ libseccomp tree's |\n")
	b.WriteString("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n")
	for _, r := range p.Rows {
		least := (&GrowthRow{Samples: r.Samples}).leastCPU()
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %d | %.3f | %.3f |\n", r.Name, r.What, fmtMillis2(r.Median()), fmtMillis2(least.CPU),
			least.Faults, float64(r.Median())/float64(lib.Median()), float64(least.CPU)/float64(lib.MinCPU()))
	}
	b.WriteString("\n")
	b.WriteString(p.Goals())
	b.WriteString(p.Floors(stages))
	b.WriteString("\n### In the kernel\n\n")
	b.WriteString(kernelMethod)
	fmt.Fprintf(&b, "| filter | %s |\n| --- |%s\n", strings.Join(p.Calls, " | "), strings.Repeat(" ---: |", len(p.Calls)))
	for _, k := range p.Kernel {
		if k.Err != "" {
			fmt.Fprintf(&b, "| %s | failed: %s |%s\n", k.Filter, strings.ReplaceAll(k.Err, "|", `\|`), strings.Repeat(" |", max(len(p.Calls)-1, 0)))
			continue
		}
		fmt.Fprintf(&b, "| %s |", k.Filter)
		for j := range p.Calls {
			v := make([]float64, len(k.Runs))
			for i, run := range k.Runs {
				v[i] = run[j]
			}
			fmt.Fprintf(&b, " %.0f ns |", medianOf(v))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Goals checks the whole-process goals: scc build of the policy at most 0.1× libseccomp's
// process building the profile, of the profile itself at most 0.12×, and scc run adding at
// most 2 ms before it executes the command; by the median wall clock of the interleaved runs.
func (p *Processes) Goals() string {
	lib, src, prof := p.row(rowLibTree), p.row(rowBuildSource), p.row(rowBuildProfile)
	helper := p.row(rowHelper)
	check := func(ok bool) string {
		if ok {
			return "met"
		}
		return "NOT met"
	}
	var b strings.Builder
	b.WriteString("Goals, by the median wall clock of the interleaved runs (the least CPU time in parentheses):\n\n")
	for _, g := range []struct {
		row   *ProcessRow
		bound float64
	}{{src, 0.1}, {prof, 0.12}} {
		wall := float64(g.row.Median()) / float64(lib.Median())
		cpu := float64(g.row.MinCPU()) / float64(lib.MinCPU())
		fmt.Fprintf(&b, "- `%s` at most %.2f× libseccomp's process: %.3f× (%.3f×), %s.\n", g.row.Name, g.bound, wall, cpu, check(wall <= g.bound))
	}
	for _, r := range []struct{ row, from string }{{rowRunSource, "from the policy"}, {rowRunBlob, "from a built blob"}} {
		run := p.row(r.row)
		added := run.Median() - helper.Median()
		fmt.Fprintf(&b, "- `scc run` adding at most 2 ms before it executes the command, %s: %s (%s − %s), %s.\n",
			r.from, fmtMillis2(added), fmtMillis2(run.Median()), fmtMillis2(helper.Median()), check(added <= 2*time.Millisecond))
	}
	return b.String()
}

// Floors says what each build goal cannot go below on this machine: scc's own start (the
// scc version row: the Go runtime, every package's initialization, the command line, the
// exit) plus the in-process times of the stages the command runs (stages, by their keys),
// which are measured warm, with participle's parser already built. A goal under its floor cannot
// be met by cutting what a fresh process adds to the stages (page faults, cold caches,
// participle's parser build); only a faster start or faster stages could. It returns ""
// when a stage is missing.
func (p *Processes) Floors(stages []Stage) string {
	at := map[string]time.Duration{}
	for _, s := range stages {
		if s.Key != "" {
			at[s.Key] = s.Time
		}
	}
	for _, k := range []string{StageImport, StageCompileImported, StageParseCompile, StageOptimize, StageEmit} {
		if _, ok := at[k]; !ok {
			return ""
		}
	}
	start, lib, helper := p.row(rowVersion).Median(), p.row(rowLibTree).Median(), p.row(rowHelper).Median()
	policy := at[StageParseCompile] + at[StageOptimize] + at[StageEmit]
	profile := at[StageImport] + at[StageCompileImported] + at[StageOptimize] + at[StageEmit]
	var b strings.Builder
	fmt.Fprintf(&b, "\nWhat each build goal cannot go below here: scc's own start (scc version, %s; a Go program that does nothing takes %s) plus the in-process stages above, warm and with participle's parser built (which every process that parses builds first):\n\n",
		fmtMillis2(start), fmtMillis2(helper))
	for _, f := range []struct {
		name  string
		work  time.Duration
		bound float64
		parts string
	}{
		{"`scc build docker.sc`", policy, 0.1, "parse and compile, optimize, emit"},
		{"`scc build docker.json`", profile, 0.12, "import, compile, optimize, emit"},
	} {
		floor := start + f.work
		ratio := float64(floor) / float64(lib)
		fmt.Fprintf(&b, "- %s: %s + %s (%s) = %s, %.3f× libseccomp's process; the goal %.2f× is %s.\n",
			f.name, fmtMillis2(start), fmtMillis2(f.work), f.parts, fmtMillis2(floor), ratio, f.bound, reach(ratio <= f.bound))
	}
	b.WriteString("\nThe run goals have no floor of that kind: scc's process becomes the command's at exec, so what a run adds is not scc's start plus its stages (a run from a blob can add less than the scc version row takes).")
	blobAdds := p.row(rowRunBlob).Median() - helper
	fmt.Fprintf(&b, " But a run from the policy adds at least what a run from a blob adds plus the stages: %s + %s = %s; the goal 2 ms is %s.\n",
		fmtMillis2(blobAdds), fmtMillis2(policy), fmtMillis2(blobAdds+policy), reach(blobAdds+policy <= 2*time.Millisecond))
	return b.String()
}

// reach words whether a goal lies above its floor.
func reach(ok bool) string {
	if ok {
		return "above it"
	}
	return "below it: out of reach without a faster start or faster stages"
}

const kernelMethod = `Nanoseconds per call, measured interleaved in fresh processes on this machine: for each
filter, a fresh bench/cmd/benchhelper process installs it (Docker's default profile built by
scc, by scc with the hot mix as its profile, by libseccomp as runc does; the raw programs of
the runs above) and makes each call on one locked thread, in pieces, keeping its fastest
piece; the table gives the median over the processes. **getppid** is allowed for any
arguments: from Linux 5.11 the kernel's action cache answers it without running the filter.
**personality(0xffffffff)** is allowed after an argument check: the filter runs. **add_key**
is denied with EPERM (without a filter, the kernel's EINVAL). A filter's cost is its row
minus the "no filter" row. The profile's gain in steps (the hot-mix steps above) shows in
the kernel only for calls the cache does not answer: on kernels before 5.11, for x32's
calls, and for syscalls with argument rules; for the cached calls of the hot mix, every
filter costs the same.

`

func medianOf(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	v = slices.Clone(v)
	slices.Sort(v)
	m := len(v) / 2
	if len(v)%2 == 1 {
		return v[m]
	}
	return (v[m-1] + v[m]) / 2
}

func fmtMillis2(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}
