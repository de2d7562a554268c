package compiler

import (
	"strings"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/stdlib"
)

// CallFile is the file name of the diagnostics of ResolveCall: they are positioned in the
// call's own text, whose source the caller holds.
const CallFile = "call"

// ResolveCall turns a call written as in an `expect` line, such as
// "openat(AT_FDCWD, 0, O_RDONLY)" or "nr=0x40000001(1, 0xffffffff00000002)", into the
// seccomp_data the kernel would build on arch. Diagnostics are positioned in CallFile, the
// call's text.
func ResolveCall(call, arch string) (program.SeccompData, diag.List) {
	a, ok := stdlib.LookupArch(arch)
	if !ok {
		var l diag.List
		l.Errorf(diag.Pos{File: "--arch"}, "unknown arch %s", arch).Hint = archHint(arch)
		return program.SeccompData{}, l
	}
	st, errs := lang.ParseCall(CallFile, call)
	if errs.HasErrors() {
		return program.SeccompData{}, errs
	}
	sc := &scope{consts: map[string]*lang.ConstDecl{}, groups: map[string]*lang.GroupDecl{}, policies: map[string]*lang.PolicyDecl{}}
	ac := newArchCtx(sc, a)
	d, ok := ac.call(st)
	if !ok && !sc.errs.HasErrors() {
		sc.errs.Errorf(st.Syscall.At, "%s does not exist on %s", st.Syscall.Name, a.Name).Hint = existsHint(st.Syscall.Name)
	}
	sc.errs.Sort()
	return d, settle(sc.errs)
}

// existsHint names the arches where a syscall exists, for one that is missing on an arch.
func existsHint(name string) string {
	if arches := stdlib.ArchesWith(name); len(arches) > 0 {
		return "it exists on " + strings.Join(arches, ", ") + "; scc sim --arch picks the arch"
	}
	return ""
}

// call resolves a call into the seccomp_data the kernel builds on this arch. ok is false when
// an error was reported or when the named syscall does not exist on this arch.
func (ac *archCtx) call(st *lang.ExpectStmt) (d program.SeccompData, ok bool) {
	d.Arch = ac.arch.Audit
	var sig stdlib.Signature
	var name string
	if st.Nr != nil {
		nr, ok := ac.rawNumber(st.Nr)
		if !ok {
			return d, false
		}
		d.Nr = int32(nr)
		name, _ = stdlib.SyscallName(ac.arch.Name, nr)
	} else {
		name = st.Syscall.Name
		nr, ok := stdlib.SyscallNumber(ac.arch.Name, name)
		if !ok {
			if name == "nr" {
				ac.errorf(st.Syscall.At, "unknown syscall nr").Hint = "a raw syscall number is written nr=N, as in nr=0x40000001"
			} else if !stdlib.KnownSyscall(name) {
				ac.unknownSyscall(st.Syscall)
			}
			return d, false
		}
		d.Nr = int32(nr)
	}
	if name != "" {
		sig, _ = ac.sc.signature(ac.arch.Name, name)
	}
	if len(st.Args) > 6 {
		ac.errorf(st.Args[6].Pos(), "a syscall has at most 6 arguments")
		return d, false
	}
	errs := len(ac.sc.errs)
	for i, e := range st.Args {
		d.Args[i] = ac.expectArg(e, callName(st, name), i, sig)
	}
	return d, len(ac.sc.errs) == errs
}

// rawNumber evaluates the N of nr=N: any 32-bit value, as seccomp_data.nr holds it.
func (ac *archCtx) rawNumber(e lang.Expr) (uint32, bool) {
	v, ok := ac.constValue(e)
	if !ok {
		return 0, false
	}
	u, ok := fitWidth(v, 32)
	if !ok {
		ac.errorf(e.Pos(), "syscall number %s does not fit 32 bits", hexText(v))
	}
	return uint32(u), ok
}

// callName names a call's syscall in messages: its name, else nr=N.
func callName(st *lang.ExpectStmt, name string) string {
	if name != "" {
		return name
	}
	return "nr=" + exprText(st.Nr)
}

// expectArg encodes argument i of a call. A value that fits the argument's width (at least
// 32 bits: a 16-bit argument's register may carry bits the kernel drops) is written at that
// width, so -1 for an int is 0xffffffff; any other value that fits the register is the raw
// register, so that a garbage high half of an int (0xffffffff00000001) reaches the filter as
// the kernel would pass it.
func (ac *archCtx) expectArg(e lang.Expr, syscall string, i int, sig stdlib.Signature) uint64 {
	reg := registerBits(ac.arch)
	width := reg
	if i < len(sig.Params) {
		width = min(max(sig.Params[i].Bits, 32), reg)
	}
	v, ok := ac.constValue(e)
	if !ok {
		return 0
	}
	if u, ok := fitWidth(v, width); ok {
		return u
	}
	u, ok := fitWidth(v, reg)
	if !ok {
		ac.errorf(e.Pos(), "%s does not fit the %d-bit register of argument %d of %s", hexText(v), reg, i, syscall)
	}
	return u
}
