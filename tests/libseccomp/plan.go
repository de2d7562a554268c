//go:build linux && cgo

package libseccomp

import (
	"errors"
	"fmt"
	"sort"

	"github.com/scc-dev/scc/ir"
	seccomp "github.com/seccomp/libseccomp-golang"
)

// ErrNotExpressible is wrapped by the errors Build returns for a policy that libseccomp cannot
// express with the same semantics; the error text says why.
var ErrNotExpressible = errors.New("not expressible in libseccomp")

func notExpressible(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrNotExpressible, fmt.Sprintf(format, args...))
}

// maxConjunctions bounds the size of a condition's disjunctive normal form.
const maxConjunctions = 256

// comparison is one libseccomp argument comparison (SCMP_Ax(Op, Mask, Value) for masked
// equality, SCMP_Ax(Op, Value) otherwise).
type comparison struct {
	Arg   uint
	Op    seccomp.ScmpCompareOp
	Mask  uint64
	Value uint64
}

// sysRules is what libseccomp gets for one syscall: Action, unconditionally when Conjs is
// nil, else when any of the conjunctions holds (one libseccomp rule per conjunction).
type sysRules struct {
	Nr     uint32
	Action ir.Action
	Conjs  [][]comparison
}

// truth is what is known of a comparison at compile time.
type truth int

const (
	unknown truth = iota
	alwaysTrue
	alwaysFalse
)

func truthOf(b bool) truth {
	if b {
		return alwaysTrue
	}
	return alwaysFalse
}

// planArch turns one arch of a policy into libseccomp rules, in syscall number order.
func planArch(ap *ir.ArchPolicy, info archInfo) ([]sysRules, error) {
	if ap.Newer != nil && *ap.Newer != ap.Default {
		return nil, notExpressible("arch %s: an action for newer syscalls (%v) other than the default", info.name, *ap.Newer)
	}
	nrs := make([]uint32, 0, len(ap.Rules))
	for nr := range ap.Rules {
		nrs = append(nrs, nr)
	}
	sort.Slice(nrs, func(i, j int) bool { return nrs[i] < nrs[j] })
	var out []sysRules
	for _, nr := range nrs {
		if !ownsNumber(info, nr) {
			return nil, notExpressible("arch %s: syscall %#x is outside the arch's ABI (unreachable)", info.name, nr)
		}
		sr, err := planSyscall(ap.Rules[nr], ap.Default, info.bits == 64)
		if err != nil {
			return nil, fmt.Errorf("arch %s, syscall %d: %w", info.name, nr, err)
		}
		if sr != nil {
			sr.Nr = nr
			out = append(out, *sr)
		}
	}
	return out, nil
}

// ownsNumber mirrors ir's split of the x86_64 audit value between x86_64 and x32.
func ownsNumber(info archInfo, nr uint32) bool {
	if info.nrMask != 0 {
		return nr&info.nrMask != 0
	}
	if info.audit == ir.AuditArchX86_64 {
		return nr&ir.X32SyscallBit == 0
	}
	return true
}

// loweredRule is an IR rule with its condition in libseccomp's terms.
type loweredRule struct {
	action ir.Action
	always bool           // the condition always holds
	conjs  [][]comparison // else: any of these holds (none: never)
}

// planSyscall maps a syscall's first-match rules onto libseccomp's model, where every rule of
// a syscall must share one action and the fall-through is the filter's default. It returns
// nil when the syscall needs no libseccomp rule.
func planSyscall(rules []ir.Rule, def ir.Action, wide bool) (*sysRules, error) {
	var live []loweredRule
	fallback := def
	for _, r := range rules {
		lr, err := lowerRule(r, wide)
		if err != nil {
			return nil, err
		}
		if lr.always {
			fallback = lr.action // later rules are unreachable
			break
		}
		if len(lr.conjs) > 0 {
			live = append(live, lr)
		}
	}
	for len(live) > 0 && live[len(live)-1].action == fallback {
		live = live[:len(live)-1] // redundant: the fall-through decides the same
	}
	if len(live) == 0 {
		if fallback == def {
			return nil, nil
		}
		return &sysRules{Action: fallback}, nil
	}
	return mergeLive(live, fallback, def)
}

// mergeLive ORs conditional rules that share one action, when the fall-through is the default.
func mergeLive(live []loweredRule, fallback, def ir.Action) (*sysRules, error) {
	act := live[0].action
	sr := &sysRules{Action: act}
	for _, lr := range live {
		if lr.action != act {
			return nil, notExpressible("conditional rules with different actions (%v, %v): libseccomp has no first-match order", act, lr.action)
		}
		sr.Conjs = append(sr.Conjs, lr.conjs...)
	}
	if fallback != def {
		return nil, notExpressible("conditional %v rules falling back to %v, not the default %v: libseccomp's unconditional rule would override them", act, fallback, def)
	}
	return sr, nil
}

// lowerRule lowers one rule's condition to a disjunction of libseccomp conjunctions.
func lowerRule(r ir.Rule, wide bool) (loweredRule, error) {
	lr := loweredRule{action: r.Action}
	if r.Cond == nil {
		lr.always = true
		return lr, nil
	}
	terms, err := dnf(r.Cond, false)
	if err != nil {
		return lr, err
	}
	for _, term := range terms {
		conj, t, err := lowerConj(term, wide)
		if err != nil {
			return lr, err
		}
		switch t {
		case alwaysTrue:
			lr.always = true
			return lr, nil
		case unknown:
			lr.conjs = append(lr.conjs, conj)
		}
	}
	return lr, nil
}

// lowerConj lowers a conjunction, dropping comparisons that always hold; libseccomp takes at
// most one comparison per argument in a rule.
func lowerConj(term []ir.Cmp, wide bool) ([]comparison, truth, error) {
	var conj []comparison
	for _, c := range term {
		lc, t, err := lowerCmp(c, wide)
		if err != nil {
			return nil, unknown, err
		}
		if t == alwaysFalse {
			return nil, alwaysFalse, nil
		}
		if t == unknown {
			conj, err = addComparison(conj, lc)
			if err != nil {
				return nil, unknown, err
			}
		}
	}
	if len(conj) == 0 {
		return nil, alwaysTrue, nil
	}
	return conj, unknown, nil
}

// addComparison appends lc to conj unless an identical comparison is there; a different one
// on the same argument is not expressible.
func addComparison(conj []comparison, lc comparison) ([]comparison, error) {
	for _, o := range conj {
		if o.Arg != lc.Arg {
			continue
		}
		if o == lc {
			return conj, nil
		}
		return nil, notExpressible("two comparisons of arg%d in one conjunction", lc.Arg)
	}
	return append(conj, lc), nil
}
