package differential_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/stdlib"
)

// buildText compiles a policy's source and returns the output.
func buildText(t *testing.T, src string) *pipeline.Output {
	t.Helper()
	out, errs := pipeline.BuildSource("goal.sc", []byte(src), pipeline.Options{})
	if errs.HasErrors() {
		t.Fatalf("build: %v", errs)
	}
	return out
}

// worstSteps runs the filter on calls, checks each verdict against the policy's reference
// semantics, and returns the most steps one took.
func worstSteps(t *testing.T, out *pipeline.Output, calls []program.SeccompData) int {
	t.Helper()
	vm, err := program.NewVM(out.Filter.Program, out.Filter.BigEndian)
	if err != nil {
		t.Fatal(err)
	}
	most := 0
	for _, d := range calls {
		ret, steps := vm.Run(d)
		if want := out.Policy.Decide(d).Ret(); ret != want {
			t.Fatalf("%s: got %#x, policy says %#x", describeCall(d), ret, want)
		}
		most = max(most, steps)
	}
	return most
}

// readCalls are x86_64 read calls with fd set to each value, its neighbours and a few edges.
func readCalls(values []uint64) []program.SeccompData {
	var calls []program.SeccompData
	add := func(v uint64) {
		calls = append(calls, program.SeccompData{Nr: 0, Arch: ir.AuditArchX86_64, Args: [6]uint64{v}})
	}
	for _, v := range values {
		add(v)
		add(v + 1)
		add(v - 1)
	}
	for _, v := range []uint64{0, 1, 1 << 31, 1<<32 - 1, 1 << 32, ^uint64(0)} {
		add(v)
	}
	return calls
}

// distinctValues draws n distinct values below limit.
func distinctValues(r *rand.Rand, n int, limit uint64) []uint64 {
	seen := map[uint64]bool{}
	var out []uint64
	for len(out) < n {
		v := r.Uint64N(limit)
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func joinValues(vs []uint64) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = fmt.Sprint(v)
	}
	return strings.Join(s, ", ")
}

// TestArgSetIsSearched: a 300-value set is decided by a search over the value, in at most
// 20 steps for any value, where testing the values one by one took 307.
func TestArgSetIsSearched(t *testing.T) {
	vals := distinctValues(newRand(1, 300), 300, 100000)
	out := buildText(t, fmt.Sprintf("policy p {\n arch x86_64\n default errno(EPERM)\n allow read if fd in {%s}\n}\n", joinValues(vals)))
	if steps := worstSteps(t, out, readCalls(vals)); steps > 20 {
		t.Errorf("300-value set: %d steps, want at most 20", steps)
	}
	if n := len(out.Filter.Program); n > 400 {
		t.Errorf("300-value set: %d instructions, want at most 400", n)
	}
}

// TestArgEqualitiesMakeOneRange: 5,000 rules fd == i for i = 0..4999 make the program of
// fd < 5000.
func TestArgEqualitiesMakeOneRange(t *testing.T) {
	var b strings.Builder
	b.WriteString("policy p {\n arch x86_64\n default errno(EPERM)\n")
	for i := range 5000 {
		fmt.Fprintf(&b, " allow read if fd == %d\n", i)
	}
	b.WriteString("}\n")
	rules := buildText(t, b.String())
	rng := buildText(t, "policy p {\n arch x86_64\n default errno(EPERM)\n allow read if fd < 5000\n}\n")
	if !slices.Equal(rules.Filter.Program, rng.Filter.Program) {
		t.Errorf("5,000 equalities: %d instructions, fd < 5000: %d; want the same program",
			len(rules.Filter.Program), len(rng.Filter.Program))
	}
	if steps := worstSteps(t, rules, readCalls([]uint64{0, 4999, 5000, 2500})); steps > 8 {
		t.Errorf("5,000 equalities: %d steps, want at most 8", steps)
	}
}

// TestArgRandomValues: 1,000 rules on random 32-bit values of one argument take at most
// 2,100 instructions and 24 steps.
func TestArgRandomValues(t *testing.T) {
	vals := distinctValues(newRand(2, 1000), 1000, 1<<32-1)
	var b strings.Builder
	b.WriteString("policy p {\n arch x86_64\n default errno(EPERM)\n")
	for i, v := range vals {
		act := "allow"
		if i%7 == 3 {
			act = "errno(EACCES)" // rules of other actions in between
		}
		fmt.Fprintf(&b, " %s read if fd == %d\n", act, v)
	}
	b.WriteString("}\n")
	out := buildText(t, b.String())
	if n := len(out.Filter.Program); n > 2100 {
		t.Errorf("1,000 random values: %d instructions, want at most 2,100", n)
	}
	if steps := worstSteps(t, out, readCalls(vals)); steps > 24 {
		t.Errorf("1,000 random values: %d steps, want at most 24", steps)
	}
}

// TestArgSearch64 checks a search over both halves of a 64-bit argument: values that share
// a high word and values that do not, as ranges and single values.
func TestArgSearch64(t *testing.T) {
	r := newRand(3, 64)
	var vals []uint64
	for range 200 {
		h := r.Uint64N(8) << 32
		if r.IntN(4) == 0 {
			h = r.Uint64() &^ (1<<32 - 1)
		}
		vals = append(vals, h|r.Uint64N(1<<32))
	}
	var b strings.Builder
	b.WriteString("policy p {\n arch x86_64\n default errno(EPERM)\n")
	for i, v := range vals {
		switch i % 5 {
		case 0:
			fmt.Fprintf(&b, " allow lseek if offset < %d && offset >= %d\n", v, v-v%1000)
		case 1:
			fmt.Fprintf(&b, " errno(EINVAL) lseek if offset == %d\n", v)
		default:
			fmt.Fprintf(&b, " allow lseek if offset == %d\n", v)
		}
	}
	b.WriteString("}\n")
	out := buildText(t, b.String())
	var calls []program.SeccompData
	for _, v := range vals {
		for _, x := range []uint64{v, v + 1, v - 1, v - v%1000, v ^ 1<<32, v &^ (1<<32 - 1)} {
			calls = append(calls, program.SeccompData{Nr: 8, Arch: ir.AuditArchX86_64, Args: [6]uint64{0, x}})
		}
	}
	if steps := worstSteps(t, out, calls); steps > 40 {
		t.Errorf("200 64-bit rules: %d steps, want at most 40", steps)
	}
}

// generatedPolicy writes a policy of n rules on x86_64, i386 and x32: plain allows, and on
// the syscalls that all three have with two arguments, rules with ==, <, masks, sets and
// two arguments, of several actions, in random order.
func generatedPolicy(r *rand.Rand, n int) string {
	var two, plain []string
	for _, name := range stdlib.SyscallNames("x86_64") {
		ok := true
		for _, a := range []string{"i386", "x32"} {
			sig, found := stdlib.LookupSignature(a, name)
			ok = ok && found && len(sig.Params) >= 2
		}
		if sig, found := stdlib.LookupSignature("x86_64", name); ok && found && len(sig.Params) >= 2 {
			two = append(two, name)
		} else if found && slices.Contains(stdlib.SyscallNames("i386"), name) {
			plain = append(plain, name)
		}
	}
	r.Shuffle(len(two), func(i, j int) { two[i], two[j] = two[j], two[i] })
	var b strings.Builder
	b.WriteString("policy gen {\n arch x86_64, i386, x32\n default errno(EPERM)\n")
	nPlain := min(len(plain), n/5)
	for _, name := range plain[:nPlain] {
		fmt.Fprintf(&b, " allow %s\n", name)
	}
	conditional := two[:40]
	actions := []string{"allow", "allow", "allow", "errno(EACCES)", "log"}
	for i := nPlain; i < n; i++ {
		name := conditional[r.IntN(len(conditional))]
		act := actions[r.IntN(len(actions))]
		a, o := r.IntN(2), 0
		o = 1 - a
		v := r.IntN(30000)
		var cond string
		switch r.IntN(6) {
		case 0, 1:
			cond = fmt.Sprintf("arg%d == %d", a, v)
		case 2:
			cond = fmt.Sprintf("arg%d < %d", a, v)
		case 3:
			cond = fmt.Sprintf("arg%d & %#x == %#x", a, 0xff00, v&0xff00)
		case 4:
			cond = fmt.Sprintf("arg%d == %d && arg%d < %d", a, v, o, r.IntN(30000))
		default:
			cond = fmt.Sprintf("arg%d in {%d, %d, %d}", a, v, v+3, r.IntN(30000))
		}
		fmt.Fprintf(&b, " %s %s if %s\n", act, name, cond)
	}
	b.WriteString("}\n")
	return b.String()
}

// TestGeneratedThousandRules: a generated policy of 1,000 rules on three arches fits the
// kernel's 4,096 instructions, and decides as the policy does.
func TestGeneratedThousandRules(t *testing.T) {
	r := newRand(4, 1000)
	out := buildText(t, generatedPolicy(r, 1000))
	if n := len(out.Filter.Program); n > program.MaxInsns {
		t.Fatalf("1,000 rules: %d instructions, over the kernel's %d", n, program.MaxInsns)
	}
	var calls []program.SeccompData
	for _, ap := range out.Policy.Arches {
		for nr := range ap.Rules {
			for range 20 {
				d := program.SeccompData{Nr: int32(nr), Arch: ap.Arch.Audit}
				for i := range 2 {
					d.Args[i] = r.Uint64N(30010)
					if r.IntN(8) == 0 {
						d.Args[i] |= r.Uint64() << 32
					}
				}
				calls = append(calls, d)
			}
		}
	}
	worstSteps(t, out, calls)
	t.Logf("1,000 rules on x86_64, i386 and x32: %d instructions", len(out.Filter.Program))
}
