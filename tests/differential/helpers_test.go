package differential_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/optimizer"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/tests/differential"
)

// compile runs scc's optimizer and backend on an IR policy.
func compile(p *ir.Policy, opts optimizer.Options) (*backend.Filter, error) {
	prog, err := optimizer.Optimize(p, opts)
	if err != nil {
		return nil, fmt.Errorf("optimize: %w", err)
	}
	f, err := backend.Build(prog)
	if err != nil {
		return nil, fmt.Errorf("backend: %w", err)
	}
	return f, nil
}

// mustCompile is compile that fails the test on an error.
func mustCompile(t testing.TB, p *ir.Policy, opts optimizer.Options) *backend.Filter {
	t.Helper()
	f, err := compile(p, opts)
	if err != nil {
		t.Fatalf("compiling %s: %v", describePolicy(p), err)
	}
	return f
}

// tooLarge tells whether err is the backend's refusal of a program over the kernel's
// instruction limit: a correct outcome for a large random policy, not a bug.
func tooLarge(err error) bool {
	var ve *program.VerifyError
	return errors.As(err, &ve) && ve.PC < 0 && strings.Contains(ve.Reason, "the kernel's limit")
}

// sizeBudget counts the generated policies refused as too large, and fails the test when
// they are more than a tenth: the generator must keep most policies within the limit.
type sizeBudget struct{ built, refused int }

// compile compiles p; it reports false for a policy over the size limit and fails the test
// on any other error.
func (b *sizeBudget) compile(t testing.TB, p *ir.Policy, opts optimizer.Options) (*backend.Filter, bool) {
	t.Helper()
	f, err := compile(p, opts)
	switch {
	case err == nil:
		b.built++
		return f, true
	case tooLarge(err):
		b.refused++
		return nil, false
	}
	t.Fatalf("compiling %s: %v", describePolicy(p), err)
	return nil, false
}

// check fails the test when too many policies were refused.
func (b *sizeBudget) check(t testing.TB) {
	t.Helper()
	if b.refused*10 > b.built+b.refused {
		t.Errorf("%d of %d generated policies were over the size limit", b.refused, b.built+b.refused)
	}
}

// emulate is the return value of scc's program on d, by scc's emulator.
func emulate(t testing.TB, f *backend.Filter, d program.SeccompData) uint32 {
	t.Helper()
	ret, _ := newVM(t, f).Run(d)
	return ret
}

// newVM returns scc's emulator on f's program, which must verify.
func newVM(t testing.TB, f *backend.Filter) *program.VM {
	t.Helper()
	vm, err := program.NewVM(f.Program, f.BigEndian)
	if err != nil {
		t.Fatalf("scc's program does not verify: %v", err)
	}
	return vm
}

// agreeWithDecide fails the test on the first call where scc's program and Decide differ.
func agreeWithDecide(t testing.TB, p *ir.Policy, f *backend.Filter, calls []program.SeccompData) {
	t.Helper()
	vm := newVM(t, f)
	for _, d := range calls {
		ret, _ := vm.Run(d)
		got, want := ir.ActionFromRet(ret), p.Decide(d)
		if got != want {
			t.Fatalf("scc's program says %v, Decide says %v\ncall: %s\npolicy: %s",
				got, want, describeCall(d), describeNr(p, d))
		}
	}
}

// arches resolves arch names, failing the test on an unknown one.
func arches(t testing.TB, names ...string) []ir.Arch {
	t.Helper()
	out := make([]ir.Arch, len(names))
	for i, n := range names {
		a, ok := differential.IRArch(n)
		if !ok {
			t.Fatalf("unknown arch %s", n)
		}
		out[i] = a
	}
	return out
}

// newRand returns the deterministic generator of a test.
func newRand(seed1, seed2 uint64) *rand.Rand { return rand.New(rand.NewPCG(seed1, seed2)) }

func describeCall(d program.SeccompData) string {
	return fmt.Sprintf("nr %#x arch %#x args %#x", uint32(d.Nr), d.Arch, d.Args)
}

// describeNr writes what the policy says about d's syscall number on every arch.
func describeNr(p *ir.Policy, d program.SeccompData) string {
	var b strings.Builder
	for _, ap := range p.Arches {
		fmt.Fprintf(&b, "\n  %s (audit %#x): default %v", ap.Arch.Name, ap.Arch.Audit, ap.Default)
		if ap.Newer != nil {
			fmt.Fprintf(&b, ", newer %v in %#x", *ap.Newer, ap.NewerRanges())
		}
		for i, r := range ap.Rules[uint32(d.Nr)] {
			fmt.Fprintf(&b, "\n    rule %d: %v if %v", i, r.Action, r.Cond)
		}
	}
	return b.String()
}

// describePolicy writes a whole policy, for compile errors.
func describePolicy(p *ir.Policy) string {
	var b strings.Builder
	for _, ap := range p.Arches {
		fmt.Fprintf(&b, "\n  %s: default %v, %d syscalls with rules", ap.Arch.Name, ap.Default, len(ap.Rules))
		for nr, rules := range ap.Rules {
			for _, r := range rules {
				fmt.Fprintf(&b, "\n    %#x: %v if %v", nr, r.Action, r.Cond)
			}
		}
	}
	return b.String()
}
