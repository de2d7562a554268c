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
// flags the spec has no names for, and syscalls decided differently on the arches of one host
// (the first arch's rules are written). A syscall decided differently on the arches of
// different hosts (`allow ptrace if arch == x86_64` in a policy for x86_64 and aarch64) is
// written as entries of Docker's includes.arches, which name the host's arch (amd64, arm64),
// not the call's. Export fails when the policy has no arch the format can name or its arches
// have different defaults.
func Export(p *ir.Policy) ([]byte, []string, error) {
	if p == nil || len(p.Arches) == 0 {
		return nil, nil, errors.New("export: the policy has no arch")
	}
	ex := &exporter{trans: map[string][]syscallRules{}, names: map[string]syscallRules{}, byHost: map[string][]hostRules{}}
	prof, err := ex.header(p)
	if err != nil {
		return nil, nil, err
	}
	for _, ap := range p.Arches {
		ex.arch(ap)
	}
	for _, name := range ex.order {
		ex.place(p, name)
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
	primary string                    // the first arch's name
	trans   map[string][]syscallRules // by syscall name: its translation on each arch that has it
	order   []string                  // the names with rules, in the order first seen
	names   map[string]syscallRules   // the names written alike for every arch
	byHost  map[string][]hostRules    // the names written per host arch (includes.arches)
	misfits []string
}

// syscallRules is one syscall's translation on one arch: OCI rules (none where the syscall
// gets the default) and a key to compare arches with.
type syscallRules struct {
	arch  string
	rules []ociRule
	key   string
}

// hostRules are a syscall's rules for the hosts named (Docker's native arch names), written
// as entries whose includes.arches name them.
type hostRules struct {
	hosts []string
	rules []ociRule
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

// arch translates one arch's rules.
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
			rules = nil
		}
		if _, seen := ex.trans[name]; !seen {
			ex.order = append(ex.order, name)
		}
		ex.trans[name] = append(ex.trans[name], syscallRules{arch: ap.Arch.Name, rules: rules, key: rulesKey(rules)})
	}
}

// translations is syscall name's translation on every arch of p that has it, in p's order:
// none (the default) on the arches without rules for it.
func (ex *exporter) translations(p *ir.Policy, name string) []syscallRules {
	var out []syscallRules
	for _, ap := range p.Arches {
		i := slices.IndexFunc(ex.trans[name], func(sr syscallRules) bool { return sr.arch == ap.Arch.Name })
		switch {
		case i >= 0:
			out = append(out, ex.trans[name][i])
		case existsOn(ap.Arch.Name, name):
			out = append(out, syscallRules{arch: ap.Arch.Name})
		}
	}
	return out
}

// place decides how the profile says syscall name: one rule set for every arch when they
// agree; else rules per host arch (includes.arches), when every host's arches agree; else
// the first arch's rules, which is a misfit.
func (ex *exporter) place(p *ir.Policy, name string) {
	all := ex.translations(p, name)
	if slices.IndexFunc(all, func(sr syscallRules) bool { return sr.key != all[0].key }) < 0 {
		ex.names[name] = all[0]
		return
	}
	if hr, ok := perHost(p, all); ok {
		ex.byHost[name] = hr
		return
	}
	chosen := all[0]
	if chosen.arch != ex.primary { // the syscall does not exist on the first arch
		i := slices.IndexFunc(all, func(sr syscallRules) bool { return len(sr.rules) > 0 })
		chosen = all[max(i, 0)]
	}
	ex.names[name] = chosen
	for _, sr := range all {
		switch {
		case sr.key == chosen.key:
		case len(chosen.rules) == 0:
			ex.misfit("%s: has rules on %s but none on %s; exported as on %s", name, sr.arch, chosen.arch, chosen.arch)
		case len(sr.rules) == 0:
			ex.misfit("%s: has rules on %s but none on %s; exported as on %s", name, chosen.arch, sr.arch, chosen.arch)
		default:
			ex.misfit("%s: decided differently on %s than on %s; exported as on %s", name, sr.arch, chosen.arch, chosen.arch)
		}
	}
}

// hostArches are the arches whose calls a host makes, by Docker's native names: its own and
// the sub-architectures of Docker's archMap that scc knows (amd64 runs i386 and x32 code,
// arm64 runs arm code). An entry's includes.arches name hosts, not the arch of a call.
var hostArches = map[string][]string{
	"amd64": {"x86_64", "i386", "x32"}, "x86": {"i386"}, "arm64": {"aarch64", "arm"}, "arm": {"arm"},
	"riscv64": {"riscv64"}, "ppc64le": {"ppc64le"}, "s390x": {"s390x"}, "mips64": {"mips64"},
	"mipsel64": {"mips64le"}, "loongarch64": {"loongarch64"},
}

// perHost writes a syscall's translations as rules per host: it can when on every host, the
// arches of the policy that have the syscall decide it alike. The hosts without any of them
// are left out (their calls are another arch's), as are the rule sets of none.
func perHost(p *ir.Policy, all []syscallRules) ([]hostRules, bool) {
	hosts := make([]string, 0, len(hostArches))
	for h := range hostArches {
		hosts = append(hosts, h)
	}
	slices.Sort(hosts)
	var out []hostRules
	for _, h := range hosts {
		var mine *syscallRules
		for i, sr := range all {
			if !slices.Contains(hostArches[h], sr.arch) {
				continue
			}
			if mine != nil && mine.key != sr.key {
				return nil, false
			}
			mine = &all[i]
		}
		if mine == nil || len(mine.rules) == 0 {
			continue
		}
		i := slices.IndexFunc(out, func(hr hostRules) bool { return rulesKey(hr.rules) == mine.key })
		if i < 0 {
			out = append(out, hostRules{rules: mine.rules})
			i = len(out) - 1
		}
		out[i].hosts = append(out[i].hosts, h)
	}
	return out, true
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
// first, by action, then the conditional ones; the rules for some hosts only are entries of
// their own, whose includes.arches name the hosts.
func (ex *exporter) entries() []Syscall {
	index := map[string]int{}
	var out []Syscall
	add := func(name string, r ociRule, hosts []string) {
		k := rulesKey([]ociRule{r})
		if len(r.args) > 0 {
			k = name + " " + k // conditions stay with their syscall, as Docker writes them
		}
		if hosts != nil {
			k += " on " + strings.Join(hosts, ",")
		}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			act, ret := ex.actionName(r.action)
			out = append(out, Syscall{Action: act, ErrnoRet: ret, Args: r.args})
			if hosts != nil {
				out[i].Includes = &Filter{Arches: hosts}
			}
		}
		out[i].Names = appendOnce(out[i].Names, name)
	}
	for _, name := range ex.order {
		for _, r := range ex.names[name].rules {
			add(name, r, nil)
		}
		for _, hr := range ex.byHost[name] {
			for _, r := range hr.rules {
				add(name, r, hr.hosts)
			}
		}
	}
	for i := range out {
		slices.Sort(out[i].Names)
	}
	slices.SortStableFunc(out, func(a, b Syscall) int {
		if c := boolInt(a.Includes != nil) - boolInt(b.Includes != nil); c != 0 {
			return c
		}
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

func appendOnce(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}
