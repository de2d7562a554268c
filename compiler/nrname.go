package compiler

import (
	"fmt"
	"strings"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/stdlib"
)

// A rule may name a syscall by its number, nr=N, as an expect line does: the number
// seccomp sees on the arch, x32's bit included. It names a syscall on the arches whose
// numbers it can be: on x86_64 those without x32's bit, on x32 those with it, on the other
// arches any. Where it is the number of a syscall the tables know, the rule names that
// syscall (and its arguments have their names); elsewhere the arguments are arg0 to arg5.
// -1, the number of a call a tracer skipped, is no syscall's: a policy gives it the default.

// numberName returns the number of a name written nr=N, if it is one and valid.
func numberName(name string) (uint32, bool) {
	text, ok := strings.CutPrefix(name, lang.NrPrefix)
	if !ok {
		return 0, false
	}
	v, err := lang.ParseNumber(text)
	if err != nil || v >= ir.SkippedSyscall {
		return 0, false
	}
	return uint32(v), true
}

// checkNumberNames reports the nr=N names of a rule whose number cannot name a syscall.
func (sc *scope) checkNumberNames(ids []*lang.Ident) {
	for _, id := range ids {
		text, ok := strings.CutPrefix(id.Name, lang.NrPrefix)
		if !ok {
			continue
		}
		v, err := lang.ParseNumber(text)
		switch {
		case err != nil: // the parser reported it
		case v == ir.SkippedSyscall:
			d := sc.errs.Errorf(id.At, "%s is -1, the number of a call a tracer skipped, which no rule decides", id.Name)
			d.Hint = "a policy gives it the default action"
		case v > ir.SkippedSyscall:
			sc.errs.Errorf(id.At, "%s: a syscall number has 32 bits", id.Name).Hint = "the number seccomp sees, x32's bit 0x40000000 included"
		}
	}
}

// ownsNumber tells whether nr can be a number of arch a: on x86_64 and x32, which share an
// audit arch, the numbers without and with x32's bit.
func ownsNumber(a stdlib.Arch, nr uint32) bool {
	if a.Audit != ir.AuditArchX86_64 {
		return true
	}
	return (nr&ir.X32SyscallBit != 0) == (a.NrMask != 0)
}

// numberNamedNowhere reports nr=N that is a number of none of the policy's arches.
func (sc *scope) numberNamedNowhere(id *lang.Ident, arches []stdlib.Arch) {
	var names []string
	for _, a := range arches {
		names = append(names, a.Name)
	}
	d := sc.errs.Errorf(id.At, "%s is a number of none of this policy's arches (%s)", id.Name, strings.Join(names, ", "))
	d.Hint = fmt.Sprintf("x32's numbers carry its bit %#x, x86_64's do not", ir.X32SyscallBit)
}
