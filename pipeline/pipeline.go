// Package pipeline runs scc's stages in order: compile a policy file to the IR, optimize it
// to a decision DAG, and emit a verified BPF filter. It is the one place that knows the order;
// the command line, the tests and the benchmarks all build through it.
package pipeline

import (
	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/optimizer"
)

// Options tune a build.
type Options struct {
	Compile  compiler.Options
	Optimize optimizer.Options
	// LogOnly turns every action that is not allow into log before optimizing (see
	// ir.Policy.LogOnly): the filter of scc run --log, for trying a policy out.
	LogOnly bool
}

// Output is everything a build made.
type Output struct {
	*compiler.Result
	Program *optimizer.Program
	Filter  *backend.Filter
}

// BuildFile compiles, optimizes and emits the policy file at path. Diagnostics hold every
// error found; Output.Sources is set even on error, for printing them.
func BuildFile(path string, opts Options) (*Output, diag.List) {
	res, errs := compiler.CompileFile(path, opts.Compile)
	return finish(res, errs, opts)
}

// BuildSource is BuildFile on a policy held in memory, as if read from a file called name.
func BuildSource(name string, src []byte, opts Options) (*Output, diag.List) {
	res, errs := compiler.CompileSource(name, src, opts.Compile)
	return finish(res, errs, opts)
}

func finish(res *compiler.Result, errs diag.List, opts Options) (*Output, diag.List) {
	out := &Output{Result: res}
	if errs.HasErrors() {
		return out, errs
	}
	pol := res.Policy
	if opts.LogOnly {
		pol = pol.LogOnly()
	}
	prog, err := optimizer.Optimize(pol, opts.Optimize)
	if err != nil {
		errs.Errorf(res.Pos, "%s: %v", res.Policy.Name, err)
		return out, errs
	}
	out.Program = prog
	f, err := backend.Build(prog)
	if err != nil {
		errs.Errorf(res.Pos, "policy %s: %v", res.Policy.Name, err)
		return out, errs
	}
	out.Filter = f
	return out, errs
}
