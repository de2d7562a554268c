// Package pipeline is the one way into scc's stages. It reads an input once (a file or
// stdin), tells by its content whether it is a policy, a Docker/OCI profile or a compiled
// filter, turns a profile into a policy, picks the policy to build, and runs the stages in
// order: compile to the IR, optimize to a decision DAG, emit a verified BPF filter. It also
// reads the syscall frequencies (NAME COUNT lines, or strace -c's table) that weight the
// optimizer's search trees. The command line, the tests and the benchmarks all build
// through it.
//
// It must not import the command line (cmd/scc) or the loader.
package pipeline

import (
	"fmt"
	"strings"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/oci"
	"github.com/scc-dev/scc/optimizer"
	"github.com/scc-dev/scc/program"
)

// Options tune a build.
type Options struct {
	// Compile.Policy is overridden by the name given to Source.Compile and Source.Build.
	// For a profile, Compile.Arches names the one host arch it is evaluated for, and the
	// filter covers that arch's archMap entry, as runc's does.
	Compile  compiler.Options
	Optimize optimizer.Options
	// LogOnly turns every action that is not allow into log before optimizing (see
	// ir.Policy.LogOnly): the filter of scc run --log, for trying a policy out.
	LogOnly bool
	// Import evaluates a profile: its capabilities and kernel (its Arch comes from
	// Compile.Arches).
	Import oci.ImportOptions
}

// Output is everything a build made.
type Output struct {
	*compiler.Result
	Program *optimizer.Program
	Filter  *backend.Filter
}

// Source is an input made ready to build: a policy and its includes, read and parsed, or a
// profile turned into one; or a compiled filter, decoded.
type Source struct {
	Input *Input
	// Files is the policy and its includes; nil for a compiled filter.
	Files *compiler.Files
	// Filter is a compiled input's filter; nil for a policy.
	Filter *backend.Filter
	opts   Options
}

// Load makes an input ready to build. The errors of reading includes and parsing come out of
// Compile and Build, positioned; Load's own error is for a profile or filter it cannot read.
func Load(in *Input, opts Options) (*Source, error) {
	s := &Source{Input: in, opts: opts}
	switch in.Kind {
	case Blob, Raw:
		f, err := decode(in)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", in.Name, err)
		}
		s.Filter = f
	case Profile:
		src, err := importProfile(in, &s.opts)
		if err != nil {
			return nil, err
		}
		s.Files = compiler.LoadSource(in.Name+".sc", src, nil, s.opts.Compile)
	default:
		s.Files = compiler.LoadSource(in.Name, in.Data, in.Info, s.opts.Compile)
	}
	return s, nil
}

func decode(in *Input) (*backend.Filter, error) {
	if in.Kind == Blob {
		return backend.Decode(in.Data)
	}
	prog, big, err := program.DecodeRawEither(in.Data)
	if err != nil {
		return nil, err
	}
	return &backend.Filter{Program: prog, BigEndian: big}, nil
}

// importProfile turns a profile into policy source, evaluated for the host arch opts names;
// the policy then keeps the arches of the profile's archMap.
func importProfile(in *Input, opts *Options) ([]byte, error) {
	im := opts.Import
	im.Source = in.Name
	if i := strings.LastIndexByte(in.Name, '/'); i >= 0 {
		im.Source = in.Name[i+1:]
	}
	switch arches := opts.Compile.Arches; len(arches) {
	case 0:
	case 1:
		im.Arch = arches[0]
	default:
		return nil, fmt.Errorf("%s: a profile is evaluated for one host arch, not --arch %s", in.Name, strings.Join(arches, ","))
	}
	opts.Compile.Arches = nil
	src, err := oci.Import(in.Data, im)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Name, err)
	}
	return src, nil
}

// Inputs lists every file the source read: the input, then its includes.
func (s *Source) Inputs() []compiler.Input {
	if s.Files == nil || s.Input.Kind == Profile {
		return []compiler.Input{{Name: s.Input.Name, Info: s.Input.Info}}
	}
	return s.Files.Inputs()
}

// Compile compiles the policy named (empty: the main file's only policy that no other uses).
func (s *Source) Compile(policy string) (*compiler.Result, diag.List) {
	if s.Files == nil {
		var errs diag.List
		d := errs.Errorf(diag.Pos{File: s.Input.Name}, "%s is a compiled filter (%s), not a policy", s.Input.Name, s.Input.Kind)
		d.Hint = "this command needs the policy it was built from"
		return &compiler.Result{}, errs
	}
	opts := s.opts.Compile
	opts.Policy = policy
	return s.Files.Compile(opts)
}

// Build compiles, optimizes and emits the policy named. Diagnostics hold every error found;
// Output.Sources is set even on error, for printing them.
func (s *Source) Build(policy string) (*Output, diag.List) {
	res, errs := s.Compile(policy)
	return finish(res, errs, s.opts)
}

// Policies lists the policies of the main file that commands checking every policy (test,
// lint) work on. With expects, those that carry expect lines: each is checked on its own,
// including a policy that others `use`. Otherwise, and when none carries any, the policies no
// other policy of the file uses. It returns [""], the compiler's own choice and its errors,
// for a file that does not parse or has no policy.
func (s *Source) Policies(expects bool) []string {
	var file *lang.File
	if s.Files != nil && !s.Files.Errors().HasErrors() {
		file = s.Files.MainFile()
	}
	if file == nil {
		return []string{""}
	}
	var policies []*lang.PolicyDecl
	used := map[string]bool{}
	lang.Inspect(file, func(n lang.Node) bool {
		switch n := n.(type) {
		case *lang.PolicyDecl:
			policies = append(policies, n)
		case *lang.UseStmt:
			used[n.Policy.Name] = true
		}
		return true
	})
	var names []string
	for _, p := range policies {
		if expects && hasExpects(p) {
			names = append(names, p.Name.Name)
		}
	}
	if len(names) == 0 {
		for _, p := range policies {
			if !used[p.Name.Name] {
				names = append(names, p.Name.Name)
			}
		}
	}
	if len(names) == 0 {
		return []string{""}
	}
	return names
}

func hasExpects(p *lang.PolicyDecl) bool {
	for _, st := range p.Body {
		if _, ok := st.(*lang.ExpectStmt); ok {
			return true
		}
	}
	return false
}

// BuildFile compiles, optimizes and emits the policy file at path.
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
