package bench

import (
	"errors"
	"fmt"
	"time"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/measure"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/program"
)

// Variant is one way to build a case with scc.
type Variant struct {
	Name    string
	Options pipeline.Options
}

// Variants returns scc's builds: the default tree (weighted by the arches' syscall tables),
// the tree balanced over ranges, and the tree weighted by HotMix on Arch.
func Variants() ([]Variant, error) {
	w, err := HotMixNumbers()
	if err != nil {
		return nil, err
	}
	var def, bal, prof pipeline.Options
	bal.Optimize.Balanced = true
	prof.Optimize.Weights, prof.Optimize.WeightsArch = w, Arch
	return []Variant{{"scc", def}, {"scc --balanced", bal}, {"scc --profile hot-mix", prof}}, nil
}

// Compile builds a case with scc through the pipeline, as `scc build` does.
func Compile(c Case, opts pipeline.Options) (*pipeline.Output, error) {
	out, errs := pipeline.BuildSource(c.File, c.Source, opts)
	if err := errs.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", c.Name, err)
	}
	return out, nil
}

// CompileProfile builds a case's Docker profile with scc from its JSON, as `scc build
// PROFILE.json --arch amd64 --kernel DockerKernel` does: the import (the JSON decoded, the
// profile evaluated, the policy's syntax tree built) and then Compile's stages but the
// parse. It is what scc's compile time of a profile case measures, from the same JSON
// libseccomp's builds read.
func CompileProfile(c Case, opts pipeline.Options) (*pipeline.Output, error) {
	opts.Compile.Arches = []string{"amd64"}
	opts.Import.Kernel = DockerKernel
	in := &pipeline.Input{Name: c.Name + ".json", Data: c.Profile, Kind: pipeline.Detect(c.Profile)}
	src, err := pipeline.Load(in, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.Name, err)
	}
	out, errs := src.Build("")
	if err := errs.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", c.Name, err)
	}
	return out, nil
}

// Row is one build of one case, measured on Arch.
type Row struct {
	Case, Compiler string
	// NA, when set, says why the compiler cannot build the case; the numbers are then unset.
	NA           string
	Instructions int
	MeanSteps    float64 // over the syscalls of Arch's table, arguments zero
	MaxSteps     int
	HotMean      float64 // steps weighted by HotMix
	Cached       int     // argument-free allowed syscalls the kernel's action cache holds
	ArgFree      int     // argument-free allowed syscalls
	// Disagree counts the table syscalls (arguments zero) on which the program's verdict
	// differs from the policy's; it should be zero.
	Disagree int
	Compile  time.Duration // one build in process; 0 when not timed
	// CompilePolicy is, for a profile case, one build from the policy the profile imports to
	// (Case.Source), as `scc build docker.sc` does: Compile without the import.
	CompilePolicy time.Duration
}

// MeasureScc builds c with each variant and measures the filters against p, c compiled; a
// build that fails gets a row marked NA with the error.
func MeasureScc(c Case, p *ir.Policy, variants []Variant) ([]Row, error) {
	var rows []Row
	for _, v := range variants {
		out, err := Compile(c, v.Options)
		if err != nil {
			rows = append(rows, Row{Case: c.Name, Compiler: v.Name, NA: "scc failed: " + err.Error()})
			continue
		}
		row, err := measureProgram(c.Name, v.Name, p, out.Filter.Program)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// Policy compiles c to the IR, the reference every build of it is checked against.
func Policy(c Case) (*ir.Policy, error) {
	res, errs := compiler.CompileSource(c.File, c.Source, compiler.Options{})
	if err := errs.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", c.Name, err)
	}
	return res.Policy, nil
}

// MeasureLibseccomp builds c with libseccomp at both optimization levels. p is c compiled by
// scc, the reference for verdicts; a policy outside libseccomp's subset gets rows marked NA.
func MeasureLibseccomp(c Case, p *ir.Policy) ([]Row, error) {
	var rows []Row
	for _, lv := range []struct {
		name  string
		level int
	}{{"libseccomp linear", 1}, {"libseccomp tree", 2}} {
		prog, err := libseccompProgram(c, p, lv.level)
		var na *NotAvailable
		if errors.As(err, &na) {
			rows = append(rows, Row{Case: c.Name, Compiler: lv.name, NA: na.Reason})
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s, %s: %w", c.Name, lv.name, err)
		}
		row, err := measureProgram(c.Name, lv.name, p, prog)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// NotAvailable is the error of a build the compiler cannot make.
type NotAvailable struct{ Reason string }

func (e *NotAvailable) Error() string { return "not available: " + e.Reason }

// measureProgram measures prog, which should decide as p, on Arch with measure.Measure (the
// same emulator and the same cache rules for every compiler).
func measureProgram(name, compiler string, p *ir.Policy, prog []bpf.RawInstruction) (Row, error) {
	row := Row{Case: name, Compiler: compiler, Instructions: len(prog)}
	f := &backend.Filter{Program: prog, BigEndian: p.Arches[0].Arch.BigEndian}
	r, err := measure.Measure(p, f, HotMix)
	if err != nil {
		return row, fmt.Errorf("%s, %s: %w", name, compiler, err)
	}
	for i, a := range r.Arches {
		if a.Arch != Arch {
			continue
		}
		row.MeanSteps, row.MaxSteps, row.HotMean = a.MeanSteps, a.MaxSteps, a.WeightedMean
		row.Cached, row.ArgFree = a.Cached, a.ArgFreeAllowed
		row.Disagree, err = disagreements(p, p.Arches[i], f)
		return row, err
	}
	return row, fmt.Errorf("%s: the policy has no %s", name, Arch)
}

// disagreements counts the syscalls of ap's table, called with arguments zero, that f
// decides otherwise than the policy p.
func disagreements(p *ir.Policy, ap *ir.ArchPolicy, f *backend.Filter) (int, error) {
	vm, err := program.NewVM(f.Program, f.BigEndian)
	if err != nil {
		return 0, err
	}
	n := 0
	for nr := range ap.Names {
		d := program.SeccompData{Nr: int32(nr), Arch: ap.Arch.Audit}
		if ret, _ := vm.Run(d); ret != p.Decide(d).Ret() {
			n++
		}
	}
	return n, nil
}
