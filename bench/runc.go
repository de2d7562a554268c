//go:build linux && cgo

package bench

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/moby/profiles/seccomp"
	specs "github.com/opencontainers/runtime-spec/specs-go"
	libseccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/oci"
	sccseccomp "github.com/scc-dev/scc/tests/libseccomp"
)

// buildProfile compiles a Docker profile with libseccomp the way Docker and runc do: moby's
// LoadProfile evaluates it for the host (arch and kernel) and the capabilities, giving the OCI
// seccomp section; runc's InitSeccomp turns that into libseccomp rules (matchCall). The
// ENOSYS stub runc's patchbpf prepends is left out: it is not libseccomp's. arch must be the
// host's; kernel is unused (the host's kernel decides minKernel; Docker's default profile
// only asks for 4.8).
func buildProfile(profile []byte, arch string, caps []string, kernel string, optimize int) ([]bpf.RawInstruction, error) {
	if arch != runtime.GOARCH {
		return nil, &NotAvailable{Reason: fmt.Sprintf("the profile is evaluated for the host (%s), not %s", runtime.GOARCH, arch)}
	}
	if caps == nil {
		caps = oci.DefaultCaps
	}
	spec := &specs.Spec{Process: &specs.Process{Capabilities: &specs.LinuxCapabilities{Bounding: caps}}}
	sc, err := seccomp.LoadProfile(string(profile), spec)
	if err != nil {
		return nil, err
	}
	f, err := runcFilter(sc)
	if err != nil {
		return nil, err
	}
	defer f.Release()
	if err := f.SetOptimize(optimize); err != nil {
		return nil, err
	}
	return exportBPF(f)
}

// runcFilter is runc's InitSeccomp without the load.
func runcFilter(sc *specs.LinuxSeccomp) (*libseccomp.ScmpFilter, error) {
	def, err := runcAction(sc.DefaultAction, sc.DefaultErrnoRet)
	if err != nil {
		return nil, err
	}
	f, err := libseccomp.NewFilter(def)
	if err != nil {
		return nil, err
	}
	if err := runcRules(f, sc, def); err != nil {
		f.Release()
		return nil, err
	}
	return f, nil
}

// runcRules adds the arches and one rule set per syscall name.
func runcRules(f *libseccomp.ScmpFilter, sc *specs.LinuxSeccomp, def libseccomp.ScmpAction) error {
	for _, a := range sc.Architectures {
		arch, err := libseccomp.GetArchFromString(strings.ToLower(strings.TrimPrefix(string(a), "SCMP_ARCH_")))
		if err != nil {
			return err
		}
		if err := f.AddArch(arch); err != nil {
			return err
		}
	}
	for _, s := range sc.Syscalls {
		for _, name := range s.Names {
			if err := matchCall(f, name, s, def); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	return nil
}

// matchCall is runc's: a rule with the default action is skipped, an unknown name ignored;
// comparisons become one rule, or one rule each when two compare the same argument.
func matchCall(f *libseccomp.ScmpFilter, name string, s specs.LinuxSyscall, def libseccomp.ScmpAction) error {
	act, err := runcAction(s.Action, s.ErrnoRet)
	if err != nil || act == def {
		return err
	}
	call, err := libseccomp.GetSyscallFromName(name)
	if err != nil {
		return nil
	}
	if len(s.Args) == 0 {
		return f.AddRule(call, act)
	}
	var conds []libseccomp.ScmpCondition
	seen, repeated := map[uint]bool{}, false
	for _, a := range s.Args {
		c, err := runcCondition(a)
		if err != nil {
			return err
		}
		repeated = repeated || seen[a.Index]
		seen[a.Index] = true
		conds = append(conds, c)
	}
	if !repeated {
		return f.AddRuleConditional(call, act, conds)
	}
	for _, c := range conds {
		if err := f.AddRuleConditional(call, act, []libseccomp.ScmpCondition{c}); err != nil {
			return err
		}
	}
	return nil
}

// runcOps maps the OCI operators onto libseccomp's.
var runcOps = map[specs.LinuxSeccompOperator]libseccomp.ScmpCompareOp{
	specs.OpNotEqual: libseccomp.CompareNotEqual, specs.OpLessThan: libseccomp.CompareLess,
	specs.OpLessEqual: libseccomp.CompareLessOrEqual, specs.OpEqualTo: libseccomp.CompareEqual,
	specs.OpGreaterEqual: libseccomp.CompareGreaterEqual, specs.OpGreaterThan: libseccomp.CompareGreater,
	specs.OpMaskedEqual: libseccomp.CompareMaskedEqual,
}

func runcCondition(a specs.LinuxSeccompArg) (libseccomp.ScmpCondition, error) {
	op, ok := runcOps[a.Op]
	if !ok {
		return libseccomp.ScmpCondition{}, fmt.Errorf("unknown operator %q", a.Op)
	}
	if op == libseccomp.CompareMaskedEqual {
		return libseccomp.MakeCondition(a.Index, op, a.Value, a.ValueTwo)
	}
	return libseccomp.MakeCondition(a.Index, op, a.Value)
}

// runcAction maps an OCI action onto libseccomp's; errno defaults to EPERM.
func runcAction(a specs.LinuxSeccompAction, errnoRet *uint) (libseccomp.ScmpAction, error) {
	errno := uint(unix.EPERM)
	if errnoRet != nil {
		errno = *errnoRet
	}
	switch a {
	case specs.ActKill, specs.ActKillThread:
		return libseccomp.ActKillThread, nil
	case specs.ActKillProcess:
		return libseccomp.ActKillProcess, nil
	case specs.ActTrap:
		return libseccomp.ActTrap, nil
	case specs.ActErrno:
		return libseccomp.ActErrno.SetReturnCode(int16(errno)), nil
	case specs.ActTrace:
		return libseccomp.ActTrace.SetReturnCode(int16(errno)), nil
	case specs.ActAllow:
		return libseccomp.ActAllow, nil
	case specs.ActLog:
		return libseccomp.ActLog, nil
	case specs.ActNotify:
		return libseccomp.ActNotify, nil
	}
	return 0, fmt.Errorf("unknown action %q", a)
}

// exportBPF writes the filter's program through a memory file and decodes it.
func exportBPF(f *libseccomp.ScmpFilter) ([]bpf.RawInstruction, error) {
	fd, err := unix.MemfdCreate("bench-bpf", unix.MFD_CLOEXEC)
	if err != nil {
		return nil, err
	}
	file := os.NewFile(uintptr(fd), "bench-bpf")
	defer file.Close()
	if err := f.ExportBPF(file); err != nil {
		return nil, err
	}
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(file)
	if err != nil {
		return nil, err
	}
	return sccseccomp.Decode(b)
}
