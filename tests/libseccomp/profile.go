//go:build linux && cgo

package libseccomp

import (
	"fmt"
	"strings"

	seccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/oci"
)

// BuildProfile compiles a Docker or OCI seccomp profile with libseccomp the way runc does
// (libcontainer/seccomp/seccomp_linux.go, InitSeccomp and matchCall) and returns the program
// libseccomp exports. The profile is first evaluated as Docker does (oci.Resolve) for the host
// arch (Docker's name: amd64, x86, arm64, …; empty: this machine's), the container's
// capabilities (nil: Docker's default set) and the kernel release (empty: the running one).
//
// As runc: the filter's default action is the profile's with its errnoRet (EPERM when
// absent); the resolved architectures are added to the filter (the native arch alone when
// there are none); every entry is taken name by name in profile order: a rule whose action
// is the default's is skipped, a name libseccomp does not know is skipped, an entry without
// args is one unconditional rule, an entry whose args compare one argument index more than
// once becomes one rule per comparison (ORed), any other entry one rule with all its
// comparisons (ANDed). Rules are added with libseccomp's translating calls (seccomp_rule_add,
// not _exact), so libseccomp maps them onto every arch of the filter as runc's do.
// SCMP_FLTATR_CTL_OPTIMIZE is set to optimize (OptimizeLinear or OptimizeBinaryTree; 0 keeps
// libseccomp's default; runc uses the binary tree above 32 rules).
//
// Not done: runc's patchbpf prepends a stub that returns ENOSYS for syscalls newer than the
// profile knows, and the filter flags (log, spec_allow) change only how the filter is
// installed; the program returned is libseccomp's alone. When arch is not this machine's,
// the native arch is removed from the filter first (runc always builds for its host).
func BuildProfile(profile []byte, arch string, caps []string, kernel string, optimize int) ([]bpf.RawInstruction, error) {
	p, _, err := oci.Parse(profile)
	if err != nil {
		return nil, err
	}
	r, err := oci.Resolve(p, oci.EvalOptions{Arch: arch, Caps: caps, Kernel: kernel})
	if err != nil {
		return nil, err
	}
	f, err := profileFilter(r, optimize)
	if err != nil {
		return nil, err
	}
	defer f.Release()
	if err := addEntries(f, r); err != nil {
		return nil, err
	}
	return export(f)
}

// profileFilter makes the filter with the profile's default action, its arches and the
// optimization level.
func profileFilter(r *oci.Resolved, optimize int) (*seccomp.ScmpFilter, error) {
	def, err := scmpAction(r.Default)
	if err != nil {
		return nil, fmt.Errorf("defaultAction: %w", err)
	}
	arches, err := profileArches(r)
	if err != nil {
		return nil, err
	}
	f, err := seccomp.NewFilter(def)
	if err != nil {
		return nil, fmt.Errorf("libseccomp: %w", err)
	}
	if err := setArches(f, arches); err != nil {
		f.Release()
		return nil, err
	}
	if optimize != 0 {
		if err := f.SetOptimize(optimize); err != nil {
			f.Release()
			return nil, fmt.Errorf("libseccomp: optimize %d: %w", optimize, err)
		}
	}
	return f, nil
}

// profileArches lists the filter's arches: the resolved SCMP_ARCH_* names, else the host's.
func profileArches(r *oci.Resolved) ([]seccomp.ScmpArch, error) {
	names := r.Arches
	if len(names) == 0 {
		names = []string{r.Native}
	}
	var out []seccomp.ScmpArch
	for _, n := range names {
		a, err := seccomp.GetArchFromString(strings.ToLower(strings.TrimPrefix(n, "SCMP_ARCH_")))
		if err != nil {
			return nil, fmt.Errorf("libseccomp: arch %s: %w", n, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// setArches adds the arches to a new filter; the native arch goes first when it is not one
// of them (a filter's arches must share one byte order).
func setArches(f *seccomp.ScmpFilter, arches []seccomp.ScmpArch) error {
	native, err := seccomp.GetNativeArch()
	if err != nil {
		return fmt.Errorf("libseccomp: %w", err)
	}
	keep := false
	for _, a := range arches {
		keep = keep || a == native
	}
	if !keep {
		if err := f.RemoveArch(native); err != nil {
			return fmt.Errorf("libseccomp: removing arch %s: %w", native, err)
		}
	}
	for _, a := range arches {
		if err := f.AddArch(a); err != nil {
			return fmt.Errorf("libseccomp: adding arch %s: %w", a, err)
		}
	}
	return nil
}

// addEntries adds the resolved entries' rules name by name, as runc's matchCall does.
func addEntries(f *seccomp.ScmpFilter, r *oci.Resolved) error {
	for i := range r.Entries {
		e := &r.Entries[i]
		if e.Action == r.Default {
			continue // runc: "This rule is redundant, silently skip it"
		}
		act, err := scmpAction(e.Action)
		if err != nil {
			return fmt.Errorf("entry %d: %w", i, err)
		}
		conds, err := entryConditions(e.Args)
		if err != nil {
			return fmt.Errorf("entry %d: %w", i, err)
		}
		for _, name := range e.Names {
			if err := addProfileRule(f, name, act, conds); err != nil {
				return fmt.Errorf("entry %d, %s: %w", i, name, err)
			}
		}
	}
	return nil
}

// entryConditions converts an entry's comparisons to the rules runc adds: none for an
// unconditional rule, one rule with every comparison, or, when an argument index is compared
// twice, one rule per comparison.
func entryConditions(args []oci.Arg) ([][]seccomp.ScmpCondition, error) {
	if len(args) == 0 {
		return nil, nil
	}
	var all []seccomp.ScmpCondition
	counts := map[uint]int{}
	repeated := false
	for _, a := range args {
		c, err := profileCondition(a)
		if err != nil {
			return nil, err
		}
		all = append(all, c)
		counts[a.Index]++
		repeated = repeated || counts[a.Index] > 1
	}
	if !repeated {
		return [][]seccomp.ScmpCondition{all}, nil
	}
	out := make([][]seccomp.ScmpCondition, len(all))
	for i, c := range all {
		out[i] = []seccomp.ScmpCondition{c}
	}
	return out, nil
}

// profileOps maps SCMP_CMP_* names onto libseccomp-golang's operators.
var profileOps = map[string]seccomp.ScmpCompareOp{
	"SCMP_CMP_NE": seccomp.CompareNotEqual, "SCMP_CMP_LT": seccomp.CompareLess,
	"SCMP_CMP_LE": seccomp.CompareLessOrEqual, "SCMP_CMP_EQ": seccomp.CompareEqual,
	"SCMP_CMP_GE": seccomp.CompareGreaterEqual, "SCMP_CMP_GT": seccomp.CompareGreater,
	"SCMP_CMP_MASKED_EQ": seccomp.CompareMaskedEqual,
}

// profileCondition converts one comparison as runc's getCondition does: value and valueTwo
// are passed as they are (for SCMP_CMP_MASKED_EQ, the mask and the value).
func profileCondition(a oci.Arg) (seccomp.ScmpCondition, error) {
	op, ok := profileOps[a.Op]
	if !ok {
		return seccomp.ScmpCondition{}, fmt.Errorf("unknown comparison %q", a.Op)
	}
	c, err := seccomp.MakeCondition(a.Index, op, a.Value, a.ValueTwo)
	if err != nil {
		return c, fmt.Errorf("libseccomp: %w", err)
	}
	return c, nil
}

// addProfileRule adds one name's rules; a name libseccomp does not know is skipped.
func addProfileRule(f *seccomp.ScmpFilter, name string, act seccomp.ScmpAction, conds [][]seccomp.ScmpCondition) error {
	call, err := seccomp.GetSyscallFromName(name)
	if err != nil {
		return nil // runc: "unknown seccomp syscall ignored"
	}
	if conds == nil {
		return wrapLib(f.AddRule(call, act))
	}
	for _, c := range conds {
		if err := f.AddRuleConditional(call, act, c); err != nil {
			return fmt.Errorf("libseccomp: %w", err)
		}
	}
	return nil
}
