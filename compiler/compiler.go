// Package compiler resolves a parsed policy into the IR: it loads includes, resolves syscall,
// group, constant, argument and policy names per architecture, checks argument widths and
// action data, and lowers rules and conditions. Every diagnostic is positioned.
//
// It knows nothing of BPF: it must not import the optimizer, the back end, the loader or the
// pipeline; what it knows of the kernel (flag rules, seccomp_data) comes from package program.
package compiler

import (
	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/program"
)

// Options tune a compilation.
type Options struct {
	// Policy names the policy to build; empty means the file's only policy that no other
	// policy uses.
	Policy string
	// Arches, when set, replaces the policy's own arch list (canonical names or aliases).
	Arches []string
	// ReadFile reads the main file and includes; nil means the file system, where a file is
	// read only as far as lang.MaxFileSize and one byte more (Parse rejects it then).
	ReadFile func(path string) ([]byte, error)
}

// Expect is one `expect` line of a policy, resolved for one arch.
type Expect struct {
	Pos  diag.Pos
	Text string // the call as written, e.g. "socket(AF_INET, SOCK_STREAM, 0)"
	Arch ir.Arch
	Data program.SeccompData
	Want ir.Action
	// WantText is Want as written: errno(EPERM), not errno(1).
	WantText string
}

// Result is a compiled policy with what the tools around the compiler need.
type Result struct {
	Policy  *ir.Policy
	Pos     diag.Pos // where the policy is declared
	Expects []Expect
	// Warnings are what the compiler did that the author should know about, such as an allow
	// rule skipped on an arch where its syscall lacks an argument the condition names.
	Warnings diag.List
	// Sources holds every file read, for printing diagnostics with their source lines.
	Sources diag.SourceMap
	// Files are the syntax trees of the files read, in include order (a file's includes
	// before it), for tools that look at the source as written (lint): the compiler reads
	// them and changes nothing in them.
	Files []*lang.File

	// RepeatedUses are the uses of a policy that an earlier use already spliced: the
	// compiler splices a policy once, since a repeated rule never decides.
	RepeatedUses []RepeatedUse
	// ArchNever are the rules whose condition compares arch and holds on none of the
	// policy's arches: they are in no arch's rules.
	ArchNever []diag.Pos

	spellings map[spelling]string // see ActionText
}

// ActionText writes an action as the policy first wrote it on arch, errno(EPERM) rather than
// errno(1), for messages about what a filter decides; an action with no data, or one the
// policy does not write, in its canonical form. A nil Result writes every action canonically.
func (r *Result) ActionText(arch string, a ir.Action) string {
	if r != nil {
		if s, ok := r.spellings[spelling{arch, a}]; ok {
			return s
		}
	}
	return a.String()
}

// CompileFile compiles the policy file at path. On error the diagnostics list holds the
// errors found, sorted, at most diag.MaxErrors of them and then "too many errors" (see
// diag.List.Capped), and the Result still carries Sources for printing them.
func CompileFile(path string, opts Options) (*Result, diag.List) {
	return LoadFile(path, opts).Compile(opts)
}

// CompileSource compiles a policy from memory, as if read from a file called name.
// Includes are read from the file system relative to name.
func CompileSource(name string, src []byte, opts Options) (*Result, diag.List) {
	return LoadSource(name, src, nil, opts).Compile(opts)
}

// Compile picks the policy opts names (else the main file's only policy that no other uses)
// and compiles it. It may be called again for another policy of the same files.
func (fs *Files) Compile(opts Options) (*Result, diag.List) {
	res := &Result{Sources: fs.sources, Files: fs.files}
	if fs.errs.HasErrors() {
		return res, settle(fs.errs)
	}
	sc := newScope(fs)
	if sc.errs.HasErrors() {
		return res, settle(sc.errs)
	}
	pd := sc.pickPolicy(opts.Policy, fs.main)
	if pd == nil {
		return res, settle(sc.errs)
	}
	res.Pos = pd.At
	res.Policy, res.Expects = sc.compilePolicy(pd, opts.Arches)
	res.RepeatedUses = sc.repeats
	res.ArchNever = sc.archNever
	res.spellings = sc.spellings
	sc.warnings.Sort()
	res.Warnings = sc.warnings.Dedupe()
	sc.errs.Sort()
	return res, settle(sc.errs.Dedupe())
}

// settle caps a list of errors at diag.MaxErrors and computes the hints of those kept: a
// file with very many errors is reported in time linear in its size.
func settle(l diag.List) diag.List {
	l = l.Capped()
	l.ResolveHints()
	return l
}
