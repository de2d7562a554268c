package record

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/lang"
)

// Base is a policy a recording extends: its source, the name it is read under (includes
// are relative to it) and the policy to extend (empty: the file's one top policy).
type Base struct {
	Name   string
	Source []byte
	Policy string
}

// Extend writes base's policy with rules added at its end that allow what rec saw and the
// base does not decide already: a syscall the base allows unconditionally on all its
// arches, or decides with an unconditional rule of another action (which would hide an
// added rule: first match wins), gets no rule; the latter are named in a comment. The base's
// rules keep precedence, its arches, default and flags stay, and the added rules are chosen
// as Generate chooses them, for the base's arches. opts.Name and opts.Default are unused.
func Extend(base Base, rec *Recording, opts PolicyOptions) ([]byte, error) {
	res, errs := compiler.CompileSource(base.Name, base.Source, compiler.Options{Policy: base.Policy})
	if errs.HasErrors() {
		return nil, fmt.Errorf("the base policy does not compile: %w", errs.Err())
	}
	f, errs := lang.Parse(base.Name, base.Source)
	if errs.HasErrors() {
		return nil, errs.Err()
	}
	decl := policyDecl(f, res.Policy.Name)
	if decl == nil {
		return nil, fmt.Errorf("%s: policy %s is not in the file itself (it comes from an include)", base.Name, res.Policy.Name)
	}
	var arches []string
	for _, ap := range res.Policy.Arches {
		arches = append(arches, ap.Arch.Name)
	}
	kept, refused := newCalls(rec, res.Policy)
	opts.Arches = arches
	p := plan(&Recording{Argv: rec.Argv, Syscalls: kept}, opts)
	var b strings.Builder
	fmt.Fprintf(&b, "\n    # Added by scc record on %s:\n", rec.Started.UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "    #   %s\n", CommandLine(rec.Argv))
	if len(refused) > 0 {
		fmt.Fprintf(&b, "    # The run called these, which the base refuses with a rule of its own: %s.\n",
			strings.Join(refused, ", "))
	}
	if len(p.groups)+len(p.names)+len(p.conds) == 0 {
		b.WriteString("    # Nothing to add: the base allows every call of the run.\n")
	}
	p.rules(&b)
	end := decl.Close.Offset
	src := string(base.Source[:end]) + b.String() + string(base.Source[end:])
	out, errs := lang.Parse(base.Name, []byte(src))
	if errs.HasErrors() {
		return nil, fmt.Errorf("record: the extended policy does not parse: %w", errs.Err())
	}
	return lang.Format(out), nil
}

// policyDecl is the file's policy called name, or nil.
func policyDecl(f *lang.File, name string) *lang.PolicyDecl {
	for _, d := range f.Decls {
		if pd, ok := d.(*lang.PolicyDecl); ok && pd.Name.Name == name {
			return pd
		}
	}
	return nil
}

// newCalls splits the recorded syscalls of the policy's arches into those the policy does
// not decide yet, and the names of those it refuses with an unconditional rule.
func newCalls(rec *Recording, p *ir.Policy) (kept []Syscall, refused []string) {
	for _, s := range rec.Syscalls {
		if s.Name == "" {
			continue
		}
		var ap *ir.ArchPolicy
		for _, a := range p.Arches {
			if a.Arch.Name == s.Arch {
				ap = a
			}
		}
		if ap == nil {
			continue // another ABI than the base's: the base kills it, as its arch line says
		}
		switch act, decided := unconditional(ap.Rules[s.Nr]); {
		case !decided:
			kept = append(kept, s)
		case act != ir.ActAllow && !slices.Contains(refused, s.Name):
			refused = append(refused, s.Name)
		}
	}
	slices.Sort(refused)
	return kept, refused
}

// unconditional is the action of the first rule that always matches, if any: what a rule
// added after them can never change.
func unconditional(rules []ir.Rule) (ir.Action, bool) {
	for _, r := range rules {
		if r.Cond == nil || r.Cond == ir.Const(true) {
			return r.Action, true
		}
	}
	return ir.Action{}, false
}
