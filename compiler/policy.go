package compiler

import (
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/lang/token"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/stdlib"
)

// policyParts are a policy's statements after `use` is spliced in place.
type policyParts struct {
	arch     *lang.ArchStmt
	dflt     *lang.DefaultStmt
	newer    *lang.DefaultStmt
	foreign  *lang.DefaultStmt
	flags    *lang.FlagsStmt
	listener *lang.ListenerStmt
	rules    []*lang.RuleStmt
	expects  []*lang.ExpectStmt
	selfName string
	// condSize holds, for each rule, the comparisons of its condition (see condSize).
	condSize []int
	// archUse holds, for each rule, whether its condition compares arch (see checkArchUse).
	archUse []archUse
	// via holds, for each rule, the root policy's use statement it came through (nil for the
	// root's own rules): where an error about the expansion points.
	via []*lang.UseStmt
	// spliced holds the policies spliced so far, by name, with the use that spliced them.
	spliced map[string]*lang.UseStmt
	// repeats are the uses of a policy already spliced.
	repeats []RepeatedUse
	// expanded counts the rules expanded so far, over the arches (see MaxExpandedRules).
	expanded int
	// onStack holds the policies being spliced, with their index in the stack collect
	// passes on: a use of one of them is a cycle.
	onStack map[string]int
}

// RepeatedUse is a `use` of a policy whose rules an earlier `use` already spliced into the
// compiled policy. Under first match wins a repeated rule never decides, so the compiler
// splices each policy once and records the repeats here, for scc lint to report.
type RepeatedUse struct {
	Pos    diag.Pos // the repeated use
	Policy string   // the policy used
	First  diag.Pos // the use that spliced it first
}

// compilePolicy resolves a policy on each of its arches.
func (sc *scope) compilePolicy(pd *lang.PolicyDecl, archOverride []string) (*ir.Policy, []Expect) {
	parts := &policyParts{selfName: pd.Name.Name, spliced: map[string]*lang.UseStmt{},
		onStack: map[string]int{pd.Name.Name: 0}}
	sc.collect(pd, parts, []string{pd.Name.Name}, nil)
	sc.repeats = parts.repeats
	parts.condSize = make([]int, len(parts.rules))
	parts.archUse = make([]archUse, len(parts.rules))
	for i, r := range parts.rules {
		parts.condSize[i] = condSize(r.Cond)
		parts.archUse[i] = sc.checkArchUse(r.Cond)
		sc.checkNumberNames(r.Syscalls)
	}
	arches := sc.policyArches(pd, parts.arch, archOverride)
	sc.arches = arches
	sc.archNever = nil
	for i, r := range parts.rules {
		if parts.archUse[i] == archOK && !appliesSomewhere(r.Cond, arches) {
			sc.archNever = append(sc.archNever, r.At)
		}
	}
	p := &ir.Policy{Name: pd.Name.Name, BadArch: ir.ActKillProcess, Flags: sc.flags(parts.flags)}
	if l := parts.listener; l != nil {
		p.Listener = &ir.Listener{Path: l.Path, Metadata: l.Metadata}
	}
	var expects []Expect
	var lacking []*lang.Ident // the names the first arch lacks: only they can exist on none
	for i, a := range arches {
		ac := newArchCtx(sc, a)
		ac.noteLacking = i == 0
		if i == 0 && parts.foreign != nil {
			p.BadArch = ac.foreignAction(parts.foreign.Action)
		}
		p.Arches = append(p.Arches, ac.archPolicy(parts))
		expects = append(expects, ac.expects(parts.expects)...)
		if i == 0 {
			lacking = ac.lacking
		}
	}
	sc.checkResolvedSomewhere(lacking, slices.Concat(arches, declaredArches(parts.arch, archOverride)))
	return p, dedupeExpects(expects)
}

// dedupeExpects keeps one of the expectations that a line makes with the same seccomp_data
// on several arches, as a raw number does on x86_64 and x32 (which share an audit arch): the
// one on the arch the number belongs to, x32 for a number with its bit.
func dedupeExpects(es []Expect) []Expect {
	type key struct {
		pos  diag.Pos
		data program.SeccompData
	}
	at := map[key]int{}
	out := es[:0]
	for _, e := range es {
		k := key{e.Pos, e.Data}
		i, seen := at[k]
		switch {
		case !seen:
			at[k] = len(out)
			out = append(out, e)
		case uint32(e.Data.Nr)&e.Arch.NrMask != 0:
			out[i] = e
		}
	}
	return out
}

// collect gathers the statements of pd, splicing used policies in place. Only the root
// policy's arch, default, flags and listener statements count; a used policy contributes its rules.
// via is the root's use statement that pd's rules come through, nil for the root itself.
func (sc *scope) collect(pd *lang.PolicyDecl, parts *policyParts, stack []string, via *lang.UseStmt) {
	root := via == nil
	for _, st := range pd.Body {
		switch st := st.(type) {
		case *lang.RuleStmt:
			parts.rules = append(parts.rules, st)
			parts.via = append(parts.via, via)
		case *lang.UseStmt:
			if root {
				sc.use(st, parts, stack, st)
			} else {
				sc.use(st, parts, stack, via)
			}
		case *lang.ArchStmt:
			if root {
				if parts.arch != nil {
					sc.errs.Errorf(st.At, "policy %s names its arches twice (first at %s)", parts.selfName, parts.arch.At)
				}
				parts.arch = st
			}
		case *lang.DefaultStmt:
			if root {
				sc.setDefault(parts, st)
			}
		case *lang.FlagsStmt:
			if root {
				if parts.flags != nil {
					sc.errs.Errorf(st.At, "policy %s names its flags twice (first at %s)", parts.selfName, parts.flags.At)
				}
				parts.flags = st
			}
		case *lang.ExpectStmt:
			if root {
				parts.expects = append(parts.expects, st)
			}
		case *lang.ListenerStmt:
			if root {
				if parts.listener != nil {
					sc.errs.Errorf(st.At, "policy %s names its listener twice (first at %s)", parts.selfName, parts.listener.At)
				}
				parts.listener = st
			}
		}
	}
}

func (sc *scope) setDefault(parts *policyParts, st *lang.DefaultStmt) {
	slot := &parts.dflt
	switch {
	case st.Newer:
		slot = &parts.newer
	case st.Foreign:
		slot = &parts.foreign
	}
	if *slot != nil {
		sc.errs.Errorf(st.At, "policy %s has a second default (first at %s)", parts.selfName, (*slot).At)
		return
	}
	*slot = st
}

// use splices the policy st names, unless it was spliced already: its expansion is then
// wholly in parts, earlier, and a repeat of it could never decide (first match wins), so it
// is recorded as a repeat instead. Each policy is thus expanded once, and a policy's
// expansion is at most every rule of the files, whatever the shape of its uses.
func (sc *scope) use(st *lang.UseStmt, parts *policyParts, stack []string, via *lang.UseStmt) {
	name := st.Policy.Name
	if depth, ok := parts.onStack[name]; ok {
		sc.errs.Errorf(st.Policy.At, "use cycle: %s", cyclePath(stack[depth:], name))
		return
	}
	used, ok := sc.policies[name]
	if !ok {
		d := sc.errs.Errorf(st.Policy.At, "unknown policy %s", name)
		d.SetHintFunc(func() string { return sc.policyHint(name) })
		return
	}
	if first, ok := parts.spliced[name]; ok {
		parts.repeats = append(parts.repeats, RepeatedUse{Pos: st.At, Policy: name, First: first.At})
		return
	}
	parts.spliced[name] = st
	parts.onStack[name] = len(stack)
	sc.collect(used, parts, append(stack, name), via)
	delete(parts.onStack, name)
}

// policyArches resolves the arch list: the override, else the policy's, else the host's.
func (sc *scope) policyArches(pd *lang.PolicyDecl, st *lang.ArchStmt, override []string) []stdlib.Arch {
	if len(override) > 0 {
		return sc.archList(override, diag.Pos{File: "--arch"}, nil) // the command line's own token
	}
	if st == nil {
		return []stdlib.Arch{stdlib.HostArch()}
	}
	var names []string
	for _, id := range st.Arches {
		names = append(names, id.Name)
	}
	return sc.archList(names, st.At, st.Arches)
}

// declaredArches are the arches the policy names itself when --arch replaces them (else
// none): a syscall name that exists on those is no error when a build for other arches
// leaves it out (scc build --arch x86_64 of a policy for x86_64 and i386 skips i386's
// socketcall, as the policy's own build does on x86_64). Names that are no arch are left
// out: the build for --arch does not read the policy's arch statement.
func declaredArches(st *lang.ArchStmt, override []string) []stdlib.Arch {
	switch {
	case len(override) == 0:
		return nil
	case st == nil:
		return []stdlib.Arch{stdlib.HostArch()}
	}
	var out []stdlib.Arch
	for _, id := range st.Arches {
		if a, ok := stdlib.LookupArch(id.Name); ok {
			out = append(out, a)
		}
	}
	return out
}

func (sc *scope) archList(names []string, at diag.Pos, ids []*lang.Ident) []stdlib.Arch {
	var out []stdlib.Arch
	seen := map[string]bool{}
	for i, name := range names {
		pos := at
		if ids != nil {
			pos = ids[i].At
		}
		a, ok := stdlib.LookupArch(name)
		if !ok {
			d := sc.errs.Errorf(pos, "unknown arch %s", name)
			d.SetHintFunc(func() string { return archHint(name) })
			continue
		}
		if seen[a.Name] {
			sc.errs.Errorf(pos, "arch %s is named twice", a.Name)
			continue
		}
		seen[a.Name] = true
		out = append(out, a)
	}
	return out
}

func archHint(name string) string {
	var names, canonical []string
	for _, a := range stdlib.Arches() {
		canonical = append(canonical, a.Name)
		names = append(names, a.Name)
		names = append(names, a.Aliases...)
	}
	if s := diag.Suggest(name, names); s != "" {
		return "did you mean " + s + "?"
	}
	return "known arches: " + strings.Join(canonical, ", ") + " (or an alias, such as amd64 or arm64)"
}

var flagValues = map[string]uint32{
	"tsync": program.FlagTSync, "log": program.FlagLog, "spec_allow": program.FlagSpecAllow,
	"new_listener": program.FlagNewListener, "tsync_esrch": program.FlagTSyncESRCH,
	"wait_killable_recv": program.FlagWaitKillableRecv,
}

// flags resolves the kernel filter flags, rejecting the combinations the kernel rejects.
func (sc *scope) flags(st *lang.FlagsStmt) uint32 {
	if st == nil {
		return 0
	}
	var flags uint32
	for _, id := range st.Flags {
		v, ok := flagValues[id.Name]
		if !ok {
			d := sc.errs.Errorf(id.At, "unknown filter flag %s", id.Name)
			d.Hint = "flags are: log, spec_allow, tsync, tsync_esrch, new_listener, wait_killable_recv"
			continue
		}
		flags |= v
	}
	for _, r := range program.FlagRules {
		if r.BrokenBy(flags) {
			sc.errs.Errorf(st.At, "%s", flagRuleText(r))
		}
	}
	return flags
}

// flagRuleText states a kernel rule on combining flags with the language's flag names, the
// kernel's in lower case: "flag wait_killable_recv needs new_listener: the kernel refuses it
// otherwise".
func flagRuleText(r program.FlagRule) string {
	var names []string
	need := ""
	for _, f := range program.FlagNames {
		if r.If&f.Flag != 0 {
			names = append(names, strings.ToLower(f.Name))
		}
		if r.Need == f.Flag {
			need = strings.ToLower(f.Name)
		}
	}
	if len(names) == 1 {
		return fmt.Sprintf("flag %s needs %s: the kernel refuses it otherwise", names[0], need)
	}
	return fmt.Sprintf("flags %s need %s: the kernel refuses them otherwise", strings.Join(names, " and "), need)
}

// archPolicy resolves the policy's rules on one arch.
func (ac *archCtx) archPolicy(parts *policyParts) *ir.ArchPolicy {
	a := ac.arch
	ap := &ir.ArchPolicy{
		Arch:      ir.Arch{Name: a.Name, Audit: a.Audit, BigEndian: a.BigEndian, NrMask: a.NrMask},
		Default:   ir.ActKillProcess,
		Names:     stdlib.SharedSyscallTable(a.Name), // read only, as ir documents
		Numbers:   stdlib.SharedSyscallNumbers(a.Name),
		MaxKnown:  stdlib.MaxSyscall(a.Name),
		NewerGaps: stdlib.NewerGaps(a.Name),
	}
	if parts.dflt != nil {
		ap.Default = ac.action(parts.dflt.Action)
	}
	if parts.newer != nil {
		act := ac.action(parts.newer.Action)
		ap.Newer = &act
	}
	size := 0 // the rules' syscalls, groups counted once: enough room for most policies
	for _, r := range parts.rules {
		size += len(r.Syscalls)
	}
	ap.Rules = make(map[uint32][]ir.Rule, min(size, len(ap.Names)))
	for i, r := range parts.rules {
		if parts.expanded > MaxExpandedRules {
			break // reported on an earlier arch
		}
		calls := ac.expandSyscalls(r.Syscalls)
		if parts.expanded += len(calls) * parts.condSize[i]; parts.expanded > MaxExpandedRules {
			ac.tooManyRules(parts, i)
			break
		}
		cond := r.Cond
		switch parts.archUse[i] {
		case archBad:
			continue // reported
		case archOK:
			rest, holds, decided := foldArch(cond, ac.arch)
			if decided && !holds {
				continue // the rule does not apply on this arch
			}
			cond = rest // nil when it holds whatever the arguments
		}
		ac.addRule(ap, r, cond, calls)
	}
	if parts.newer != nil && parts.newer.Named {
		ap.NewerAbove = newerAboveNamed(ap, ac.sc.namesArch("x32"))
	}
	return ap
}

// condSize counts the comparisons of a condition, a set's members each, at least 1.
func condSize(e lang.Expr) int {
	switch e := e.(type) {
	case nil:
		return 1
	case *lang.InSet:
		return max(len(e.Set), 1)
	case *lang.Paren:
		return condSize(e.X)
	case *lang.Unary:
		return condSize(e.X)
	case *lang.Binary:
		if e.Op == token.LAnd || e.Op == token.LOr {
			return condSize(e.X) + condSize(e.Y)
		}
	}
	return 1
}

// tooManyRules reports that rule i of parts passes MaxExpandedRules: at the root policy's
// use that brought it in, else at the rule's first group, else at the rule.
func (ac *archCtx) tooManyRules(parts *policyParts, i int) {
	r, pos, what := parts.rules[i], parts.rules[i].At, "this rule"
	for _, id := range r.Syscalls {
		if strings.HasPrefix(id.Name, "@") {
			pos, what = id.At, "group "+id.Name
			break
		}
	}
	if use := parts.via[i]; use != nil {
		pos, what = use.At, "use "+use.Policy.Name
	}
	d := ac.errorf(pos, "policy %s passes scc's bound of %d expanded rules at %s", parts.selfName, MaxExpandedRules, what)
	d.Hint = "a rule counts once for each syscall it names (groups expanded) and each comparison of its condition; see Limits in docs/language.md"
}

// newerAboveNamed is runc's ENOSYS stub (libcontainer/seccomp/patchbpf) as the numbers it
// covers on one arch: every number above the highest syscall the rules name on the arch,
// -1 included; none when they name none. On x86_64 the numbers with the x32 bit are x32's
// when the policy names x32 (they are compared with x32's highest), and the stub leaves them
// to the filter otherwise. On s390x it covers 0 as well, the number a syscall unknown to
// the kernel is left at.
func newerAboveNamed(ap *ir.ArchPolicy, withX32 bool) [][2]uint32 {
	out := [][2]uint32{}
	named := false
	var highest uint32
	for nr, rs := range ap.Rules {
		if len(rs) > 0 {
			named = true
			highest = max(highest, nr)
		}
	}
	if !named {
		return out
	}
	top := uint32(ir.SkippedSyscall)
	if ap.Arch.Audit == ir.AuditArchX86_64 && ap.Arch.NrMask == 0 && !withX32 {
		top = ir.X32SyscallBit - 1
	}
	if ap.Arch.Name == "s390x" && highest > 0 {
		out = append(out, [2]uint32{0, 0})
	}
	if highest < top {
		out = append(out, [2]uint32{highest + 1, top})
	}
	return out
}

// addRule appends a rule to each of its syscalls on this arch, at the rule's position, with
// cond, its condition as it reads on this arch (see foldArch).
func (ac *archCtx) addRule(ap *ir.ArchPolicy, r *lang.RuleStmt, cond lang.Expr, calls []syscall) {
	act := ac.action(r.Action)
	fresh := make([]ir.Rule, 0, len(calls)) // the first rules of syscalls, one array for all
	for _, c := range calls {
		name, nr := c.name, c.nr
		rule := ir.Rule{Action: act, Pos: r.At}
		if cond != nil {
			sig, _ := ac.sc.signature(ac.arch.Name, name)
			cc := &condCtx{archCtx: ac, syscall: name, params: sig.Params, ruleCalls: calls, action: act}
			if rule.Cond = cc.lower(cond); rule.Cond == nil {
				continue // an error, or an allow rule skipped on this arch
			}
		}
		ap.Rules[nr], fresh = appendRule(ap.Rules[nr], fresh, rule)
	}
}

// appendRule appends rule to rules. A syscall's first rule goes into fresh instead, as a
// slice of its own capacity 1 (a later append copies it out), which saves an allocation
// per syscall; it returns the new rules and fresh.
func appendRule(rules, fresh []ir.Rule, rule ir.Rule) ([]ir.Rule, []ir.Rule) {
	if len(rules) > 0 || len(fresh) == cap(fresh) {
		return append(rules, rule), fresh
	}
	fresh = append(fresh, rule)
	n := len(fresh)
	return fresh[n-1 : n : n], fresh
}

// syscall is a syscall of a rule on one arch.
type syscall struct {
	name string
	nr   uint32
}

// expandSyscalls turns a rule's names into the syscalls that exist on this arch, groups
// expanded, each once, in order. The slice is reused: it holds until the next call.
func (ac *archCtx) expandSyscalls(ids []*lang.Ident) []syscall {
	if cap(ac.sc.calls) < len(ids) {
		ac.sc.calls = make([]syscall, 0, len(ids))
	}
	ac.sc.calls = ac.sc.calls[:0]
	ac.added = nrFilter{}
	for _, id := range ids {
		if strings.HasPrefix(id.Name, "@") {
			ac.groupSet(id, nil).each(func(i int) {
				c := ac.syscalls[i]
				ac.addCall(c.name, c.nr)
			})
		} else if nr, ok := stdlib.SyscallNumber(ac.arch.Name, id.Name); ok {
			ac.addCall(id.Name, nr)
		} else if nr, ok := numberName(id.Name); ok && ownsNumber(ac.arch, nr) {
			name, known := stdlib.SyscallName(ac.arch.Name, nr)
			if !known {
				name = id.Name
			}
			ac.addCall(name, nr)
		} else if strings.HasPrefix(id.Name, lang.NrPrefix) && !ok {
			continue // reported by checkNumberNames
		} else if ac.noteLacking {
			ac.lacking = append(ac.lacking, id)
		}
	}
	return ac.sc.calls
}

// addCall adds a syscall to the rule's unless its number is there already: two names of one
// syscall are one.
func (ac *archCtx) addCall(name string, nr uint32) {
	sameNr := func(c syscall) bool { return c.nr == nr }
	if ac.added.mayHave(nr) && slices.ContainsFunc(ac.sc.calls, sameNr) {
		return
	}
	ac.added.add(nr)
	ac.sc.calls = append(ac.sc.calls, syscall{name, nr})
}

// nrFilter remembers syscall numbers by their low 10 bits, which tell nearly every
// syscall of an arch apart: a number it has not seen is surely new, while one it may have
// seen is looked for in the list.
type nrFilter [1024 / 64]uint64

func (f *nrFilter) add(nr uint32) {
	bit := nr % 1024
	f[bit/64] |= 1 << (bit % 64)
}

func (f *nrFilter) mayHave(nr uint32) bool {
	bit := nr % 1024
	return f[bit/64]&(1<<(bit%64)) != 0
}

func (ac *archCtx) unknownSyscall(id *lang.Ident) {
	d := ac.errorf(id.At, "unknown syscall %s", id.Name)
	if id.Name == token.Nr {
		d.Hint = "a rule names a syscall by number as nr=N, as in allow nr=463"
		return
	}
	d.SetHintFunc(func() string {
		if s := diag.Suggest(id.Name, stdlib.AllSyscallNames()); s != "" {
			return "did you mean " + s + "?"
		}
		return ""
	})
}

// checkResolvedSomewhere reports the syscall names of rules, among those the first arch
// lacks, that exist on none of the policy's arches.
func (sc *scope) checkResolvedSomewhere(lacking []*lang.Ident, arches []stdlib.Arch) {
	for _, id := range lacking {
		if nr, ok := numberName(id.Name); ok {
			if !slices.ContainsFunc(arches, func(a stdlib.Arch) bool { return ownsNumber(a, nr) }) {
				sc.numberNamedNowhere(id, arches)
			}
			continue
		}
		if !existsOnAny(id.Name, arches) {
			sc.resolvedNowhere(id, arches)
		}
	}
}

// existsOnAny tells whether a syscall exists on one of the arches.
func existsOnAny(name string, arches []stdlib.Arch) bool {
	for _, a := range arches {
		if _, ok := stdlib.SyscallNumber(a.Name, name); ok {
			return true
		}
	}
	return false
}

// resolvedNowhere reports a syscall name that exists on none of the policy's arches.
func (sc *scope) resolvedNowhere(id *lang.Ident, arches []stdlib.Arch) {
	if !stdlib.KnownSyscall(id.Name) {
		ac := newArchCtx(sc, arches[0])
		ac.unknownSyscall(id)
		return
	}
	var names []string
	for _, a := range arches {
		names = append(names, a.Name)
	}
	d := sc.errs.Errorf(id.At, "syscall %s exists on none of this policy's arches (%s)", id.Name, strings.Join(names, ", "))
	d.Hint = "it exists on " + strings.Join(stdlib.ArchesWith(id.Name), ", ")
}

// foreignAction resolves the action of `default foreign` (on the policy's first arch, whose
// constants name its data). It must fail closed: the call of an arch the policy does not
// name was never checked, so an action that runs it (allow, log) or hands the decision to
// another process (user_notif, trace) is refused.
func (ac *archCtx) foreignAction(a *lang.Action) ir.Action {
	act := ac.action(a)
	switch act.Kind {
	case ir.KillProcess, ir.KillThread, ir.Trap, ir.Errno:
		return act
	}
	d := ac.errorf(a.At, "default foreign cannot be %s: the calls of an arch the policy does not name must fail closed", a.Name)
	d.Hint = "write kill_process, kill_thread, trap(N) or errno(N)"
	return ir.ActKillProcess
}

// action resolves an action and checks its data on this arch.
func (ac *archCtx) action(a *lang.Action) ir.Action {
	kind, hasData, ok := actionKind(a.Name)
	if !ok {
		ac.errorf(a.At, "unknown action %s", a.Name)
		return ir.ActKillProcess
	}
	if !hasData {
		if a.Arg != nil {
			ac.errorf(a.Arg.Pos(), "%s takes no value", a.Name)
		}
		return ir.Action{Kind: kind}
	}
	if a.Arg == nil {
		ac.errorf(a.At, "%s needs a value: %s(N)", a.Name, a.Name)
		return ir.Action{Kind: kind}
	}
	v, ok := ac.constValue(a.Arg)
	if !ok {
		return ir.Action{Kind: kind}
	}
	limit := int64(ir.MaxData)
	if kind == ir.Errno {
		limit = ir.MaxErrno
	}
	if v.Sign() < 0 || v.Cmp(big.NewInt(limit)) > 0 {
		ac.errorf(a.Arg.Pos(), "%s(%s): the value must be between 0 and %d", a.Name, v, limit)
		return ir.Action{Kind: kind}
	}
	act := ir.Action{Kind: kind, Data: uint16(v.Uint64())}
	ac.sc.spell(ac.arch.Name, act, actionText(a))
	return act
}

// actionText writes an action with data as written: errno(EPERM), trap(1 << 4).
func actionText(a *lang.Action) string {
	return a.Name + "(" + exprText(a.Arg) + ")"
}

// actionKinds are the kinds of the actions, by their keyword.
var actionKinds = map[token.Token]ir.ActionKind{
	token.Allow: ir.Allow, token.Log: ir.Log, token.Kill: ir.KillProcess, token.KillProcess: ir.KillProcess,
	token.KillThread: ir.KillThread, token.UserNotif: ir.UserNotif,
	token.Errno: ir.Errno, token.Trap: ir.Trap, token.Trace: ir.Trace,
}

func actionKind(name string) (kind ir.ActionKind, hasData, ok bool) {
	t := token.Lookup(name)
	kind, ok = actionKinds[t]
	return kind, t.TakesData(), ok
}

// expects resolves the policy's expect lines on this arch; a syscall missing here is skipped.
func (ac *archCtx) expects(sts []*lang.ExpectStmt) []Expect {
	var out []Expect
	for _, st := range sts {
		d, ok := ac.call(st)
		if !ok {
			continue
		}
		want := ac.action(st.Action)
		wantText := want.String()
		if st.Action.Arg != nil {
			wantText = actionText(st.Action)
		}
		out = append(out, Expect{Pos: st.At, Text: lang.CallString(st), Arch: irArch(ac.arch), Data: d, Want: want, WantText: wantText})
	}
	return out
}

func irArch(a stdlib.Arch) ir.Arch {
	return ir.Arch{Name: a.Name, Audit: a.Audit, BigEndian: a.BigEndian, NrMask: a.NrMask}
}

// exprText writes a constant expression back as text, for messages, as lang's formatter
// writes it: the formatting of `const x = e`, less its `const x = `.
func exprText(e lang.Expr) string {
	const prefix = "const x = "
	f := &lang.File{Decls: []lang.Decl{&lang.ConstDecl{Name: &lang.Ident{Name: "x"}, Value: e}}}
	return strings.TrimPrefix(strings.TrimSpace(string(lang.Format(f))), prefix)
}

// namesArch tells whether the policy being compiled covers the arch called name.
func (sc *scope) namesArch(name string) bool {
	for _, a := range sc.arches {
		if a.Name == name {
			return true
		}
	}
	return false
}
