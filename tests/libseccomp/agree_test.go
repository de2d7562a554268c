//go:build linux && cgo

package libseccomp

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/tests/differential"
	seccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/net/bpf"
)

// tally counts how the libseccomp program's verdicts compare with ir's.
type tally struct {
	calls, agree int
	libBugs      int      // libseccomp's program differs from its own rules taken one by one
	examples     []string // of libseccomp bugs
}

func newTally() *tally { return &tally{} }

// check compares the verdicts on calls and fails t on a disagreement that is not a libseccomp
// bug, i.e. a bug of scc's IR or of Build.
func (ta *tally) check(t *testing.T, p *ir.Policy, opts Options, prog []bpf.RawInstruction, calls []program.SeccompData) {
	t.Helper()
	for _, d := range calls {
		ta.calls++
		got := mustRun(t, prog, d)
		want := p.Decide(d).Ret()
		if got == want {
			ta.agree++
			continue
		}
		singles, err := singleRuleVerdict(p, opts, d)
		if err != nil {
			t.Fatalf("%v", err)
		}
		if singles != got && singles == want {
			ta.libBugs++
			if len(ta.examples) < 3 {
				ta.examples = append(ta.examples, describe(p, d, got, want))
			}
			continue
		}
		t.Fatalf("libseccomp and ir disagree: %s", describe(p, d, got, want))
	}
}

func (ta *tally) log(t *testing.T, name string) {
	t.Helper()
	t.Logf("%s: %d calls, %d agree; libseccomp miscompilations: %d", name, ta.calls, ta.agree, ta.libBugs)
	for _, e := range ta.examples {
		t.Logf("  libseccomp bug example: %s", e)
	}
}

func mustRun(t *testing.T, prog []bpf.RawInstruction, d program.SeccompData) uint32 {
	t.Helper()
	ret, err := Run(prog, d)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return ret
}

// describe writes a disagreement with the rules of the syscall involved.
func describe(p *ir.Policy, d program.SeccompData, got, want uint32) string {
	s := fmt.Sprintf("nr %#x arch %#x args %#x: libseccomp %v, ir %v", uint32(d.Nr), d.Arch, d.Args, ir.ActionFromRet(got), ir.ActionFromRet(want))
	if ap := archOf(p, d); ap != nil {
		s += fmt.Sprintf("; %s default %v, rules %v", ap.Arch.Name, ap.Default, ap.Rules[uint32(d.Nr)])
	}
	return s
}

// archOf is the arch policy that decides d in ir, or nil.
func archOf(p *ir.Policy, d program.SeccompData) *ir.ArchPolicy {
	for _, ap := range p.Arches {
		info, _ := lookupArch(ap.Arch.Name)
		if ap.Arch.Audit == d.Arch && ownsNumber(info, uint32(d.Nr)) {
			return ap
		}
	}
	return nil
}

// singleRuleVerdict is libseccomp's intended verdict on d: each libseccomp rule of d's
// syscall is compiled alone; the first that returns its action decides, else a filter
// without rules does.
func singleRuleVerdict(p *ir.Policy, opts Options, d program.SeccompData) (uint32, error) {
	plans, err := planPolicy(p)
	if err != nil {
		return 0, err
	}
	var singles [][]archPlan
	for i := range plans {
		for _, sr := range plans[i].rules {
			if sr.Nr != uint32(d.Nr) || plans[i].ap.Arch.Audit != d.Arch {
				continue
			}
			for _, conj := range conjsOrNil(sr) {
				one := sysRules{Nr: sr.Nr, Action: sr.Action, Conjs: conj}
				singles = append(singles, withOnly(plans, i, one))
			}
		}
	}
	for _, pl := range singles {
		prog, err := buildPlans(p, pl, opts)
		if err != nil {
			return 0, err
		}
		if ret, err := Run(prog, d); err != nil || ret == pl[indexOfRules(pl)].rules[0].Action.Ret() {
			return ret, err
		}
	}
	prog, err := buildPlans(p, withOnly(plans, -1, sysRules{}), opts)
	if err != nil {
		return 0, err
	}
	return Run(prog, d)
}

// conjsOrNil lists a syscall's rules one by one: nil stands for an unconditional rule.
func conjsOrNil(sr sysRules) [][][]comparison {
	if sr.Conjs == nil {
		return [][][]comparison{nil}
	}
	var out [][][]comparison
	for _, c := range sr.Conjs {
		out = append(out, [][]comparison{c})
	}
	return out
}

// withOnly copies plans with no rules but one in plans[i] (none when i < 0).
func withOnly(plans []archPlan, i int, one sysRules) []archPlan {
	out := make([]archPlan, len(plans))
	for j, pl := range plans {
		pl.rules = nil
		if j == i {
			pl.rules = []sysRules{one}
		}
		out[j] = pl
	}
	return out
}

func indexOfRules(plans []archPlan) int {
	for i, pl := range plans {
		if len(pl.rules) > 0 {
			return i
		}
	}
	return -1
}

func buildPlans(p *ir.Policy, plans []archPlan, opts Options) ([]bpf.RawInstruction, error) {
	f, err := newFilter(p, plans, opts)
	if err != nil {
		return nil, err
	}
	defer f.Release()
	return export(f)
}

// archSets are the arch combinations the random tests cover.
var archSets = [][]string{
	{"x86_64"}, {"x86_64", "i386", "x32"}, {"x86_64", "x32"}, {"i386"}, {"x32"}, {"aarch64"},
}

func arches(t testing.TB, names ...string) []ir.Arch {
	var out []ir.Arch
	for _, n := range names {
		a, ok := Arch(n)
		if !ok {
			t.Fatalf("unknown arch %s", n)
		}
		out = append(out, a)
	}
	return out
}

// TestRandomPoliciesAgree compares libseccomp's programs with ir.Policy.Decide on random
// policies of the accepted subset and random calls, for both optimization levels.
func TestRandomPoliciesAgree(t *testing.T) {
	policies, calls := 150, 150
	if testing.Short() {
		policies = 30
	}
	for si, set := range archSets {
		for _, opt := range []int{OptimizeLinear, OptimizeBinaryTree} {
			name := fmt.Sprintf("%v/opt%d", set, opt)
			t.Run(name, func(t *testing.T) {
				r := rand.New(rand.NewPCG(uint64(si), uint64(opt)))
				ta := newTally()
				for range policies {
					p := RandomPolicy(r, arches(t, set...)...)
					prog, err := Build(p, Options{Optimize: opt})
					if err != nil {
						t.Fatalf("Build refused a generated policy: %v", err)
					}
					ta.check(t, p, Options{Optimize: opt}, prog, differential.Calls(r, p, calls))
				}
				ta.log(t, name)
			})
		}
	}
}

// FuzzLibseccompAgreement compares libseccomp and ir on a random policy drawn from the seeds.
func FuzzLibseccompAgreement(f *testing.F) {
	for i := range archSets {
		f.Add(uint64(i), uint64(42), uint8(i), i%2 == 0)
	}
	f.Fuzz(func(t *testing.T, seed1, seed2 uint64, set uint8, tree bool) {
		r := rand.New(rand.NewPCG(seed1, seed2))
		p := RandomPolicy(r, arches(t, archSets[int(set)%len(archSets)]...)...)
		opts := Options{Optimize: OptimizeLinear}
		if tree {
			opts.Optimize = OptimizeBinaryTree
		}
		prog, err := Build(p, opts)
		if err != nil {
			t.Fatalf("Build refused a generated policy: %v", err)
		}
		newTally().check(t, p, opts, prog, differential.Calls(r, p, 200))
	})
}

// TestLibseccompMiscompilation documents a libseccomp 2.5.4 bug found by these tests: with
// two rules on one syscall, errno(1) if a0 > 5, and errno(1) if a1 >= 7 && a0 < 1<<32, the
// program tests a0's high half against the accumulator still holding a1's low half, so
// write(4, 3) returns errno(1) where neither rule matches. The rules one by one, and ir,
// agree on allow.
func TestLibseccompMiscompilation(t *testing.T) {
	gt := ir.Cmp{Arg: 0, Width: 64, Mask: full, Op: ir.GT, Value: 5}
	ge := ir.Cmp{Arg: 1, Width: 64, Mask: full, Op: ir.GE, Value: 7}
	p := onePolicy(t, "x86_64", allow,
		ir.Rule{Cond: gt, Action: eperm}, ir.Rule{Cond: ir.And{ge, lt(0, 1<<32)}, Action: eperm})
	d := program.SeccompData{Nr: 1, Arch: ir.AuditArchX86_64, Args: [6]uint64{4, 3}}
	opts := Options{Optimize: OptimizeBinaryTree}
	prog, err := Build(p, opts)
	if err != nil {
		t.Fatal(err)
	}
	singles, err := singleRuleVerdict(p, opts, d)
	if err != nil {
		t.Fatal(err)
	}
	if want := p.Decide(d).Ret(); singles != want {
		t.Fatalf("rules one by one: %#x, ir: %#x", singles, want)
	}
	got := ir.ActionFromRet(mustRun(t, prog, d))
	maj, min, mic := seccomp.GetLibraryVersion()
	t.Logf("libseccomp %d.%d.%d: write(4, 3) → %v (correct: %v)", maj, min, mic, got, p.Decide(d))
}
