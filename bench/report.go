package bench

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/irmeaning"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/optimizer"
)

// Report is what BENCHMARKS.md shows: a row per case and compiler.
type Report struct {
	Rows []Row
}

// Run measures every case of Cases(root) with scc's variants and libseccomp. With timed, each
// row also gets its compile time, from testing.Benchmark (about a second per row).
func Run(root string, timed bool) (*Report, error) {
	cases, err := Cases(root)
	if err != nil {
		return nil, err
	}
	variants, err := Variants()
	if err != nil {
		return nil, err
	}
	r := &Report{}
	for _, c := range cases {
		rows, err := measureCase(c, variants, timed)
		if err != nil {
			return nil, err
		}
		r.Rows = append(r.Rows, rows...)
	}
	return r, nil
}

// measureCase measures one case with every compiler.
func measureCase(c Case, variants []Variant, timed bool) ([]Row, error) {
	p, err := Policy(c)
	if err != nil {
		return nil, err
	}
	rows, err := MeasureScc(c, p, variants)
	if err != nil {
		return nil, err
	}
	lib, err := MeasureLibseccomp(c, p)
	if err != nil {
		return nil, err
	}
	if timed {
		for i := range rows {
			if rows[i].NA != "" {
				continue
			}
			opts := variants[i].Options
			if c.Profile != nil { // from the JSON, as libseccomp's builds
				rows[i].Compile = timeIt(func() error { _, err := CompileProfile(c, opts); return err })
				rows[i].CompilePolicy = timeIt(func() error { _, err := Compile(c, opts); return err })
				continue
			}
			rows[i].Compile = timeIt(func() error { _, err := Compile(c, opts); return err })
		}
		for i := range lib {
			if lib[i].NA == "" {
				level := i + 1
				lib[i].Compile = timeIt(func() error { _, err := libseccompProgram(c, p, level); return err })
			}
		}
	}
	return append(rows, lib...), nil
}

// timeIt returns the time of one call of f, by testing.Benchmark; 0 when f fails.
func timeIt(f func() error) time.Duration {
	var failed error
	res := testing.Benchmark(func(b *testing.B) {
		for b.Loop() {
			if err := f(); err != nil {
				failed = err
				return
			}
		}
	})
	if failed != nil || res.N == 0 {
		return 0
	}
	return time.Duration(res.NsPerOp())
}

// Markdown renders the rows as a table; a compiler that cannot build a case shows "n/a" with
// a numbered note.
func (r *Report) Markdown() string {
	var b, notes strings.Builder
	b.WriteString("| policy | compiler | instructions | mean steps | max steps | hot-mix steps | cache-eligible | compile |\n")
	b.WriteString("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	n := 0
	for _, row := range r.Rows {
		if row.NA != "" {
			n++
			fmt.Fprintf(&b, "| %s | %s | n/a [%d] | | | | | |\n", row.Case, row.Compiler, n)
			fmt.Fprintf(&notes, "%d. %s, %s: %s\n", n, row.Case, row.Compiler, row.NA)
			continue
		}
		mark := ""
		if row.Disagree > 0 {
			n++
			mark = fmt.Sprintf(" [%d]", n)
			fmt.Fprintf(&notes, "%d. %s, %s: the verdicts of %d x86_64 syscalls (arguments zero) differ from scc's policy (for libseccomp: the syscalls newer than its tables, which it leaves out).\n",
				n, row.Case, row.Compiler, row.Disagree)
		}
		fmt.Fprintf(&b, "| %s | %s%s | %d | %.2f | %d | %.2f | %d/%d | %s |\n", row.Case, row.Compiler, mark,
			row.Instructions, row.MeanSteps, row.MaxSteps, row.HotMean, row.Cached, row.ArgFree, compileTime(row.Compile))
	}
	if notes.Len() > 0 {
		b.WriteString("\n" + notes.String())
	}
	return b.String()
}

func compileTime(d time.Duration) string {
	if d == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

// Find returns the row of a case and compiler.
func (r *Report) Find(caseName, compiler string) (Row, bool) {
	for _, row := range r.Rows {
		if row.Case == caseName && row.Compiler == compiler {
			return row, true
		}
	}
	return Row{}, false
}

// Stage is the time of one stage of scc's build of a case.
type Stage struct {
	Name string
	Time time.Duration
	// Key names the stages a goal compares: StageImport, StageParseCompile; else empty.
	Key string
}

// The keys of the stages that goals read. The import's goal compares two: the JSON's import
// costs no more than parsing and compiling the policy it imports to. The whole-process
// goals' floors (Processes.Floors) add them up.
const (
	StageImport          = "import"
	StageCompileImported = "compile-imported"
	StageParseCompile    = "parse-compile"
	StageOptimize        = "optimize" // scc's default build
	StageEmit            = "emit"
)

// Stages times Docker's default build with the profile stage by stage: import the JSON (to
// the syntax tree the compiler takes) and compile the tree, as scc build PROFILE.json does;
// parse the policy alone, and parse and compile it to the IR, as scc build docker.sc does;
// optimize (each variant), and emit with verification.
func Stages() ([]Stage, error) {
	c, err := DockerCase()
	if err != nil {
		return nil, err
	}
	variants, err := Variants()
	if err != nil {
		return nil, err
	}
	p, err := Policy(c)
	if err != nil {
		return nil, err
	}
	parse := timeIt(func() error {
		if _, errs := lang.Parse(c.File, c.Source); errs.HasErrors() {
			return errs
		}
		return nil
	})
	imp, err := ImportDocker(c.Profile)
	if err != nil {
		return nil, err
	}
	compileImported := timeIt(func() error {
		if _, errs := compiler.LoadTree(imp.File).Compile(compiler.Options{}); errs.HasErrors() {
			return errs
		}
		return nil
	})
	stages := []Stage{
		{"import the JSON (oci.ImportPolicy: decode, evaluate, build the policy's syntax tree)",
			timeIt(func() error { _, err := ImportDocker(c.Profile); return err }), StageImport},
		{"compile the imported syntax tree to the IR (no text is parsed)", compileImported, StageCompileImported},
		{"parse the policy (docker.sc, the text scc import writes)", parse, ""},
		{"parse and compile the policy to the IR", timeIt(func() error { _, err := Policy(c); return err }), StageParseCompile},
	}
	for i, v := range variants {
		o := v.Options.Optimize
		key := ""
		if i == 0 {
			key = StageOptimize
		}
		stages = append(stages, Stage{Name: "optimize (" + v.Name + ")", Time: timeIt(func() error { _, err := optimizer.Optimize(p, o); return err }), Key: key})
	}
	prog, err := optimizer.Optimize(p, variants[len(variants)-1].Options.Optimize)
	if err != nil {
		return nil, err
	}
	last := variants[len(variants)-1].Name
	f, err := backend.Build(prog)
	if err != nil {
		return nil, err
	}
	emit := timeIt(func() error { _, err := backend.Build(prog); return err })
	prove := timeIt(func() error { return proveBuild(p, f) })
	return append(stages,
		Stage{Name: "emit and verify (" + last + ")", Time: emit, Key: StageEmit},
		Stage{Name: "prove the program (" + last + "; scc build --prove: the program's meaning and the IR's, computed and compared)", Time: prove},
	), nil
}

// proveBuild is scc build --prove's check of a finished build: the program decides as the
// policy's IR on every input.
func proveBuild(p *ir.Policy, f *backend.Filter) error {
	diffs, err := irmeaning.Prove(p, f.Program, f.BigEndian)
	if err != nil {
		return err
	}
	if len(diffs) > 0 {
		return fmt.Errorf("the program differs from its policy in %d regions", len(diffs))
	}
	return nil
}
