// Command benchtable measures scc and libseccomp on the benchmark policies (package bench)
// and writes BENCHMARKS.md: the filters and compile times in process, whole processes
// (scc build and run, libseccomp's C API building the same profile), the filters' cost per
// call in the kernel, and the growth with the policy's size; how each was made, and the
// machine. It builds the binaries it times (scc, bench/cmd/libseccompbuild,
// bench/cmd/benchhelper) into a temporary directory first. Run it from the repository's
// root, as `make bench` does.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/google/renameio/v2"

	"github.com/scc-dev/scc/bench"
)

func main() {
	out := flag.String("o", "BENCHMARKS.md", "file to write (- for stdout)")
	timed := flag.Bool("time", true, "time each compile (about a second per row)")
	growthOnly := flag.Bool("growth-only", false, "measure only the growth table and write only its section")
	processOnly := flag.Bool("process-only", false, "measure only the whole-process and kernel tables and write only their section")
	runs := flag.Int("growth-runs", 5, "runs of each command on each size of the growth table")
	timeout := flag.Duration("growth-timeout", 60*time.Second, "the bound on one run of the growth table")
	goTool := flag.String("go", "go", "the go command that builds scc for the growth table")
	processRuns := flag.Int("process-runs", 21, "runs of each command of the whole-process and kernel tables")
	calls := flag.Int("calls", 200000, "calls of each syscall per process in the kernel table")
	flag.Parse()
	o := bench.GrowthOptions{Runs: *runs, Timeout: *timeout}
	po := bench.ProcessOptions{Runs: *processRuns, Timeout: *timeout, Calls: *calls}
	if err := run(*out, *timed, section{*growthOnly, *processOnly}, o, po, *goTool); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}

// section picks the one section of BENCHMARKS.md that benchtable measures and writes, if
// either is set.
type section struct{ growthOnly, processOnly bool }

func run(out string, timed bool, only section, o bench.GrowthOptions, po bench.ProcessOptions, goTool string) error {
	dir, err := os.MkdirTemp("", "scc-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bins, err := buildTools(dir, goTool)
	if err != nil {
		return err
	}
	po.Dir, po.SCC, po.Libseccomp, po.Helper = dir, bins.scc, bins.libseccomp, bins.helper
	var b bytes.Buffer
	if only.processOnly {
		procs, err := bench.MeasureProcesses(po)
		if err != nil {
			return err
		}
		writeProcesses(&b, procs, nil)
		return writeOut(out, b.Bytes())
	}
	o.Dir, o.SCC, o.Libseccomp = dir, bins.scc, bins.libseccomp
	growth, err := bench.RunGrowth(o)
	if err != nil {
		return err
	}
	if only.growthOnly {
		writeGrowth(&b, growth)
	} else {
		procs, err := bench.MeasureProcesses(po)
		if err != nil {
			return err
		}
		r, err := bench.Run(".", timed)
		if err != nil {
			return err
		}
		var stages []bench.Stage
		if timed {
			if stages, err = bench.Stages(); err != nil {
				return err
			}
		}
		args, err := measureArgs()
		if err != nil {
			return err
		}
		writeDoc(&b, r, stages, args, procs, growth)
	}
	return writeOut(out, b.Bytes())
}

// writeOut writes data to the file out, or to stdout for "-".
func writeOut(out string, data []byte) error {
	if out == "-" {
		_, err := os.Stdout.Write(data)
		return err
	}
	return renameio.WriteFile(out, data, 0o644)
}

// machine describes where the numbers come from.
func machine() string {
	return fmt.Sprintf("%d CPUs (nproc), %s; %s %s/%s; libseccomp %s",
		runtime.NumCPU(), cpuModel(), runtime.Version(), runtime.GOOS, runtime.GOARCH, bench.LibseccompVersion())
}

// cpuModel is the model name /proc/cpuinfo gives, or "unknown CPU".
func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// loadAverage is the one-minute load average, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

// kernel is the running kernel's release, for the record (the filters do not depend on it).
func kernel() string {
	b, err := exec.Command("uname", "-r").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(b))
}

// tools are the binaries the whole-process tables run.
type tools struct{ scc, libseccomp, helper string }

// buildTools builds scc (static, as make build does), bench/cmd/libseccompbuild (with cgo:
// libseccomp's C API) and bench/cmd/benchhelper (static) into dir with goTool, then installs
// each by a plain copy; the builds are not timed.
func buildTools(dir, goTool string) (tools, error) {
	t := tools{filepath.Join(dir, "scc"), filepath.Join(dir, "libseccompbuild"), filepath.Join(dir, "benchhelper")}
	for _, b := range []struct{ out, pkg, cgo string }{
		{t.scc, "./cmd/scc", "CGO_ENABLED=0"}, {t.libseccomp, "./bench/cmd/libseccompbuild", "CGO_ENABLED=1"},
		{t.helper, "./bench/cmd/benchhelper", "CGO_ENABLED=0"},
	} {
		built := b.out + ".built"
		build := exec.Command(goTool, "build", "-o", built, b.pkg)
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if b.cgo != "" {
			build.Env = append(os.Environ(), b.cgo)
		}
		if err := build.Run(); err != nil {
			return t, fmt.Errorf("building %s: %w", b.pkg, err)
		}
		if err := install(built, b.out); err != nil {
			return t, err
		}
	}
	return t, nil
}

// install copies the binary built to out with plain reads and writes, as installing a
// program does, and removes built. The copy is what runs: the Go linker writes its output
// through a memory map, and a binary fresh from it starts about 0.25 ms slower here than
// the same bytes copied (measured on scc; the kernel then holds its pages in the page cache
// as it holds a program installed, or read from the disk after a reboot). Every binary of
// the tables is installed alike.
func install(built, out string) error {
	in, err := os.Open(built)
	if err != nil {
		return err
	}
	defer in.Close()
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(struct{ io.Writer }{f}, struct{ io.Reader }{in}); err != nil {
		f.Close()
		return fmt.Errorf("installing %s: %w", out, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("installing %s: %w", out, err)
	}
	return os.Remove(built)
}

// argGoals are the argument-search and size goals, measured.
type argGoals struct {
	results  []bench.ArgResult
	small    bench.SmallResult
	smallErr error // libseccomp unavailable
}

// smallPolicies is how many seeds SmallPolicies draws, as tests/libseccomp does.
const smallPolicies = 300

func measureArgs() (argGoals, error) {
	var g argGoals
	for _, c := range bench.ArgCases() {
		res, err := bench.MeasureArg(c)
		if err != nil {
			return g, err
		}
		g.results = append(g.results, res)
	}
	g.small, g.smallErr = bench.SmallPolicies(smallPolicies)
	var na *bench.NotAvailable
	if g.smallErr != nil && !errors.As(g.smallErr, &na) {
		return g, g.smallErr
	}
	return g, nil
}

// writeArgGoals writes the argument-search and size goals' section.
func writeArgGoals(b *bytes.Buffer, g argGoals) {
	b.WriteString("\n## Argument search and size\n\n")
	b.WriteString(argMethod)
	b.WriteString("| policy | instructions | worst steps | goal | |\n| --- | ---: | ---: | --- | --- |\n")
	for _, r := range g.results {
		verdict := "met"
		if !r.Met() {
			verdict = "NOT met"
		}
		goal := r.Case.Goal()
		if r.Case.SameAs != "" {
			goal += fmt.Sprintf(" (%s instructions; equal: %v)", bench.Group(r.SameAsInstructions), r.Same)
		}
		fmt.Fprintf(b, "| %s | %s | %d | %s | %s |\n", r.Case.Name, bench.Group(r.Instructions), r.WorstSteps, goal, verdict)
	}
	b.WriteString("\n")
	if g.smallErr != nil {
		fmt.Fprintf(b, "Small policies against libseccomp's tree: not measured (%v).\n", g.smallErr)
		return
	}
	s := g.small
	verdict := "met"
	if s.Longer > 0 {
		verdict = "NOT met"
	}
	fmt.Fprintf(b, "Small policies (one to five syscalls on each arch; %d seeds on x86_64+i386+x32, on x86_64 and on i386; the %d that libseccomp builds), never longer than libseccomp's binary tree: longer on %d, %s. Instructions in all: scc %s, libseccomp tree %s, libseccomp linear %s (scc %.2f× the tree, %.2f× the linear layout).",
		smallPolicies, s.Policies, s.Longer, verdict, bench.Group(s.SCC), bench.Group(s.Tree), bench.Group(s.Linear), float64(s.SCC)/float64(s.Tree), float64(s.SCC)/float64(s.Linear))
	fmt.Fprintf(b, " Longer than the linear layout (no goal): %d of %d.", s.LongerThanLinear, s.Policies)
	if s.LongerThanWrong > 0 {
		fmt.Fprintf(b, " scc is also longer on %d where libseccomp's tree decides wrongly, which saves it instructions (tests/libseccomp's TestLibseccompMiscompilation).", s.LongerThanWrong)
	}
	b.WriteString("\n")
}

// argMethod explains the argument-search section.
const argMethod = `Each policy is built by scc as ` + "`scc build`" + ` does and run in the emulator on calls that
probe every decision (each value, its neighbours, and the edges 0, 2^31, 2^32−1, 2^32 and
2^64−1; for the generated policy, 20 calls of each syscall per arch with arguments near its
constants): every verdict is checked against the policy's own, and **worst steps** is the
most any call took. The policies are drawn from fixed seeds (bench.ArgCases), the same that
tests/differential holds scc to.

`

func writeDoc(b *bytes.Buffer, r *bench.Report, stages []bench.Stage, args argGoals, procs *bench.Processes, growth *bench.Growth) {
	fmt.Fprintf(b, "# Benchmarks\n\nGenerated by `make bench` (`go run ./bench/cmd/benchtable`) on %s.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(b, "Machine: %s; Linux %s; load average %s when it ran (times are wall clock on a shared machine).\n\n",
		machine(), kernel(), loadAverage())
	b.WriteString(method)
	b.WriteString(r.Markdown())
	b.WriteString(goals(r))
	if len(stages) > 0 {
		b.WriteString("\nWhere the compile time of Docker's default goes, stage by stage:\n\n| stage | time |\n| --- | ---: |\n")
		for _, s := range stages {
			fmt.Fprintf(b, "| %s | %s |\n", s.Name, fmtDur(s.Time))
		}
		b.WriteString(importGoal(stages))
	}
	writeArgGoals(b, args)
	writeProcesses(b, procs, stages)
	b.WriteString("\n")
	writeGrowth(b, growth)
}

// writeProcesses writes the whole-process section: how it is measured, the tables, the goals
// and, given the stages, their floors.
func writeProcesses(b *bytes.Buffer, procs *bench.Processes, stages []bench.Stage) {
	b.WriteString("\n## Whole processes\n\n")
	fmt.Fprintf(b, processMethod, procs.Options.Runs)
	b.WriteString(procs.Markdown(stages))
}

// writeGrowth writes the growth table's section: how it is measured, the table, the verdicts.
func writeGrowth(b *bytes.Buffer, g *bench.Growth) {
	b.WriteString("## Growth with the policy's size\n\n")
	var sizes []string
	for _, n := range g.Options.Sizes {
		sizes = append(sizes, bench.Group(n))
	}
	list := strings.Join(sizes, ", ")
	if i := strings.LastIndex(list, ", "); i >= 0 {
		list = list[:i] + " and " + list[i+2:]
	}
	fmt.Fprintf(b, growthMethod, list, g.Options.Runs, fmtSeconds(g.Options.Timeout), bench.NearLinear)
	b.WriteString(g.Markdown())
}

// growthMethod explains the growth table; its verbs are the sizes, the runs, the timeout and
// bench.NearLinear.
const growthMethod = `How the time and memory of scc's commands, and of libseccomp building the same policy,
grow with the policy, and the size and steps of the filters: bench.GrowthPolicy
generates policies of %s rules, spread over the syscalls of x86_64 and i386 as real
policies are (plain allows, ==, !=, <, >=, masks, in {} sets, two-argument rules, && and ||,
allow, errno, log, trap and kill); families of syscalls share their argument rules, so the
5,000-rule policy still fits the kernel's 4096 instructions. Each command runs %d times on
each size, interleaved (every size and command, then again), and the table gives the median.

- **time** is the wall clock of the whole process, from its start to its exit: for scc, the
  process's start, loading the embedded syscall tables, reading and parsing the policy,
  compiling it, and then for **scc build** optimizing, emitting, verifying and writing the
  blob to a file; for **scc lint** every check of docs/lint.md and printing the findings
  (to /dev/null). **libseccomp tree** is bench/cmd/libseccompbuild on the OCI profile that
  ` + "`scc export`" + ` writes from the policy (not timed): libseccomp's C API builds it as runc does
  (evaluate, seccomp_rule_add per name, seccomp_export_bpf with the binary tree) and writes
  the program. The profile is the policy as nearly as OCI can say it: export warns where it
  cannot say it exactly (a 32-bit argument's comparison reads all 64 bits in a profile), so
  libseccomp's filter is of the same size and shape, not of the same verdicts. The binaries are built once (` + "`go build`" + `) before the runs; the builds are
  not timed.
- **instructions**, **mean steps** and **max steps** measure the filter the command wrote,
  as in the results above (the x86_64 table, arguments zero).
- **CPU** is the process's user and system time on all its threads (the garbage collector's
  too), the same work without the waits for a CPU that the wall clock counts on a shared
  machine.
- **peak RSS** is the process's maximum resident set (getrusage's ru_maxrss).
- **×/10× rules** is how many times the CPU time or the RSS grows for each tenfold growth of
  the rules from the size before (10 for linear growth, 100 for quadratic).
- A run is killed after %s and shown as "> N s"; that command then runs no more on that
  size nor on the larger ones.
- The verdict takes the two largest sizes, each size's least CPU time (the run the machine's
  load disturbed least) and the CPU time above the smallest size's (mostly the process's
  start, which does not grow with the policy); it calls growth up to rules^%.2f near linear
  (that admits n log n, rules^1.13 from 1,000 to 5,000, and noise).

`

// method explains the columns.
const method = `## What is measured

Every filter is run in scc's emulator (package program's VM) on every syscall of the x86_64 table
with arguments zero; the same code measures scc's and libseccomp's programs (package measure).

- **instructions**: the program's length.
- **mean steps**, **max steps**: instructions executed per syscall of the x86_64 table.
- **hot-mix steps**: mean steps weighted by the hot mix, the counts of a busy network
  server (bench.HotMix): futex 4000, read 3000, write 2500, epoll_wait 1500, recvfrom 1200,
  sendto 1100, close 900, mmap 800, openat 700, fstat 600. It is also the profile of the
  "scc --profile hot-mix" rows.
- **cache-eligible**: x86_64 syscalls allowed whatever their arguments whose path the kernel's
  action cache (5.11+) can answer, out of all such syscalls of the policy. Where
  libseccomp's count falls short on Docker's default profile, it is not its layout that
  defeats the cache: the syscalls it misses are those newer than libseccomp's tables, which
  it does not know, leaves out of the filter (runc skips unknown names) and so denies (the
  note on its row counts them); every syscall it knows is cached.
- **compile**: one build in process, by testing.Benchmark, from the same input on both sides.
  For **docker-default**, both start from the profile's JSON: scc's time is what
  ` + "`scc build PROFILE.json`" + ` does (decode the JSON, evaluate it as Docker does, build the policy's
  syntax tree, then compile it, optimize, emit and verify: bench.CompileProfile), libseccomp's is
  runc's (parse and evaluate the JSON, add the rules, export the program:
  tests/libseccomp.BuildProfile). For the **examples** and **large**, scc's time is parse,
  compile, optimize, emit and verify of the .sc policy, libseccomp's is adding the compiled
  IR's rules and exporting (tests/libseccomp.Build); the compile to the IR it starts from is
  not in its time. Neither includes the process's start, reading the file or writing the
  program: the whole-process table below has those. ` + "`go test -bench . ./bench`" + ` has the
  allocations too.

The compilers: **scc** (default: the number tree weighted by the arches' syscall tables),
**scc --balanced** (optimizer.Options.Balanced), **scc --profile hot-mix** (the hot mix as the
profile); **libseccomp linear** (SCMP_FLTATR_CTL_OPTIMIZE=1) and **libseccomp tree** (=2).

The policies: **docker-default** is moby's default profile (moby/profiles/seccomp), evaluated
for amd64 (x86_64, i386, x32), Docker's default capabilities and Linux ` + bench.DockerKernel + `;
scc builds it imported by oci.ImportPolicy, libseccomp builds the JSON as Docker and runc do. The
**examples** are the shipped examples/*.sc; libseccomp builds their compiled IR
(tests/libseccomp.Build) when it is in the subset libseccomp expresses with scc's semantics,
else n/a with the reason. **large (generated)** is bench.LargeCase: every syscall of the
x86_64 and i386 tables numbered up to 450 (libseccomp 2.5.4 knows no newer ones) but the
socketcall/ipc multiplexed ones, a quarter of them with argument rules.

## Results

`

// processMethod explains the whole-process table; its verb is the runs.
const processMethod = `Docker's default profile built and run by whole processes, each command run %d times,
interleaved (every command once, then again); benchtable builds the binaries first (not
timed): scc as ` + "`make build`" + ` builds it (static, without cgo), bench/cmd/libseccompbuild
(libseccomp's C API through libseccomp-golang, as runc calls it, in a Go program like runc)
and bench/cmd/benchhelper (a Go program without cgo), and installs each by copying it, as
installing a program does: a binary fresh from the Go linker, which writes it through a
memory map, starts about 0.25 ms slower here than the same bytes copied; and a copy made
an hour before started 0.6 ms slower than a fresh one (this virtual machine's kernel ages
the page cache), so every binary is installed just before the runs, and the runs interleave.
The **wall clock** runs from the process's start to its exit; on a shared machine it also
counts the waits for a CPU, which the **least CPU time** (user and system, all threads, of
the run the load disturbed least) leaves out. **Page faults** are that run's minor page
faults: every page a process touches first (its binary's, its heap's, its stacks') is a trip
into the kernel, which on this machine's virtual CPU costs a few microseconds (more than
the work done on most of those pages), and much of the difference between the rows. (The
kernel's split of a run's CPU time into user and system time is by clock ticks, too coarse
for runs of a few milliseconds, so the table gives neither.) Neither scc
nor libseccompbuild flushes its output to the disk (fsync); scc writes it to a temporary
file that then takes the output's place (an exchange, see cmd/scc/cli/output.go).

`

// goals checks the profile build's goals on Docker's default profile.
func goals(r *bench.Report) string {
	prof, okP := r.Find("docker-default", "scc --profile hot-mix")
	bal, okB := r.Find("docker-default", "scc --balanced")
	var b strings.Builder
	b.WriteString("\n## The profile build's goals, on Docker's default profile\n\n")
	if !okP || !okB || prof.NA != "" || bal.NA != "" {
		b.WriteString("Not measurable: a build failed (see the notes above).\n")
		return b.String()
	}
	check := func(ok bool) string {
		if ok {
			return "met"
		}
		return "NOT met"
	}
	fmt.Fprintf(&b, "- hot-mix steps ≤ 7 with the profile: %.2f, %s.\n", prof.HotMean, check(prof.HotMean <= 7))
	fmt.Fprintf(&b, "- compile ≤ 2 ms in process with the profile, from the policy (docker.sc: parse, compile, optimize, emit, verify): %s, %s.",
		fmtDur(prof.CompilePolicy), check(prof.CompilePolicy > 0 && prof.CompilePolicy <= 2*time.Millisecond))
	if plain, ok := r.Find("docker-default", "scc"); ok && plain.NA == "" {
		fmt.Fprintf(&b, " The default build: %s, %s.", fmtDur(plain.CompilePolicy),
			check(plain.CompilePolicy > 0 && plain.CompilePolicy <= 2*time.Millisecond))
	}
	fmt.Fprintf(&b, " From the JSON, its import included (the table's compile column): %s with the profile.\n", fmtDur(prof.Compile))
	fmt.Fprintf(&b, "- no worse than the balanced build: instructions %d vs %d, mean steps %.2f vs %.2f, max steps %d vs %d: %s.\n",
		prof.Instructions, bal.Instructions, prof.MeanSteps, bal.MeanSteps, prof.MaxSteps, bal.MaxSteps,
		check(prof.Instructions <= bal.Instructions && prof.MeanSteps <= bal.MeanSteps && prof.MaxSteps <= bal.MaxSteps))
	return b.String()
}

// importGoal checks the import's goal on the stages: the JSON's import, to the syntax tree
// the compiler takes, costs no more than parsing and compiling the policy it imports to.
func importGoal(stages []bench.Stage) string {
	var imp, pc time.Duration
	for _, s := range stages {
		switch s.Key {
		case bench.StageImport:
			imp = s.Time
		case bench.StageParseCompile:
			pc = s.Time
		}
	}
	if imp == 0 || pc == 0 {
		return "\nThe import's goal is not measurable: a stage failed.\n"
	}
	verdict := "NOT met"
	if imp <= pc {
		verdict = "met"
	}
	return fmt.Sprintf("\n- the JSON's import at most the policy's parse and compile: %s vs %s (%.2f×), %s.\n",
		fmtDur(imp), fmtDur(pc), float64(imp)/float64(pc), verdict)
}

func fmtSeconds(d time.Duration) string {
	return fmt.Sprintf("%g s", d.Seconds())
}

func fmtDur(d time.Duration) string {
	if d == 0 {
		return "not timed"
	}
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}
