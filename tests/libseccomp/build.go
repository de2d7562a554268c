//go:build linux && cgo

package libseccomp

import (
	"fmt"
	"io"
	"os"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
	seccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// libseccomp's SCMP_FLTATR_CTL_OPTIMIZE levels.
const (
	// OptimizeLinear sorts syscalls by priority and complexity and tests them one by one
	// (libseccomp's default, also used when Options.Optimize is 0).
	OptimizeLinear = 1
	// OptimizeBinaryTree dispatches on the syscall number with a binary search tree.
	OptimizeBinaryTree = 2
)

// Options tune Build.
type Options struct {
	// Optimize is libseccomp's SCMP_FLTATR_CTL_OPTIMIZE: OptimizeLinear or OptimizeBinaryTree;
	// 0 keeps libseccomp's default.
	Optimize int
}

// archPlan is one arch of a policy, ready for libseccomp.
type archPlan struct {
	ap    *ir.ArchPolicy
	info  archInfo
	rules []sysRules
}

// Build compiles p with libseccomp and returns the program it exports (seccomp_export_bpf).
// A policy outside the subset that libseccomp expresses with scc's semantics is refused with
// an error wrapping ErrNotExpressible; see the package documentation for the subset.
func Build(p *ir.Policy, opts Options) ([]bpf.RawInstruction, error) {
	plans, err := planPolicy(p)
	if err != nil {
		return nil, err
	}
	f, err := newFilter(p, plans, opts)
	if err != nil {
		return nil, err
	}
	defer f.Release()
	return export(f)
}

// planPolicy checks the policy-wide constraints and plans every arch.
func planPolicy(p *ir.Policy) ([]archPlan, error) {
	if len(p.Arches) == 0 {
		return nil, notExpressible("policy has no arch")
	}
	seen := map[string]bool{}
	var plans []archPlan
	for _, ap := range p.Arches {
		info, ok := lookupArch(ap.Arch.Name)
		switch {
		case !ok:
			return nil, notExpressible("arch %q unknown to this package", ap.Arch.Name)
		case info.audit != ap.Arch.Audit || info.nrMask != ap.Arch.NrMask:
			return nil, notExpressible("arch %s: audit value %#x or number mask %#x differ from libseccomp's", info.name, ap.Arch.Audit, ap.Arch.NrMask)
		case seen[info.name]:
			return nil, notExpressible("arch %s named twice", info.name)
		case ap.Default != p.Arches[0].Default:
			return nil, notExpressible("default actions differ per arch (%v, %v): libseccomp's default is filter-wide", p.Arches[0].Default, ap.Default)
		}
		seen[info.name] = true
		rules, err := planArch(ap, info)
		if err != nil {
			return nil, err
		}
		plans = append(plans, archPlan{ap: ap, info: info, rules: rules})
	}
	return plans, nil
}

// newFilter builds one libseccomp filter per arch (rules in libseccomp are per syscall across
// all of a filter's arches) and merges them into the first.
func newFilter(p *ir.Policy, plans []archPlan, opts Options) (*seccomp.ScmpFilter, error) {
	var dst *seccomp.ScmpFilter
	for _, pl := range plans {
		f, err := archFilter(p, pl, opts)
		if err != nil {
			if dst != nil {
				dst.Release()
			}
			return nil, err
		}
		if dst == nil {
			dst = f
			continue
		}
		if err := dst.Merge(f); err != nil {
			f.Release()
			dst.Release()
			return nil, fmt.Errorf("libseccomp: merging arch %s: %w", pl.info.name, err)
		}
	}
	return dst, nil
}

// archFilter builds the libseccomp filter of one arch.
func archFilter(p *ir.Policy, pl archPlan, opts Options) (*seccomp.ScmpFilter, error) {
	f, arch, err := emptyFilter(p, pl.info, opts)
	if err != nil {
		return nil, err
	}
	native, err := seccomp.GetNativeArch()
	if err != nil {
		f.Release()
		return nil, fmt.Errorf("libseccomp: %w", err)
	}
	for _, sr := range pl.rules {
		if err := addRules(f, pl, arch, native, sr); err != nil {
			f.Release()
			return nil, fmt.Errorf("arch %s, syscall %d: %w", pl.info.name, sr.Nr, err)
		}
	}
	return f, nil
}

// emptyFilter makes a filter for one arch with the policy's default, bad-arch action and
// optimization level.
func emptyFilter(p *ir.Policy, info archInfo, opts Options) (*seccomp.ScmpFilter, seccomp.ScmpArch, error) {
	def, err := scmpAction(p.Arches[0].Default)
	if err != nil {
		return nil, 0, err
	}
	bad, err := scmpAction(p.BadArch)
	if err != nil {
		return nil, 0, err
	}
	arch, err := seccomp.GetArchFromString(info.scmp)
	if err != nil {
		return nil, 0, fmt.Errorf("libseccomp: arch %s: %w", info.name, err)
	}
	f, err := seccomp.NewFilter(def)
	if err != nil {
		return nil, 0, fmt.Errorf("libseccomp: %w", err)
	}
	if err := setupFilter(f, arch, bad, opts); err != nil {
		f.Release()
		return nil, 0, fmt.Errorf("libseccomp: arch %s: %w", info.name, err)
	}
	return f, arch, nil
}

// setupFilter replaces the filter's native arch with arch and sets its attributes.
func setupFilter(f *seccomp.ScmpFilter, arch seccomp.ScmpArch, bad seccomp.ScmpAction, opts Options) error {
	if present, err := f.IsArchPresent(arch); err != nil {
		return err
	} else if !present {
		native, err := seccomp.GetNativeArch()
		if err != nil {
			return err
		}
		// Remove first: a filter's arches must share one byte order.
		if err := f.RemoveArch(native); err != nil {
			return err
		}
		if err := f.AddArch(arch); err != nil {
			return err
		}
	}
	if err := f.SetBadArchAction(bad); err != nil {
		return err
	}
	if opts.Optimize != 0 {
		return f.SetOptimize(opts.Optimize)
	}
	return nil
}

// addRules adds one syscall's rules: unconditional, or one rule per conjunction.
func addRules(f *seccomp.ScmpFilter, pl archPlan, arch, native seccomp.ScmpArch, sr sysRules) error {
	call, err := scmpSyscall(pl, arch, native, sr.Nr)
	if err != nil {
		return err
	}
	act, err := scmpAction(sr.Action)
	if err != nil {
		return err
	}
	if sr.Conjs == nil {
		return wrapLib(f.AddRuleExact(call, act))
	}
	for _, conj := range sr.Conjs {
		conds, err := scmpConditions(conj)
		if err != nil {
			return err
		}
		if err := f.AddRuleConditionalExact(call, act, conds); err != nil {
			return fmt.Errorf("libseccomp: rule %v: %w", conj, err)
		}
	}
	return nil
}

func wrapLib(err error) error {
	if err != nil {
		return fmt.Errorf("libseccomp: %w", err)
	}
	return nil
}

// scmpSyscall returns the number to give libseccomp for syscall nr of pl's arch. libseccomp
// reads rule numbers as the native (build host's) arch's and translates them to other arches
// by name, so a foreign arch's number goes through its name.
func scmpSyscall(pl archPlan, arch, native seccomp.ScmpArch, nr uint32) (seccomp.ScmpSyscall, error) {
	name := pl.ap.Names[nr]
	if name == "" && arch != native {
		n, err := seccomp.ScmpSyscall(int32(nr)).GetNameByArch(arch)
		if err != nil {
			return 0, notExpressible("syscall %d has no name on %s in libseccomp's table", nr, pl.info.name)
		}
		name = n
	}
	if pl.info.mux && muxNames[name] {
		return 0, notExpressible("%s on %s: libseccomp mirrors its rules onto socketcall(2)/ipc(2)", name, pl.info.name)
	}
	if arch == native {
		return seccomp.ScmpSyscall(int32(nr)), nil
	}
	if n, err := seccomp.GetSyscallFromNameByArch(name, arch); err != nil || uint32(n) != nr {
		return 0, notExpressible("syscall %d is %q but libseccomp numbers %q differently on %s", nr, name, name, pl.info.name)
	}
	call, err := seccomp.GetSyscallFromName(name)
	if err != nil {
		return 0, notExpressible("libseccomp cannot translate %q to %s: %v", name, pl.info.name, err)
	}
	if !translatesBack(name, call) {
		return 0, notExpressible("%s on %s: libseccomp's native number %d for it stands for another call", name, pl.info.name, call)
	}
	return call, nil
}

// translatesBack tells whether libseccomp reads the native number call, which it gave for
// name, as name again. It adds a rule for another arch by the name of its native number, and
// libseccomp 2.5.4 (and later, to 2.6.1 at least) gives sys_debug_setcontext and
// switch_endian one pseudo number (__PNR_*, -10191): on a host that has neither (x86_64), a
// rule on PowerPC's sys_debug_setcontext lands on switch_endian.
func translatesBack(name string, call seccomp.ScmpSyscall) bool {
	back, err := call.GetName()
	return err == nil && back == name
}

// scmpConditions makes libseccomp conditions from a conjunction.
func scmpConditions(conj []comparison) ([]seccomp.ScmpCondition, error) {
	conds := make([]seccomp.ScmpCondition, 0, len(conj))
	for _, c := range conj {
		vals := []uint64{c.Value}
		if c.Op == seccomp.CompareMaskedEqual {
			vals = []uint64{c.Mask, c.Value} // SCMP_CMP_MASKED_EQ takes the mask first
		}
		cond, err := seccomp.MakeCondition(c.Arg, c.Op, vals...)
		if err != nil {
			return nil, fmt.Errorf("libseccomp: %w", err)
		}
		conds = append(conds, cond)
	}
	return conds, nil
}

// scmpAction maps an IR action onto libseccomp's.
func scmpAction(a ir.Action) (seccomp.ScmpAction, error) {
	switch a.Kind {
	case ir.KillProcess:
		return seccomp.ActKillProcess, nil
	case ir.KillThread:
		return seccomp.ActKillThread, nil
	case ir.Trap:
		if a.Data != 0 {
			return 0, notExpressible("%v: libseccomp's trap action carries no data", a)
		}
		return seccomp.ActTrap, nil
	case ir.Errno:
		if a.Data >= ir.MaxErrno {
			return 0, notExpressible("%v: libseccomp takes errno values below %d only", a, ir.MaxErrno)
		}
		return seccomp.ActErrno.SetReturnCode(int16(a.Data)), nil
	case ir.Trace:
		return seccomp.ActTrace.SetReturnCode(int16(a.Data)), nil
	case ir.UserNotif:
		return seccomp.ActNotify, nil
	case ir.Log:
		return seccomp.ActLog, nil
	case ir.Allow:
		return seccomp.ActAllow, nil
	}
	return 0, notExpressible("unknown action %v", a)
}

// export writes the filter's program through a memory file and decodes it.
func export(f *seccomp.ScmpFilter) ([]bpf.RawInstruction, error) {
	fd, err := unix.MemfdCreate("libseccomp-bpf", unix.MFD_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("memfd_create: %w", err)
	}
	file := os.NewFile(uintptr(fd), "libseccomp-bpf")
	defer file.Close()
	if err := f.ExportBPF(file); err != nil {
		return nil, fmt.Errorf("libseccomp: export: %w", err)
	}
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(file)
	if err != nil {
		return nil, err
	}
	return Decode(b)
}

// Decode reads a program of struct sock_filter records as seccomp_export_bpf writes it: in
// the byte order of the filter's arch (libseccomp converts every instruction from the host's
// order to the target's), which program.DecodeRawEither tells by itself.
func Decode(b []byte) ([]bpf.RawInstruction, error) {
	prog, _, err := program.DecodeRawEither(b)
	return prog, err
}
