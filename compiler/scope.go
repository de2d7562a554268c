package compiler

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/stdlib"
)

// scope holds the top-level names of a compilation: constants, groups and policies from the
// loaded files, and the standard library's groups.
type scope struct {
	consts   map[string]*lang.ConstDecl
	groups   map[string]*lang.GroupDecl // the files' groups; see group for all
	policies map[string]*lang.PolicyDecl
	order    []*lang.PolicyDecl // policies of all files, in load order
	errs     diag.List
	warnings diag.List
	sources  diag.SourceMap
	arches   []stdlib.Arch // the arches of the policy being compiled
	calls    []syscall     // the syscalls of a rule on an arch, reused (see expandSyscalls)
	// spellings are the actions with data as first written, per arch (Result.ActionText).
	spellings map[spelling]string
	repeats   []RepeatedUse // the repeated uses of the policy being compiled
	// archNever are the rules of the policy being compiled whose arch condition holds on
	// none of its arches.
	archNever []diag.Pos
	// paramsAnywhere holds, by syscall, its parameter names on every arch (see
	// hasParamOnSomeArch).
	paramsAnywhere map[string]map[string]bool
	sigs           map[archSyscall]signatureEntry // see signature
	constArches    map[string][]string            // see archesWithConstant
}

// archSyscall names a syscall on an arch.
type archSyscall struct{ arch, name string }

// signatureEntry is a looked-up signature, or its absence.
type signatureEntry struct {
	sig stdlib.Signature
	ok  bool
}

// signature is stdlib.LookupSignature, looked up once per compilation for each arch and
// syscall: a syscall named by many rules costs one lookup. The signature is shared; its
// Params must not be changed.
func (sc *scope) signature(arch, name string) (stdlib.Signature, bool) {
	key := archSyscall{arch, name}
	if e, ok := sc.sigs[key]; ok {
		return e.sig, e.ok
	}
	sig, ok := stdlib.LookupSignature(arch, name)
	if sc.sigs == nil {
		sc.sigs = map[archSyscall]signatureEntry{}
	}
	sc.sigs[key] = signatureEntry{sig, ok}
	return sig, ok
}

// spelling is an action on an arch, the key of its text as written.
type spelling struct {
	arch string
	act  ir.Action
}

// spell records how an action with data was written on arch, unless it already was.
func (sc *scope) spell(arch string, act ir.Action, text string) {
	if sc.spellings == nil {
		sc.spellings = map[spelling]string{}
	}
	key := spelling{arch, act}
	if _, ok := sc.spellings[key]; !ok {
		sc.spellings[key] = text
	}
}

// warnf records a warning: something the compiler did that the author should know about.
func (sc *scope) warnf(pos diag.Pos, format string, args ...any) *diag.Diagnostic {
	d := &diag.Diagnostic{Pos: pos, Severity: diag.Warning, Message: fmt.Sprintf(format, args...)}
	sc.warnings = append(sc.warnings, d)
	return d
}

func newScope(fs *Files) *scope {
	sc := &scope{
		consts:   map[string]*lang.ConstDecl{},
		groups:   map[string]*lang.GroupDecl{},
		policies: map[string]*lang.PolicyDecl{},
		sources:  fs.sources,
	}
	for _, f := range fs.files {
		for _, d := range f.Decls {
			sc.declare(d)
		}
	}
	return sc
}

func (sc *scope) declare(d lang.Decl) {
	switch d := d.(type) {
	case *lang.ConstDecl:
		if prev, ok := sc.consts[d.Name.Name]; ok {
			sc.redeclared(d.Name, "constant", prev.At)
			return
		}
		if stdlib.KnownConstant(d.Name.Name) {
			sc.errs.Errorf(d.Name.At, "constant %s is built in", d.Name.Name).Hint = "choose another name"
			return
		}
		sc.consts[d.Name.Name] = d
	case *lang.GroupDecl:
		if prev, ok := sc.group(d.Name.Name); ok {
			sc.redeclared(d.Name, "group", prev.At)
			return
		}
		sc.groups[d.Name.Name] = d
	case *lang.PolicyDecl:
		if prev, ok := sc.policies[d.Name.Name]; ok {
			sc.redeclared(d.Name, "policy", prev.At)
			return
		}
		sc.policies[d.Name.Name] = d
		sc.order = append(sc.order, d)
	}
}

func (sc *scope) redeclared(id *lang.Ident, kind string, prev diag.Pos) {
	where := prev.String()
	if prev.File == "" || path.Dir(prev.File) == "stdlib/groups" {
		where = "the standard library (" + prev.File + ")"
	}
	sc.errs.Errorf(id.At, "%s %s is already defined at %s", kind, id.Name, where)
}

// pickPolicy finds the policy to build: the one named, else the only policy of the main file
// that no other policy uses.
func (sc *scope) pickPolicy(name, mainFile string) *lang.PolicyDecl {
	if name != "" {
		if p, ok := sc.policies[name]; ok {
			return p
		}
		d := sc.errs.Errorf(diag.Pos{File: mainFile}, "no policy named %s%s", name, sc.policyList())
		d.SetHintFunc(func() string { return sc.policyHint(name) })
		return nil
	}
	used := map[string]bool{}
	for _, p := range sc.order {
		lang.Inspect(p, func(n lang.Node) bool {
			if u, ok := n.(*lang.UseStmt); ok {
				used[u.Policy.Name] = true
			}
			return n == p // the policy's statements, not what they hold
		})
	}
	var roots []*lang.PolicyDecl
	for _, p := range sc.order {
		if p.At.File == mainFile && !used[p.Name.Name] {
			roots = append(roots, p)
		}
	}
	switch len(roots) {
	case 1:
		return roots[0]
	case 0:
		for _, p := range sc.order {
			if p.At.File == mainFile {
				return p // every policy is used by another: compile one to report the cycle
			}
		}
		sc.errs.Errorf(diag.Pos{File: mainFile, Line: 1, Col: 1}, "no policy in %s", mainFile).Hint =
			"a policy file needs a block: policy NAME { default errno(EPERM) … }"
		return nil
	}
	d := sc.errs.Errorf(roots[1].At, "%s has several policies (%s, %s, …): name the one to build",
		mainFile, roots[0].Name.Name, roots[1].Name.Name)
	d.Hint = "pass --policy NAME, or `use` the others from one main policy"
	return nil
}

// policyList words the policies that exist, in the order of the files, for a message that
// names one that does not: ": the policies are a and b", ": there is none".
func (sc *scope) policyList() string {
	const most = 20
	var names []string
	for _, p := range sc.order {
		names = append(names, p.Name.Name)
	}
	switch {
	case len(names) == 0:
		return ": there is none"
	case len(names) == 1:
		return ": the only policy is " + names[0]
	case len(names) > most:
		return fmt.Sprintf(": the policies are %s, … (%d in all)", strings.Join(names[:most], ", "), len(names))
	}
	return ": the policies are " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func (sc *scope) policyHint(name string) string {
	var names []string
	for n := range sc.policies {
		names = append(names, n)
	}
	if s := diag.Suggest(name, names); s != "" {
		return "did you mean " + s + "?"
	}
	return ""
}

// group finds a group of the files or, else, of the standard library.
func (sc *scope) group(name string) (*lang.GroupDecl, bool) {
	if g, ok := sc.groups[name]; ok {
		return g, true
	}
	g, ok := stdGroups().groups[name]
	return g, ok
}

// groupNames lists every group name, sorted, for suggestions.
func (sc *scope) groupNames() []string {
	var names []string
	for n := range sc.groups {
		names = append(names, n)
	}
	for n := range stdGroups().groups {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// stdGroupSet is the parsed standard library of groups.
type stdGroupSet struct {
	groups map[string]*lang.GroupDecl
	docs   map[*lang.GroupDecl]string
	errs   diag.List
}

var stdGroups = sync.OnceValue(func() *stdGroupSet {
	set := &stdGroupSet{groups: map[string]*lang.GroupDecl{}, docs: map[*lang.GroupDecl]string{}}
	files, _ := fs.Glob(stdlib.Groups, "groups/*.sc")
	for _, name := range files {
		src, err := stdlib.Groups.ReadFile(name)
		if err != nil {
			panic("compiler: embedded stdlib file unreadable: " + err.Error())
		}
		f, errs := lang.Parse("stdlib/"+name, src)
		set.errs.Add(errs...)
		if f == nil {
			continue
		}
		for _, d := range f.Decls {
			if g, ok := d.(*lang.GroupDecl); ok {
				set.groups[g.Name.Name] = g
				set.docs[g] = groupDoc(f, g)
			}
		}
	}
	return set
})
