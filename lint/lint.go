// Package lint finds the mistakes that compile but weaken a policy: rules that never decide,
// dangerous syscalls allowed outright, deny lists a sibling syscall bypasses, conditions that
// are constant, and more. Each check has a stable name, a severity, and a page in
// docs/lint.md. A finding is a diag.Diagnostic with Check set.
//
// The checks about which rule decides are exact: conditions are decided with binary decision
// diagrams over the argument bits (package lint/bdd), never by heuristics.
//
// A finding is silenced in the policy by a comment on its line, or alone on the line before:
//
//	# scc:ignore CHECK[,CHECK…] reason
//
// It works on the parsed file and the compiler's IR, and must not import the optimizer, the
// back end, the loader or the pipeline.
package lint

import (
	"fmt"
	"slices"

	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/lint/bdd"
)

// Check describes one lint check.
type Check struct {
	Name     string        // stable kebab-case name, used in findings and scc:ignore
	Severity diag.Severity // the severity of its findings
	Summary  string        // one line: what it finds
	Help     string        // why it matters and what to do
}

// The names of the checks.
const (
	UnreachableRule   = "unreachable-rule"
	DuplicateRule     = "duplicate-rule"
	RedundantDefault  = "redundant-default"
	ConstantCondition = "constant-condition"
	DangerousSyscall  = "dangerous-syscall"
	DefaultAllow      = "default-allow"
	SiblingBypass     = "sibling-bypass"
	SocketcallBypass  = "socketcall-bypass"
	IPCBypass         = "ipc-bypass"
	PartialArch       = "partial-arch"
	ArchSkippedRule   = "arch-skipped-rule"
	ArchNever         = "arch-never"
	EmptyPolicy       = "empty-policy"
	KillThread        = "kill-thread"
	ErrnoZero         = "errno-zero"
	NotifNoListener   = "user-notif-no-listener"
	X32Long           = "x32-long"
	BadIgnore         = "bad-ignore"
	UnusedIgnore      = "unused-ignore"
	NotAnalysed       = "not-analysed"
)

var catalog = []Check{
	{UnreachableRule, diag.Warning, "a rule that earlier rules for the same syscall always match first",
		"First match wins: the rule never decides anything. Remove it, or move it above the rules that cover it."},
	{DuplicateRule, diag.Warning, "the same syscall with the same condition in two rules",
		"The second rule never decides. Remove one; if their actions differ, decide which one you meant."},
	{RedundantDefault, diag.Info, "a rule whose action is the default and that no later rule depends on",
		"Removing the rule changes nothing. Remove it, or keep it as documentation and silence the check with a reason."},
	{ConstantCondition, diag.Warning, "a condition, or a comparison in it, that never holds or always holds",
		"Comparisons are unsigned and masked: `fd < 0` never holds, `flags & 0 == 0` always does. Fix the comparison."},
	{DangerousSyscall, diag.Warning, "a dangerous syscall allowed without a condition that makes it safe",
		"Deny it (errno(EPERM) or kill), or allow only the argument values the program needs."},
	{DefaultAllow, diag.Warning, "a default of allow or log",
		"A deny list misses every syscall it does not name, including those added to the kernel later. Default to errno(EPERM) or kill and allow what the program needs."},
	{SiblingBypass, diag.Warning, "a syscall denied while a sibling that does the same is allowed for every call",
		"Deny the sibling the same way (open, openat and openat2 all open files)."},
	{SocketcallBypass, diag.Warning, "on i386, a restricted socket call that socketcall(2) still allows",
		"socketcall's arguments are in memory, out of seccomp's reach. Deny socketcall, or allow only the call numbers that are allowed directly."},
	{IPCBypass, diag.Warning, "on i386, a restricted SysV IPC call that ipc(2) still allows",
		"ipc's arguments are in memory, out of seccomp's reach. Deny ipc, or allow only the call numbers that are allowed directly."},
	{PartialArch, diag.Info, "a syscall named in a rule that exists on only some of the policy's arches",
		"The rule does not apply where the syscall does not exist; check that those arches have what they need (openat for open on aarch64, for example)."},
	{ArchSkippedRule, diag.Warning, "an allow rule the compiler skipped on an arch where its syscall lacks an argument the condition names",
		"The calls fall through to the later rules there, which fails closed; write a rule for that arch's form of the syscall."},
	{ArchNever, diag.Warning, "a rule whose arch condition holds on none of the policy's arches",
		"The rule never applies: its arch condition names only arches the policy does not build for. Fix the arch names, add the arch to the policy, or remove the rule."},
	{EmptyPolicy, diag.Warning, "a policy without any rule",
		"Every call gets the default action."},
	{KillThread, diag.Info, "kill_thread used",
		"kill_thread ends only the calling thread; the rest of the process runs on in a state it does not expect. Use kill."},
	{ErrnoZero, diag.Warning, "errno(0) used",
		"errno(0) does not deny: the call is skipped and returns 0, so the program believes it succeeded."},
	{NotifNoListener, diag.Warning, "user_notif in a policy without flags new_listener",
		"Without a listener the kernel answers every user_notif call with ENOSYS. Add `flags new_listener` and give the listener to a supervisor, or use errno."},
	{X32Long, diag.Warning, "on x32, a long, size_t or pointer argument compared with a value whose high 32 bits are set",
		"x32's long is 32 bits and arrives zero-extended, but the filter compares all 64 bits: (long)-1 is 0xffffffff there, never -1. Compare with the 32-bit value."},
	{BadIgnore, diag.Warning, "an scc:ignore comment without a reason, or naming an unknown check",
		"Write # scc:ignore CHECK reason; the reason is what a reviewer reads."},
	{UnusedIgnore, diag.Warning, "an scc:ignore comment that silences nothing",
		"Remove it: the finding it silenced is gone."},
	{NotAnalysed, diag.Warning, "a syscall whose rules lint could not analyse within its budget",
		"The exact checks of which rule decides stop at the rule named: their decision diagrams passed lint's bound on nodes or steps. The policy compiles as written; simplify or split the conditions to have it checked."},
}

// Checks returns every check, in a stable order.
func Checks() []Check { return slices.Clone(catalog) }

// LookupCheck finds a check by name.
func LookupCheck(name string) (Check, bool) {
	for _, c := range catalog {
		if c.Name == name {
			return c, true
		}
	}
	return Check{}, false
}

// Report is the outcome of linting one policy file.
type Report struct {
	// Findings are the checks' findings that no scc:ignore silenced, sorted by position.
	Findings diag.List
	// Errors are the compile errors; when there are any, Findings is empty.
	Errors diag.List
	// Sources holds the files read, for printing source lines.
	Sources diag.SourceMap
}

// File compiles the policy file at path and lints it.
func File(path string, opts compiler.Options) *Report {
	res, errs := compiler.CompileFile(path, opts)
	if errs.HasErrors() {
		return &Report{Errors: errs, Sources: res.Sources}
	}
	return &Report{Findings: Result(res), Sources: res.Sources}
}

// Source is File on a policy held in memory, as if read from a file called name.
func Source(name string, src []byte, opts compiler.Options) *Report {
	res, errs := compiler.CompileSource(name, src, opts)
	if errs.HasErrors() {
		return &Report{Errors: errs, Sources: res.Sources}
	}
	return &Report{Findings: Result(res), Sources: res.Sources}
}

// Result lints a compiled policy and returns its findings, sorted, with scc:ignore comments
// applied (and checked).
func Result(res *compiler.Result) diag.List {
	l := newLinter(res)
	l.run()
	out := l.applyIgnores()
	out.Sort()
	return out
}

// linter holds one policy under analysis.
type linter struct {
	res      *compiler.Result
	files    map[string]*lang.File       // every source file, parsed again for comments
	rules    map[diag.Pos]*lang.RuleStmt // rule statements by position
	root     *lang.PolicyDecl            // the compiled policy's declaration
	syscalls map[sysKey]*sysInfo
	found    diag.List

	// keep holds every syscall's decision diagrams to the end of the run (tests look at
	// them); otherwise a syscall's are released once its rules are checked, unless a later
	// check needs them (see neededLater).
	keep bool

	work         *bdd.Budget // what the run's decision diagrams may still use
	tables       bdd.Pool    // the tables of released syscalls' diagrams, for the next ones
	budgetGroups groups      // the syscalls not analysed within the budget
}

type sysKey struct {
	arch string
	nr   uint32
}

func newLinter(res *compiler.Result) *linter {
	l := &linter{res: res, files: map[string]*lang.File{}, rules: map[diag.Pos]*lang.RuleStmt{}, syscalls: map[sysKey]*sysInfo{},
		work: &bdd.Budget{Nodes: limits.runNodes, Steps: limits.runSteps}}
	for _, f := range res.Files {
		l.files[f.Name] = f
		l.indexFile(f)
	}
	return l
}

func (l *linter) indexFile(f *lang.File) {
	lang.Inspect(f, func(n lang.Node) bool {
		switch n := n.(type) {
		case *lang.PolicyDecl:
			if n.At == l.res.Pos {
				l.root = n
			}
		case *lang.RuleStmt:
			l.rules[n.At] = n
			return false
		}
		return true
	})
}

// run runs every check.
func (l *linter) run() {
	l.checkEmpty()
	l.checkDefault()
	rc := &ruleChecks{occurrences: map[string]int{}, live: map[string]bool{}}
	for _, ap := range l.res.Policy.Arches {
		later := neededLater(ap)
		for _, nr := range sortedNrs(ap) {
			s := l.sys(ap, nr)
			l.checkRules(s, rc)
			if !l.keep && !later[nr] {
				s.release(&l.tables)
			}
		}
	}
	l.flushRules(rc)
	l.checkRepeatedUses()
	l.checkDangerous()
	l.checkSiblings()
	l.checkMultiplexers()
	l.checkPartialArch()
	l.checkArchNever()
	l.checkActions()
	l.checkX32Long()
	l.flush(&l.budgetGroups)
	for _, w := range l.res.Warnings {
		d := *w
		d.Severity, d.Check = diag.Warning, ArchSkippedRule
		l.found = append(l.found, &d)
	}
}

// add records a finding of check at pos.
func (l *linter) add(check string, pos diag.Pos, hint, format string, args ...any) {
	l.found = append(l.found, l.finding(check, pos, hint, fmt.Sprintf(format, args...)))
}

// archNames are the policy's arches, in its order.
func (l *linter) archNames() []string {
	var out []string
	for _, ap := range l.res.Policy.Arches {
		out = append(out, ap.Arch.Name)
	}
	return out
}

func sortedNrs(ap *ir.ArchPolicy) []uint32 {
	nrs := make([]uint32, 0, len(ap.Rules))
	for nr := range ap.Rules {
		nrs = append(nrs, nr)
	}
	slices.Sort(nrs)
	return nrs
}
