package lint

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lint/bdd"
	"github.com/scc-dev/scc/lint/lintgen"
)

// lintWork lints a policy source, keeping every syscall's decision diagrams, and returns the
// linter, after its run, and the diagrams' work: the steps and nodes taken from the run's
// budget.
func lintWork(t testing.TB, src []byte) (l *linter, steps, nodes int64) {
	t.Helper()
	return runLint(t, src, true)
}

// runLint lints src, keeping every syscall's diagrams or (keep false) releasing each once
// its rules are checked, as scc lint does, and returns the linter and the run's work.
func runLint(t testing.TB, src []byte, keep bool) (l *linter, steps, nodes int64) {
	t.Helper()
	res, errs := compiler.CompileSource("large.sc", src, compiler.Options{})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	l = newLinter(res)
	l.keep = keep
	l.run()
	return l, limits.runSteps - l.work.Steps, limits.runNodes - l.work.Nodes
}

func ofCheck(l diag.List, check string) diag.List {
	var out diag.List
	for _, d := range l {
		if d.Check == check {
			out = append(out, d)
		}
	}
	return out
}

// withLimits runs f with lint's bounds lowered to nodes and steps per syscall (and three and
// two times that for the run).
func withLimits(t testing.TB, nodes, steps int64) {
	saved := limits
	t.Cleanup(func() { limits = saved })
	limits.nodes, limits.steps, limits.runNodes, limits.runSteps = nodes, steps, 3*nodes, 2*steps
}

// A policy of 750 rules of the kind that used to run for minutes (64-bit equalities, sets,
// masks and ranges on several arguments, joined by && and ||, most rules covered by earlier
// ones) is analysed whole within the default bounds, and its work counted in steps and
// nodes stays within a fixed multiple of the rules. The counts are deterministic; the
// bounds hold with room (the run takes about 25M steps and 1.7M nodes).
func TestLargePolicyBoundedWork(t *testing.T) {
	l, steps, nodes := lintWork(t, lintgen.Policy(750, 1))
	if na := ofCheck(l.found, NotAnalysed); len(na) > 0 {
		t.Fatalf("a 750-rule policy passes the budget:\n%v", na)
	}
	if n := len(ofCheck(l.found, UnreachableRule)); n < 100 {
		t.Errorf("only %d unreachable rules: the generator no longer makes the hard case", n)
	}
	const perRule = 50_000 // steps
	if steps > 750*perRule || nodes > 750*4_000 {
		t.Errorf("750 rules took %d steps and %d nodes; want at most %d and %d", steps, nodes, 750*perRule, 750*4_000)
	}
	t.Logf("%d steps, %d nodes", steps, nodes)
}

// Past the budget, lint says so once per syscall, at the rule where the budget ran out, and
// keeps the findings it made before.
func TestBudgetExceededIsReportedOncePerSyscall(t *testing.T) {
	// The union of arg0 & B != 0 && arg1 & B != 0 over single bits B doubles with each bit:
	// a budget of 2¹⁶ nodes runs out at the 16th bit, on line 19 of the policy (the default
	// budget does at the 21st).
	withLimits(t, 1<<16, bdd.DefaultMaxSteps)
	var b strings.Builder
	b.WriteString("policy p {\n    arch x86_64\n    default errno(EPERM)\n")
	for k := range 40 {
		fmt.Fprintf(&b, "    allow getppid, getpgrp if arg0 & %#x != 0 && arg1 & %#x != 0\n", 1<<k, 1<<k)
	}
	b.WriteString("    allow getppid if arg0 == 7\n") // never decides, but is not checked
	b.WriteString("    allow getpid if arg0 == 1\n    allow getpid if arg0 == 1\n}\n")
	l, _, _ := lintWork(t, []byte(b.String()))
	found := l.applyIgnores()
	found.Sort()
	na := ofCheck(found, NotAnalysed)
	if len(na) != 2 {
		t.Fatalf("want one not-analysed finding for each of getppid and getpgrp:\n%v", na)
	}
	for k, name := range []string{"getppid", "getpgrp"} {
		if d := na[k]; d.Pos.Line != 19 || !strings.HasPrefix(d.Message, "not analysed: budget exceeded: the analysis of "+name+" ") {
			t.Errorf("finding %d: %v", k, d)
		}
	}
	// getpid is analysed: its duplicate is found.
	if dup := ofCheck(found, DuplicateRule); len(dup) != 1 || dup[0].Pos.Line != 46 {
		t.Errorf("duplicate-rule findings:\n%v", dup)
	}
	if un := ofCheck(found, UnreachableRule); len(un) != 0 {
		t.Errorf("a rule past the budget is reported:\n%v", un)
	}
}

// With a small budget, a large policy ends at once with one finding per syscall.
func TestSmallBudgetStopsEachSyscall(t *testing.T) {
	withLimits(t, 20_000, 100_000)
	l, steps, _ := lintWork(t, lintgen.Policy(750, 1))
	na := ofCheck(l.found, NotAnalysed)
	var names []string
	for _, d := range na {
		names = append(names, d.Message)
	}
	if len(na) != 2 || !strings.Contains(names[0]+names[1], "getppid") || !strings.Contains(names[0]+names[1], "getpgrp") {
		t.Fatalf("not-analysed findings:\n%s", strings.Join(names, "\n"))
	}
	if steps > limits.runSteps {
		t.Errorf("%d steps past the run's %d", steps, limits.runSteps)
	}
}

// The run's budget is shared: once it is spent, every other syscall that needs work is
// reported, and syscalls whose rules need none are still analysed.
func TestRunBudgetIsShared(t *testing.T) {
	saved := limits
	t.Cleanup(func() { limits = saved })
	limits.runSteps = 50_000
	src := string(lintgen.Policy(300, 2))
	src = strings.TrimSuffix(src, "}\n") + "    allow read\n    allow read\n    allow write if arg0 == 1\n}\n"
	l, _, _ := lintWork(t, []byte(src))
	na := ofCheck(l.found, NotAnalysed)
	if len(na) != 2 {
		t.Errorf("want getppid and getpgrp not analysed, got:\n%v", na)
	}
	if dup := ofCheck(l.found, DuplicateRule); len(dup) != 1 {
		t.Errorf("read's duplicate is not found:\n%v", dup)
	}
}

// coverByDropping is the first definition of cover: of the earlier rules that meet rule i,
// drop each, from the last, when the others left still cover rule i.
func coverByDropping(s *sysInfo, i int) []int {
	var set []int
	for j := 0; j < i; j++ {
		if s.m.And(s.conds[j], s.conds[i]) != bdd.False {
			set = append(set, j)
		}
	}
	for k := len(set) - 1; k >= 0; k-- {
		rest := bdd.False
		for _, j := range set {
			if j != set[k] {
				rest = s.m.Or(rest, s.conds[j])
			}
		}
		if s.m.Diff(s.conds[i], rest) == bdd.False {
			set = append(set[:k], set[k+1:]...)
		}
	}
	return set
}

// laterByUnion is the first definition of what redundant-default looks at: where a rule after
// i decides other than the default, built from the last rule up.
func laterByUnion(s *sysInfo, i int) bdd.Node {
	r := bdd.False
	for j := len(s.rules) - 1; j > i; j-- {
		hit := bdd.False
		if s.rules[j].Action != s.ap.Default {
			hit = bdd.True
		}
		c := s.conds[j]
		r = s.m.Or(s.m.And(c, hit), s.m.Diff(r, c))
	}
	return r
}

// The fast searches give the answers of their first definitions, on generated policies.
func TestSearchesAgreeWithTheirDefinitions(t *testing.T) {
	for seed := range uint64(12) {
		l, _, _ := lintWork(t, lintgen.Policy(8+int(seed)*2, seed))
		for _, s := range l.syscalls {
			for i := range s.rules {
				if !s.decides[i] {
					if got, want := s.cover(i), coverByDropping(s, i); !slices.Equal(got, want) {
						t.Fatalf("seed %d, %s rule %d: cover %v, by dropping %v", seed, s.name, i, got, want)
					}
					continue
				}
				if s.firstOf(i) != s.m.Diff(s.conds[i], s.m.Or(s.prior[i], bdd.False)) {
					t.Fatalf("seed %d, %s rule %d: first", seed, s.name, i)
				}
				if got, want := s.shieldsNothing(i), s.m.And(s.firstOf(i), laterByUnion(s, i)) == bdd.False; got != want {
					t.Fatalf("seed %d, %s rule %d: shields nothing %v, by union %v", seed, s.name, i, got, want)
				}
			}
		}
	}
}

// checkAgainstEval checks the analysis of every syscall of l against the IR's own evaluation
// of the rules, in order: a rule that decides does so at its witness; a rule that does not is
// covered, on sample points, by the rules cover names, and decides at none of them.
func checkAgainstEval(t testing.TB, l *linter, r *rand.Rand, samples int) {
	for _, s := range l.syscalls {
		if !s.analysed() || s.m.Spent() {
			continue
		}
		firstMatch := func(args [6]uint64) int {
			for i, rule := range s.rules {
				if rule.Cond == nil || rule.Cond.Eval(args) {
					return i
				}
			}
			return -1
		}
		for i, rule := range s.rules {
			if s.decides[i] {
				var w [6]uint64
				var ok bool
				if s.m.Do(func() { w, ok = s.m.Witness(s.firstOf(i)) }) != nil {
					continue
				}
				if !ok || firstMatch(w) != i {
					t.Fatalf("%s rule %d (%v) decides, but not at its witness %#x", s.name, i, rule.Cond, w)
				}
				continue
			}
			var cover []int
			if s.m.Do(func() { cover = s.cover(i) }) != nil {
				continue
			}
			for range samples {
				args := sample(r)
				if rule.Cond != nil && !rule.Cond.Eval(args) {
					continue
				}
				if firstMatch(args) == i {
					t.Fatalf("%s rule %d (%v) is unreachable, but decides at %#x", s.name, i, rule.Cond, args)
				}
				if !slices.ContainsFunc(cover, func(j int) bool { return s.rules[j].Cond == nil || s.rules[j].Cond.Eval(args) }) {
					t.Fatalf("%s rule %d: the rules %v do not cover %#x", s.name, i, cover, args)
				}
			}
		}
	}
}

// sample draws argument registers near the constants the generated policies use.
func sample(r *rand.Rand) [6]uint64 {
	var args [6]uint64
	for k := range args {
		switch r.IntN(4) {
		case 0:
			args[k] = uint64(r.IntN(20))
		case 1:
			args[k] = 1<<32 | uint64(r.IntN(20))
		case 2:
			args[k] = ^uint64(0) - uint64(r.IntN(20))
		default:
			args[k] = r.Uint64()
		}
	}
	return args
}

func TestGeneratedAnalysisAgreesWithEval(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for seed := range uint64(6) {
		l, _, _ := lintWork(t, lintgen.Policy(40, seed))
		checkAgainstEval(t, l, r, 200)
	}
}

// FuzzLargeConditions lints generated policies of random size and shape with a small
// budget: it must end (the budget bounds it), report every syscall it could not analyse, and
// agree with the IR's evaluation wherever it did. Seeds that were slow are kept.
func FuzzLargeConditions(f *testing.F) {
	f.Add(uint64(1), uint16(160))
	f.Add(uint64(2), uint16(400))
	f.Add(uint64(7), uint16(20))
	f.Fuzz(func(t *testing.T, seed uint64, rules uint16) {
		withLimits(t, 100_000, 400_000)
		l, steps, nodes := lintWork(t, lintgen.Policy(int(rules%500), seed))
		if steps > limits.runSteps+1 || nodes > limits.runNodes+1 {
			t.Fatalf("%d steps, %d nodes: past the run's budget", steps, nodes)
		}
		reported := map[string]bool{}
		for _, d := range ofCheck(l.found, NotAnalysed) {
			reported[d.Message] = true
		}
		for _, s := range l.syscalls {
			if s.exceeded != (!s.analysed() || s.m.Spent()) {
				t.Fatalf("%s: budget spent %v, reported %v", s.name, s.m.Spent() || !s.analysed(), s.exceeded)
			}
		}
		checkAgainstEval(t, l, rand.New(rand.NewPCG(seed, 1)), 20)
	})
}
