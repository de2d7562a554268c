package bench

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/stdlib"
)

// ArgCase is one of the argument-search goals: a policy, the calls that probe it, and the
// goal's bounds. tests/differential holds scc to them and BENCHMARKS.md shows them; both
// draw the same policies, from fixed seeds.
type ArgCase struct {
	Name   string // what the policy holds
	Source string // the policy
	// Calls returns the calls to run on the built program: each is checked against the
	// policy's own verdict, and the most steps one takes is the case's worst.
	Calls           func(out *pipeline.Output) []program.SeccompData
	MaxInstructions int    // the goal's bound on the program's length; 0 for none
	MaxSteps        int    // the goal's bound on the steps of any call; 0 for none
	SameAs          string // a policy whose program this one's must equal; "" for none
	SameAsName      string // what SameAs holds
}

// ArgResult is an ArgCase built and measured.
type ArgResult struct {
	Case         ArgCase
	Instructions int
	WorstSteps   int
	// SameAsInstructions is the length of SameAs's program, and Same whether the two
	// programs are equal.
	SameAsInstructions int
	Same               bool
}

// Met tells whether the result meets every bound of its case.
func (r ArgResult) Met() bool {
	return (r.Case.MaxInstructions == 0 || r.Instructions <= r.Case.MaxInstructions) &&
		(r.Case.MaxSteps == 0 || r.WorstSteps <= r.Case.MaxSteps) &&
		(r.Case.SameAs == "" || r.Same)
}

// Goal words the case's bounds.
func (c ArgCase) Goal() string {
	var parts []string
	if c.MaxInstructions > 0 {
		parts = append(parts, fmt.Sprintf("at most %s instructions", Group(c.MaxInstructions)))
	}
	if c.MaxSteps > 0 {
		parts = append(parts, fmt.Sprintf("at most %d steps", c.MaxSteps))
	}
	if c.SameAs != "" {
		parts = append(parts, "the program of "+c.SameAsName)
	}
	return strings.Join(parts, ", ")
}

// ArgCases returns the argument-search goals' cases:
//   - a set of 300 values decided in at most 20 steps (testing them one by one took 307);
//   - 5,000 rules fd == i, i = 0..4999, compile to the program of fd < 5000;
//   - 1,000 rules on random 32-bit values, of two actions, in at most 2,100 instructions
//     and 24 steps;
//   - a generated policy of 1,000 rules on x86_64, i386 and x32 (GeneratedPolicy) within
//     the kernel's 4,096 instructions.
func ArgCases() []ArgCase {
	set := DistinctValues(rand.New(rand.NewPCG(1, 300)), 300, 100000)
	random := DistinctValues(rand.New(rand.NewPCG(2, 1000)), 1000, 1<<32-1)
	var eq strings.Builder
	eq.WriteString("policy p {\n arch x86_64\n default errno(EPERM)\n")
	for i := range 5000 {
		fmt.Fprintf(&eq, " allow read if fd == %d\n", i)
	}
	eq.WriteString("}\n")
	var rnd strings.Builder
	rnd.WriteString("policy p {\n arch x86_64\n default errno(EPERM)\n")
	for i, v := range random {
		act := "allow"
		if i%7 == 3 {
			act = "errno(EACCES)" // rules of another action in between
		}
		fmt.Fprintf(&rnd, " %s read if fd == %d\n", act, v)
	}
	rnd.WriteString("}\n")
	return []ArgCase{
		{
			Name:     "`allow read if fd in {…}`, 300 random values below 100,000",
			Source:   fmt.Sprintf("policy p {\n arch x86_64\n default errno(EPERM)\n allow read if fd in {%s}\n}\n", joinValues(set)),
			Calls:    func(*pipeline.Output) []program.SeccompData { return ReadCalls(set) },
			MaxSteps: 20, MaxInstructions: 400,
		},
		{
			Name:   "5,000 rules `allow read if fd == i`, i = 0..4999",
			Source: eq.String(),
			Calls: func(*pipeline.Output) []program.SeccompData {
				return ReadCalls([]uint64{0, 2500, 4999, 5000})
			},
			MaxSteps:   8,
			SameAs:     "policy p {\n arch x86_64\n default errno(EPERM)\n allow read if fd < 5000\n}\n",
			SameAsName: "`allow read if fd < 5000`",
		},
		{
			Name:            "1,000 rules `read if fd == v` on random 32-bit values, every 7th errno(EACCES)",
			Source:          rnd.String(),
			Calls:           func(*pipeline.Output) []program.SeccompData { return ReadCalls(random) },
			MaxInstructions: 2100, MaxSteps: 24,
		},
		{
			Name:            "a generated policy of 1,000 rules on x86_64, i386 and x32 (==, <, masks, sets, two arguments; allow, errno, log)",
			Source:          GeneratedPolicy(rand.New(rand.NewPCG(4, 1000)), 1000),
			Calls:           generatedCalls,
			MaxInstructions: program.MaxInsns,
		},
	}
}

// MeasureArg builds c, runs its calls and checks each verdict against the policy's, and
// builds SameAs to compare.
func MeasureArg(c ArgCase) (ArgResult, error) {
	out, errs := pipeline.BuildSource("goal.sc", []byte(c.Source), pipeline.Options{})
	if errs.HasErrors() {
		return ArgResult{}, fmt.Errorf("%s: %v", c.Name, errs)
	}
	res := ArgResult{Case: c, Instructions: len(out.Filter.Program)}
	vm, err := program.NewVM(out.Filter.Program, out.Filter.BigEndian)
	if err != nil {
		return res, fmt.Errorf("%s: %w", c.Name, err)
	}
	for _, d := range c.Calls(out) {
		ret, steps := vm.Run(d)
		if want := out.Policy.Decide(d).Ret(); ret != want {
			return res, fmt.Errorf("%s: nr %#x arch %#x args %#x: the program returns %#x, the policy %#x",
				c.Name, uint32(d.Nr), d.Arch, d.Args, ret, want)
		}
		res.WorstSteps = max(res.WorstSteps, steps)
	}
	if c.SameAs != "" {
		same, errs := pipeline.BuildSource("same.sc", []byte(c.SameAs), pipeline.Options{})
		if errs.HasErrors() {
			return res, fmt.Errorf("%s: %v", c.SameAsName, errs)
		}
		res.SameAsInstructions = len(same.Filter.Program)
		res.Same = slices.Equal(out.Filter.Program, same.Filter.Program)
	}
	return res, nil
}

// ReadCalls are x86_64 read calls with fd set to each value and its neighbours, and a few
// edges: 0, 1, 2^31, 2^32-1, 2^32 and 2^64-1.
func ReadCalls(values []uint64) []program.SeccompData {
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

// DistinctValues draws n distinct values below limit.
func DistinctValues(r *rand.Rand, n int, limit uint64) []uint64 {
	seen := map[uint64]bool{}
	var out []uint64
	for len(out) < n {
		if v := r.Uint64N(limit); !seen[v] {
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

// GeneratedPolicy writes a policy of n rules on x86_64, i386 and x32: plain allows, and on
// the syscalls that all three have with two arguments, rules with ==, <, masks, sets and
// two arguments, of several actions, in random order.
func GeneratedPolicy(r *rand.Rand, n int) string {
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
		a := r.IntN(2)
		o := 1 - a
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

// generatedCalls draws 20 calls of every syscall with rules on each arch of out's policy,
// with arguments near the policy's constants and some garbage in the high halves.
func generatedCalls(out *pipeline.Output) []program.SeccompData {
	r := rand.New(rand.NewPCG(4, 1001))
	var calls []program.SeccompData
	for _, ap := range out.Policy.Arches {
		for _, nr := range slices.Sorted(maps.Keys(ap.Rules)) {
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
	return calls
}

// SmallResult counts SmallPolicies (see tests/libseccomp.SmallComparison): the policies
// libseccomp built, their instructions in all, and the policies on which scc's program is
// longer than libseccomp's tree where the tree decides as the policy does (Longer, the goal is
// none) and where it decides wrongly (LongerThanWrong), and longer than its linear layout
// (LongerThanLinear, no goal).
type SmallResult struct {
	Policies                int
	SCC, Tree, Linear       int
	Longer, LongerThanWrong int
	LongerThanLinear        int
}
