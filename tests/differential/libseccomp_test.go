//go:build linux && cgo

package differential_test

import (
	"fmt"
	"testing"
	"time"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/optimizer"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/tests/differential"
	"github.com/scc-dev/scc/tests/libseccomp"
)

// libSets are the arch combinations of the comparison with libseccomp.
var libSets = [][]string{
	{"x86_64"}, {"x86_64", "i386", "x32"}, {"x86_64", "x32"}, {"i386"}, {"x32"}, {"aarch64"},
	{"aarch64", "arm"}, {"arm"}, {"riscv64"}, {"mips64le"},
	{"ppc64le"}, {"s390x"}, {"mips64"},
	// Two libseccomp bugs show on these and are accounted for precisely: PowerPC's
	// sys_debug_setcontext shares its pseudo number with switch_endian (the generator leaves
	// it out, see libseccomp.Syscalls), and on the big-endian s390x and mips64, built on a
	// little-endian host, a return copied nearer a long jump has its bytes swapped (see
	// libseccomp.SwappedReturn; counted, the call otherwise checked against Decide).
}

// libTally counts the comparisons of one test.
type libTally struct {
	calls   int
	libBugs int      // libseccomp's program differs from its own rules compiled one by one
	swapped int      // libseccomp's program returns a copied return with its bytes swapped
	example []string // a few of them
	longer  int      // policies where scc's program has more instructions than libseccomp's
	worst   float64  // the largest ratio of scc's length to libseccomp's
}

// sizes records how the two programs' lengths compare. scc aims at no more instructions
// than libseccomp's binary tree; that is a goal measured elsewhere, logged here.
func (ta *libTally) sizes(scc *backend.Filter, lib []bpf.RawInstruction) {
	if len(scc.Program) > len(lib) {
		ta.longer++
	}
	ta.worst = max(ta.worst, float64(len(scc.Program))/float64(len(lib)))
}

// TestAgainstLibseccomp builds random policies of libseccomp's subset with scc and with
// libseccomp (binary tree and linear), runs both programs on the same random calls, and
// requires both to decide as ir.Policy.Decide. On this subset the two compilers have the
// same semantics, so any difference is a bug; libseccomp 2.5.4's known miscompilation of
// several rules on one syscall is detected and counted instead (see libBug).
func TestAgainstLibseccomp(t *testing.T) {
	policies, calls := 120, 200
	if testing.Short() {
		policies = 20
	}
	for si, set := range libSets {
		for _, level := range []int{libseccomp.OptimizeBinaryTree, libseccomp.OptimizeLinear} {
			t.Run(fmt.Sprintf("%v/opt%d", set, level), func(t *testing.T) {
				r := newRand(uint64(si), uint64(level)+0x11b)
				var ta libTally
				for i := range policies {
					p := libseccomp.RandomPolicy(r, arches(t, set...)...)
					lib := libBuild(t, p, level)
					scc, err := compile(p, optimizer.Options{Balanced: i%2 == 1})
					if err != nil {
						t.Fatalf("scc: %v; libseccomp's program has %d instructions\npolicy: %s",
							err, len(lib), describePolicy(p))
					}
					ta.sizes(scc, lib)
					for _, d := range differential.Calls(r, p, calls) {
						ta.compare(t, p, level, scc, lib, d)
					}
				}
				t.Logf("%d calls; scc's program longer than libseccomp's on %d of %d policies (at most %.2fx)",
					ta.calls, ta.longer, policies, ta.worst)
				t.Logf("libseccomp miscompilations: %d %v; byte-swapped copies of returns: %d",
					ta.libBugs, ta.example, ta.swapped)
			})
		}
	}
}

// libTimeout bounds one libseccomp build. libseccomp 2.5.4 can take minutes on a policy of
// about 150 rules with disjunctions (seen at the linear level on x86_64, i386 and x32); a
// generator or seed change that draws such a policy fails fast instead of hanging the run.
const libTimeout = 20 * time.Second

// libBuild compiles p with libseccomp, failing the test if it refuses a generated policy or
// takes longer than libTimeout (the build then runs on, in cgo, until the test binary exits).
func libBuild(t testing.TB, p *ir.Policy, level int) []bpf.RawInstruction {
	t.Helper()
	type result struct {
		prog []bpf.RawInstruction
		err  error
	}
	done := make(chan result, 1)
	go func() {
		prog, err := libseccomp.Build(p, libseccomp.Options{Optimize: level})
		done <- result{prog, err}
	}()
	select {
	case res := <-done:
		if res.err != nil {
			t.Fatalf("libseccomp refused a policy of its subset: %v", res.err)
		}
		return res.prog
	case <-time.After(libTimeout):
		t.Fatalf("libseccomp took over %v to build a policy (a libseccomp slowness, not a verdict): %s",
			libTimeout, describePolicy(p))
	}
	return nil
}

// compare runs both programs on d and checks them against Decide. scc must always agree;
// libseccomp may differ only by its known miscompilation.
func (ta *libTally) compare(t *testing.T, p *ir.Policy, level int, scc *backend.Filter, lib []bpf.RawInstruction, d program.SeccompData) {
	t.Helper()
	ta.calls++
	want := p.Decide(d)
	if got := ir.ActionFromRet(emulate(t, scc, d)); got != want {
		t.Fatalf("scc's program says %v, Decide and libseccomp's semantics say %v\ncall: %s\npolicy: %s",
			got, want, describeCall(d), describeNr(p, d))
	}
	libRet := libRun(t, lib, d)
	if libRet == want.Ret() {
		return
	}
	if libseccomp.SwappedReturn(lib, p.Arches[0].Arch.BigEndian, d, want.Ret()) {
		ta.swapped++
		return
	}
	if !libBug(t, p, level, d) {
		t.Fatalf("libseccomp's program says %v, Decide says %v (and libseccomp's rules one by one agree with its program)\ncall: %s\npolicy: %s",
			ir.ActionFromRet(libRet), want, describeCall(d), describeNr(p, d))
	}
	ta.libBugs++
	if len(ta.example) < 2 {
		ta.example = append(ta.example, describeCall(d)+": libseccomp "+ir.ActionFromRet(libRet).String()+", Decide "+want.String())
	}
}

// libRun runs libseccomp's program on d (with scc's emulator, through libseccomp.Run, which
// tests/libseccomp checks against x/net/bpf's VM).
func libRun(t *testing.T, prog []bpf.RawInstruction, d program.SeccompData) uint32 {
	t.Helper()
	ret, err := libseccomp.Run(prog, d)
	if err != nil {
		t.Fatalf("running libseccomp's program: %v (call %s)", err, describeCall(d))
	}
	return ret
}

// libBug tells whether libseccomp's wrong verdict on d is its miscompilation of several
// rules together: each rule of d's syscall compiled alone by libseccomp (the only rule of
// the filter) decides d as Decide does. In the subset every conditional rule of a
// syscall has one action (rules with the default's action aside: they cannot change a
// verdict), so the first single rule that returns its action decides, and without any the
// syscall's rules dropped decide.
func libBug(t *testing.T, p *ir.Policy, level int, d program.SeccompData) bool {
	t.Helper()
	i := archIndex(p, d)
	if i < 0 {
		return false // a bad-arch call involves no rules
	}
	nr := uint32(d.Nr)
	rules := p.Arches[i].Rules[nr]
	for _, r := range rules {
		if r.Action == p.Arches[i].Default {
			continue // returns the default whether it matches or not
		}
		ret := libRunAlone(t, withRules(p, i, nr, []ir.Rule{r}), level, d)
		if ret == r.Action.Ret() {
			return ret == p.Decide(d).Ret()
		}
	}
	return libRunAlone(t, withRules(p, i, nr, nil), level, d) == p.Decide(d).Ret()
}

func libRunAlone(t *testing.T, p *ir.Policy, level int, d program.SeccompData) uint32 {
	t.Helper()
	return libRun(t, libBuild(t, p, level), d)
}

// archIndex is the index of the arch policy that decides d, or -1.
func archIndex(p *ir.Policy, d program.SeccompData) int {
	for i, ap := range p.Arches {
		if ap.Arch.Audit == d.Arch && ap.Arch.Owns(uint32(d.Nr)) {
			return i
		}
	}
	return -1
}

// withRules copies p with no rules but the given ones, on arch i's syscall nr (none when
// rules is nil): the miscompilations involve rules of other syscalls too, so the verdict
// of one rule is taken with that rule alone in the filter, as tests/libseccomp does.
func withRules(p *ir.Policy, i int, nr uint32, rules []ir.Rule) *ir.Policy {
	q := *p
	q.Arches = make([]*ir.ArchPolicy, len(p.Arches))
	for j, src := range p.Arches {
		ap := *src
		ap.Rules = map[uint32][]ir.Rule{}
		if j == i && rules != nil {
			ap.Rules[nr] = rules
		}
		q.Arches[j] = &ap
	}
	return &q
}
