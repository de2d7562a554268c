package oci

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/stdlib"
)

// Export writes a compiled policy as an OCI seccomp profile: the runtime-spec's linux.seccomp
// object, which Docker also reads (--security-opt seccomp=FILE). Each syscall's first-match
// rules become the disjoint regions in which each action decides (`errno(EPERM) clone if X;
// allow clone` exports as allow when !X), so libseccomp's lack of order cannot change them.
//
// What the format cannot say exactly is returned in misfits, one sentence each: comparisons
// on the low 32 bits of an argument other than equality (libseccomp compares all 64), masked
// comparisons other than equality that cannot be split into bits, `default newer`, `default
// foreign` other than kill_process, the kernel
// flags the spec has no names for, and syscalls decided differently on different arches (a
// profile has one rule set for all arches: the first arch's is written). Export fails when
// the policy has no arch the format can name or its arches have different defaults.
func Export(p *ir.Policy) ([]byte, []string, error) {
	if p == nil || len(p.Arches) == 0 {
		return nil, nil, errors.New("export: the policy has no arch")
	}
	ex := &exporter{names: map[string]syscallRules{}}
	prof, err := ex.header(p)
	if err != nil {
		return nil, nil, err
	}
	for _, ap := range p.Arches {
		ex.arch(ap)
	}
	prof.Syscalls = ex.entries()
	out, err := json.MarshalIndent(prof, "", "\t")
	if err != nil {
		return nil, nil, err
	}
	return append(out, '\n'), ex.misfits, nil
}

// exporter collects the syscall rules of every arch of a policy.
type exporter struct {
	primary string                  // the first arch's name
	names   map[string]syscallRules // by syscall name
	order   []string                // names in the order first seen
	misfits []string
}

// syscallRules is one syscall's translation: OCI rules and a key to compare arches with.
type syscallRules struct {
	arch  string
	rules []ociRule
	key   string
}

// ociRule is one profile entry for one syscall.
type ociRule struct {
	action ir.Action
	args   []Arg
}

func (ex *exporter) misfit(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if !slices.Contains(ex.misfits, msg) {
		ex.misfits = append(ex.misfits, msg)
	}
}

// actionName is actionName, noting the data of a trap action, which a profile drops.
func (ex *exporter) actionName(a ir.Action) (string, *uint) {
	if a.Kind == ir.Trap && a.Data != 0 {
		ex.misfit("%v: a profile's SCMP_ACT_TRAP carries no data; exported as trap(0), so the "+
			"SIGSYS handler sees si_errno 0, not %d", a, a.Data)
	}
	return actionName(a)
}

// header fills the profile's global fields: default action, arches and flags.
func (ex *exporter) header(p *ir.Policy) (*Profile, error) {
	first := p.Arches[0]
	ex.primary = first.Arch.Name
	prof := &Profile{}
	prof.DefaultAction, prof.DefaultErrnoRet = ex.actionName(first.Default)
	for _, ap := range p.Arches {
		if ap.Default != first.Default {
			return nil, fmt.Errorf("export: the default action is %s on %s but %s on %s; a profile has one",
				first.Default, first.Arch.Name, ap.Default, ap.Arch.Name)
		}
		if ap.Newer != nil && !runcAddsNewer(ap) {
			ex.misfit("default newer %s: a profile cannot say it (runc adds its own ENOSYS stub for "+
				"syscalls newer than the profile)", ap.Newer)
		}
		scmp := sccToScmp(ap.Arch.Name)
		if scmp == "" {
			return nil, fmt.Errorf("export: libseccomp has no name for arch %s", ap.Arch.Name)
		}
		prof.Architectures = appendOnce(prof.Architectures, scmp)
	}
	if p.BadArch != ir.ActKillProcess {
		ex.misfit("default foreign %s: a profile cannot say it (the runtime chooses the action "+
			"for the calls of the arches a profile does not name)", p.BadArch)
	}
	prof.Flags = ex.flags(p.Flags)
	if p.Listener != nil {
		prof.ListenerPath, prof.ListenerMetadata = p.Listener.Path, p.Listener.Metadata
	}
	return prof, nil
}

// sccToScmp is libseccomp's name of an scc arch, or "".
func sccToScmp(name string) string {
	for k, v := range scmpToScc {
		if v == name {
			return k
		}
	}
	return ""
}

// flags converts kernel filter flags to the spec's names.
func (ex *exporter) flags(bits uint32) []string {
	var out []string
	for _, f := range ociFlags {
		if bits&f.bit != 0 {
			out = append(out, f.name)
			bits &^= f.bit
		}
	}
	if bits != 0 {
		ex.misfit("filter flags %#x: the spec has no names for them (NEW_LISTENER comes with "+
			"listenerPath, TSYNC_ESRCH is the runtime's choice)", bits)
	}
	return out
}

// arch translates one arch's rules and checks them against the arches before it.
func (ex *exporter) arch(ap *ir.ArchPolicy) {
	narrow := narrowArch(ap.Arch.Name)
	nrs := make([]uint32, 0, len(ap.Rules))
	for nr := range ap.Rules {
		nrs = append(nrs, nr)
	}
	slices.Sort(nrs)
	for _, nr := range nrs {
		name := ap.Names[nr]
		if name == "" {
			ex.misfit("%s: syscall %d has no name; left out", ap.Arch.Name, nr)
			continue
		}
		rules, err := translate(ap.Rules[nr], ap.Default, narrow, func(f string, a ...any) {
			ex.misfit("%s: %s", name, fmt.Sprintf(f, a...))
		})
		if err != nil {
			ex.misfit("%s on %s: %v; left out (the default action applies)", name, ap.Arch.Name, err)
			continue
		}
		ex.add(ap.Arch.Name, name, syscallRules{arch: ap.Arch.Name, rules: rules, key: rulesKey(rules)})
	}
	ex.missing(ap)
}

// add records a syscall's rules unless an earlier arch decided it, and reports differences.
func (ex *exporter) add(arch, name string, sr syscallRules) {
	prev, ok := ex.names[name]
	if !ok {
		if arch != ex.primary && existsOn(ex.primary, name) {
			ex.misfit("%s: has rules on %s but none on %s; exported as on %s", name, arch, ex.primary, ex.primary)
			return
		}
		ex.names[name] = sr
		ex.order = append(ex.order, name)
		return
	}
	if prev.key != sr.key {
		ex.misfit("%s: decided differently on %s than on %s; exported as on %s", name, arch, prev.arch, prev.arch)
	}
}

// missing reports syscalls that have rules on an earlier arch but none on this one.
func (ex *exporter) missing(ap *ir.ArchPolicy) {
	for _, name := range ex.order {
		nr, ok := stdlib.SyscallNumber(ap.Arch.Name, name)
		if ok && len(ap.Rules[nr]) == 0 && ex.names[name].arch != ap.Arch.Name {
			ex.misfit("%s: has rules on %s but none on %s; exported as on %s",
				name, ex.names[name].arch, ap.Arch.Name, ex.names[name].arch)
		}
	}
}

// narrowArch tells whether an arch's argument registers are 32 bits wide (i386, arm): the
// high half of every argument is 0 there. x32 passes 64-bit registers.
func narrowArch(name string) bool {
	a, ok := stdlib.LookupArch(name)
	return ok && a.LongBits == 32 && a.NrMask == 0
}

func existsOn(arch, name string) bool {
	_, ok := stdlib.SyscallNumber(arch, name)
	return ok
}

// rulesKey identifies a syscall's translation for comparing arches: a 32-bit equality
// (masked with 0xffffffff) counts as the plain equality a 32-bit arch writes.
func rulesKey(rules []ociRule) string {
	var b strings.Builder
	for _, r := range rules {
		fmt.Fprintf(&b, "%s:", r.action)
		for _, a := range r.args {
			if a.Op == opMaskedEQ && a.Value == 0xffffffff {
				a = Arg{Index: a.Index, Op: opEQ, Value: a.ValueTwo}
			}
			fmt.Fprintf(&b, "%d%s%#x/%#x,", a.Index, a.Op, a.Value, a.ValueTwo)
		}
		b.WriteString(";")
	}
	return b.String()
}

// entries groups the syscalls with identical rules into profile entries: unconditional ones
// first, by action, then the conditional ones.
func (ex *exporter) entries() []Syscall {
	index := map[string]int{}
	var out []Syscall
	for _, name := range ex.order {
		for _, r := range ex.names[name].rules {
			k := rulesKey([]ociRule{r})
			if len(r.args) > 0 {
				k = name + " " + k // conditions stay with their syscall, as Docker writes them
			}
			i, ok := index[k]
			if !ok {
				i = len(out)
				index[k] = i
				act, ret := ex.actionName(r.action)
				out = append(out, Syscall{Action: act, ErrnoRet: ret, Args: r.args})
			}
			out[i].Names = appendOnce(out[i].Names, name)
		}
	}
	for i := range out {
		slices.Sort(out[i].Names)
	}
	slices.SortStableFunc(out, func(a, b Syscall) int {
		if (len(a.Args) == 0) != (len(b.Args) == 0) {
			return len(a.Args) - len(b.Args)
		}
		return strings.Compare(a.Action, b.Action) * boolInt(len(a.Args) == 0)
	})
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// runcAddsNewer tells whether an arch's newer action is the one runc's ENOSYS stub adds to
// any profile whose default is not permissive (`default newer named errno(ENOSYS)`), so
// that the profile need not say it.
func runcAddsNewer(ap *ir.ArchPolicy) bool {
	if ap.NewerAbove == nil || *ap.Newer != ir.ErrnoAction(38) {
		return false
	}
	switch ap.Default.Kind {
	case ir.Allow, ir.Log, ir.Trace:
		return false
	}
	return true
}
