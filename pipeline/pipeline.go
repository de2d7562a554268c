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
	"cmp"
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
// profile imported as a policy; or a compiled filter, decoded.
type Source struct {
	Input *Input
	// Filter is a compiled input's filter; nil for a policy.
	Filter *backend.Filter
	// Imported is a profile's import, with its warnings; nil for the other inputs.
	Imported *oci.Imported
	// files are the policy and its includes; for a profile, its policy's text (Compile makes
	// it when first needed); nil for a compiled filter.
	files *compiler.Files
	// tree is a profile's policy as imported, a syntax tree without lines and columns: what
	// Build compiles, with no text to write and parse again.
	tree *compiler.Files
	opts Options
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
		imp, err := importProfile(in, &s.opts)
		if err != nil {
			return nil, err
		}
		s.Imported, s.tree = imp, compiler.LoadTree(imp.File)
	default:
		s.files = compiler.LoadSource(in.Name, in.Data, in.Info, s.opts.Compile)
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

// importProfile imports a profile as a policy called NAME.sc, evaluated for the host arch
// opts names; the policy then keeps the arches of the profile's archMap.
func importProfile(in *Input, opts *Options) (*oci.Imported, error) {
	im := opts.Import
	im.Source, im.File = in.Name, in.Name+".sc"
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
	imp, err := oci.ImportPolicy(in.Data, im)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Name, err)
	}
	return imp, nil
}

// policyFiles are the files Compile compiles: for a profile, its policy's text, written
// once when first needed, so that diagnostics point into the text scc import writes.
func (s *Source) policyFiles() (*compiler.Files, diag.List) {
	if s.files == nil && s.Imported != nil {
		text, err := s.Imported.Text()
		if err != nil {
			var errs diag.List
			errs.Errorf(diag.Pos{File: s.Input.Name}, "%s: %v", s.Input.Name, err)
			return nil, errs
		}
		s.files = compiler.LoadSource(s.Input.Name+".sc", text, nil, s.opts.Compile)
	}
	return s.files, nil
}

// Inputs lists every file the source read: the input, then its includes.
func (s *Source) Inputs() []compiler.Input {
	if s.files == nil || s.Input.Kind == Profile {
		return []compiler.Input{{Name: s.Input.Name, Info: s.Input.Info}}
	}
	return s.files.Inputs()
}

// Compile compiles the policy named (empty: the main file's only policy that no other uses).
// A profile's policy is compiled from its text, for diagnostics with the lines they are on.
func (s *Source) Compile(policy string) (*compiler.Result, diag.List) {
	if s.Filter != nil {
		var errs diag.List
		d := errs.Errorf(diag.Pos{File: s.Input.Name}, "%s is a compiled filter (%s), not a policy", s.Input.Name, s.Input.Kind)
		d.Hint = "this command needs the policy it was built from"
		return &compiler.Result{}, errs
	}
	files, errs := s.policyFiles()
	if errs.HasErrors() {
		return &compiler.Result{}, errs
	}
	return files.Compile(s.compileOptions(policy))
}

func (s *Source) compileOptions(policy string) compiler.Options {
	opts := s.opts.Compile
	opts.Policy = policy
	return opts
}

// Build compiles, optimizes and emits the policy named. Diagnostics hold every error found;
// Output.Sources is set even on error, for printing them. A profile's policy is built from
// its syntax tree, and only when that fails again from its text, for the diagnostics.
func (s *Source) Build(policy string) (*Output, diag.List) {
	if s.tree != nil {
		res, errs := s.tree.Compile(s.compileOptions(policy))
		out, errs := finish(res, errs, s.opts)
		if !errs.HasErrors() {
			return out, errs
		}
	}
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
	if files := cmp.Or(s.tree, s.files); files != nil && !files.Errors().HasErrors() {
		file = files.MainFile()
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
