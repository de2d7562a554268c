package bench

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/optimizer"
	"github.com/scc-dev/scc/program"
)

// BenchmarkCompile times scc's whole build in process (parse, compile, optimize, emit and
// verify) of every case with every variant.
func BenchmarkCompile(b *testing.B) {
	cases, variants := mustCases(b), mustVariants(b)
	for _, c := range cases {
		for _, v := range variants {
			b.Run(c.Name+"/"+v.Name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Compile(c, v.Options); err != nil {
						b.Skip(err) // see BENCHMARKS.md's notes
					}
				}
			})
		}
	}
}

// BenchmarkCompileProfile times scc's whole build in process of Docker's default profile from
// its JSON, with every variant: import, compile, optimize, emit and verify, as scc build
// PROFILE.json does (CompileProfile; BENCHMARKS.md's compile column for docker-default).
func BenchmarkCompileProfile(b *testing.B) {
	c, err := DockerCase()
	if err != nil {
		b.Fatal(err)
	}
	for _, v := range mustVariants(b) {
		b.Run(v.Name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := CompileProfile(c, v.Options); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkStages splits Docker's default build into its stages: importing the JSON profile
// (decode, evaluate, build the policy's syntax tree: what `scc build PROFILE.json` does
// before the rest, and BenchmarkCompile leaves out) and compiling that tree; parsing the
// policy alone, and parse and compile to the IR (`scc build docker.sc`); then optimize, for
// each variant.
func BenchmarkStages(b *testing.B) {
	c, err := DockerCase()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("import", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ImportDocker(c.Profile); err != nil {
				b.Fatal(err)
			}
		}
	})
	imp, err := ImportDocker(c.Profile)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("compile-imported", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, errs := compiler.LoadTree(imp.File).Compile(compiler.Options{}); errs.HasErrors() {
				b.Fatal(errs)
			}
		}
	})
	b.Run("parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, errs := lang.Parse(c.File, c.Source); errs.HasErrors() {
				b.Fatal(errs)
			}
		}
	})
	b.Run("compile", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, errs := compiler.CompileSource(c.File, c.Source, compiler.Options{}); errs.HasErrors() {
				b.Fatal(errs)
			}
		}
	})
	p := mustPolicy(b, c)
	for _, v := range mustVariants(b) {
		b.Run("optimize/"+v.Name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := optimizer.Optimize(p, v.Options.Optimize); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func mustCases(tb testing.TB) []Case {
	cases, err := Cases("..")
	if err != nil {
		tb.Fatal(err)
	}
	return cases
}

func mustVariants(tb testing.TB) []Variant {
	v, err := Variants()
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func mustPolicy(tb testing.TB, c Case) *ir.Policy {
	p, err := Policy(c)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// TestProfileKeepsVerdicts checks, on every case, that the profile-weighted and balanced
// trees decide as the default tree and as the policy: every number of each arch's table and
// numbers around it, with random arguments, through optimizer.Program.Eval and, where the
// build succeeds, the emitted program in the emulator.
func TestProfileKeepsVerdicts(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for _, c := range mustCases(t) {
		p := mustPolicy(t, c)
		var progs []*optimizer.Program
		var vms []*program.VM
		for _, v := range mustVariants(t) {
			prog, err := optimizer.Optimize(p, v.Options.Optimize)
			if err != nil {
				t.Fatalf("%s, %s: %v", c.Name, v.Name, err)
			}
			progs = append(progs, prog)
			if out, err := Compile(c, v.Options); err == nil {
				vm, err := program.NewVM(out.Filter.Program, out.Filter.BigEndian)
				if err != nil {
					t.Fatalf("%s, %s: %v", c.Name, v.Name, err)
				}
				vms = append(vms, vm)
			}
		}
		for _, d := range calls(r, p) {
			want := p.Decide(d)
			for i, prog := range progs {
				if got, _ := prog.Eval(d); got != want {
					t.Fatalf("%s, variant %d: %+v: Eval %v, policy %v", c.Name, i, d, got, want)
				}
			}
			for _, vm := range vms {
				if ret, _ := vm.Run(d); ret != want.Ret() {
					t.Fatalf("%s: %+v: emulator %#x, policy %v", c.Name, d, ret, want)
				}
			}
		}
	}
}

// calls returns, for each arch of p, every number of its table and its neighbours, with
// random arguments (half of them small), plus numbers of other arches' ranges.
func calls(r *rand.Rand, p *ir.Policy) []program.SeccompData {
	var out []program.SeccompData
	arg := func() uint64 {
		if r.IntN(2) == 0 {
			return uint64(r.IntN(64))
		}
		return r.Uint64()
	}
	for _, ap := range p.Arches {
		for nr := range ap.Names {
			for _, n := range []uint32{nr - 1, nr, nr + 1, nr ^ ir.X32SyscallBit} {
				for range 3 {
					d := program.SeccompData{Nr: int32(n), Arch: ap.Arch.Audit}
					for i := range d.Args {
						d.Args[i] = arg()
					}
					out = append(out, d)
				}
			}
		}
	}
	return out
}

// TestReport checks the table on the cases, without timing: every case has scc rows, the
// profile lowers Docker's hot-mix steps, and a compiler that cannot build a case says why.
func TestReport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every case with libseccomp")
	}
	r, err := Run("..", false)
	if err != nil {
		t.Fatal(err)
	}
	md := r.Markdown()
	for _, c := range mustCases(t) {
		if !strings.Contains(md, "| "+c.Name+" | scc --profile hot-mix") {
			t.Errorf("no profile row for %s:\n%s", c.Name, md)
		}
	}
	for _, row := range r.Rows {
		if row.NA == "" && row.Instructions == 0 {
			t.Errorf("%s, %s: no instructions", row.Case, row.Compiler)
		}
		if strings.HasPrefix(row.Compiler, "scc") && row.NA == "" && row.Disagree != 0 {
			t.Errorf("%s, %s: %d verdicts differ from the policy", row.Case, row.Compiler, row.Disagree)
		}
	}
}

func TestLargeCase(t *testing.T) {
	c := LargeCase()
	p := mustPolicy(t, c)
	rules, conds := 0, 0
	for _, ap := range p.Arches {
		for _, rs := range ap.Rules {
			rules++
			if len(rs) > 0 && rs[0].Cond != nil {
				conds++
			}
		}
	}
	if rules < 400 || conds < 100 {
		t.Errorf("large policy: %d syscalls with rules, %d with conditions", rules, conds)
	}
}

func TestHotMixNumbers(t *testing.T) {
	w, err := HotMixNumbers()
	if err != nil {
		t.Fatal(err)
	}
	if len(w) != len(HotMix) || w[202] != HotMix["futex"] || w[0] != HotMix["read"] {
		t.Errorf("hot mix on x86_64: %v", w)
	}
}

// TestProfileGoals holds the profile build's goals that do not depend on the machine, on Docker's
// default profile: with the hot mix as the profile, hot-mix steps at most 7, and
// instructions, mean and max steps no worse than the balanced build; and on every case,
// the profile build's mean and max steps no worse than the balanced build's and its hot-mix
// steps no more (the promise of profile builds, measured on the x86_64 table).
func TestProfileGoals(t *testing.T) {
	for _, c := range mustCases(t) {
		rows, err := MeasureScc(c, mustPolicy(t, c), mustVariants(t))
		if err != nil {
			t.Fatal(err)
		}
		by := make(map[string]Row)
		for _, r := range rows {
			by[r.Compiler] = r
		}
		prof, bal := by["scc --profile hot-mix"], by["scc --balanced"]
		if prof.MeanSteps > bal.MeanSteps+1e-9 || prof.MaxSteps > bal.MaxSteps || prof.HotMean > bal.HotMean+1e-9 {
			t.Errorf("%s: profile build mean/max/hot-mix steps %.2f/%d/%.2f, balanced %.2f/%d/%.2f",
				c.Name, prof.MeanSteps, prof.MaxSteps, prof.HotMean, bal.MeanSteps, bal.MaxSteps, bal.HotMean)
		}
		if c.Name != "docker-default" {
			continue
		}
		if prof.HotMean > 7 {
			t.Errorf("docker-default: hot-mix steps %.2f with the profile, want at most 7", prof.HotMean)
		}
		if prof.Instructions > bal.Instructions {
			t.Errorf("docker-default: %d instructions with the profile, %d balanced", prof.Instructions, bal.Instructions)
		}
	}
}

// TestCompileProfile checks that scc builds Docker's profile from its JSON into the program
// it builds from the imported policy, with every variant.
func TestCompileProfile(t *testing.T) {
	c, err := DockerCase()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range mustVariants(t) {
		fromJSON, err := CompileProfile(c, v.Options)
		if err != nil {
			t.Fatal(err)
		}
		fromSource, err := Compile(c, v.Options)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(fromJSON.Filter.Program, fromSource.Filter.Program) {
			t.Errorf("%s: the program from the JSON differs from the program of the imported policy", v.Name)
		}
	}
}
