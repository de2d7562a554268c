package cli

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/meaning"
	"github.com/scc-dev/scc/optimizer"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/stdlib"
	"github.com/scc-dev/scc/tests/differential"
)

// TestDecompileExamples decompiles the build of every example for several arch sets; the
// decompiled policy must build into a program that decides alike on every input (decompile
// checks it itself; the test checks again through a fresh build).
func TestDecompileExamples(t *testing.T) {
	for _, f := range []string{"cli-tool.sc", "container.sc", "web-server.sc"} {
		for _, arches := range [][]string{nil, {"x86_64", "i386", "x32"}, {"aarch64"}} {
			name := fmt.Sprint(f, arches)
			out, errs := pipeline.BuildFile("../../../examples/"+f, pipeline.Options{Compile: compilerOpts(arches)})
			if errs.HasErrors() {
				continue // the example does not build for these arches
			}
			roundTrip(t, name, out.Filter, arches)
		}
	}
}

// TestDecompileRandomPolicies decompiles the builds of random policies on one arch: the
// result always compiles and decides alike, or decompile says what the language cannot say.
func TestDecompileRandomPolicies(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	ok := 0
	for i := range 60 {
		for _, set := range [][]string{{"x86_64"}, {"aarch64"}, {"i386"}} {
			var arches []ir.Arch
			for _, n := range set {
				a, _ := stdlib.LookupArch(n)
				arches = append(arches, ir.Arch{Name: a.Name, Audit: a.Audit, BigEndian: a.BigEndian, NrMask: a.NrMask})
			}
			p := differential.Policy(r, differential.Config{Arches: arches, Syscalls: 1 + r.IntN(10)})
			s, m, built := programMeaning(t, p, i%2 == 0)
			if !built {
				continue
			}
			src, err := decompile(s, m, "random", true, new(bool))
			if err != nil {
				// A condition on the high bits of a 16-bit argument, which no policy
				// reads, is all the language cannot say of these programs: numbers of no
				// known syscall are named nr=N.
				if !strings.Contains(err.Error(), "above its") {
					t.Fatalf("decompile: %v", err)
				}
				continue
			}
			if err := checkDecompiled(s, m, src); err != nil {
				t.Fatal(err)
			}
			ok++
		}
	}
	t.Logf("%d random programs decompiled", ok)
	if ok < 150 {
		t.Errorf("only %d random programs decompiled", ok)
	}
}

// TestDecompileRandomMultiArch decompiles the builds of random policies for several arches,
// each arch with rules of its own (one default for all, which a policy has): the syscalls
// decided differently per arch are written with arch conditions, numbers of no known syscall
// as nr=N, and the policy decides as the program (decompile proves it).
func TestDecompileRandomMultiArch(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	ok := 0
	sets := [][]string{{"x86_64", "i386", "x32"}, {"aarch64", "arm"}, {"x86_64", "aarch64", "riscv64"}}
	for i := range 40 {
		set := sets[i%len(sets)]
		var arches []ir.Arch
		for _, n := range set {
			a, _ := differential.IRArch(n)
			arches = append(arches, a)
		}
		p := differential.Policy(r, differential.Config{Arches: arches, Syscalls: 1 + r.IntN(8)})
		for _, ap := range p.Arches[1:] {
			ap.Default, ap.Newer = p.Arches[0].Default, p.Arches[0].Newer
		}
		s, m, built := programMeaning(t, p, i%2 == 0)
		if !built {
			continue
		}
		src, err := decompileChecked(s, m, "random")
		if err != nil {
			if !strings.Contains(err.Error(), "above its") {
				t.Fatalf("%v: %v", set, err)
			}
			continue
		}
		if !strings.Contains(string(src), " if arch ") {
			t.Logf("%v: no arch condition:\n%s", set, src)
		}
		ok++
	}
	t.Logf("%d random multi-arch programs decompiled", ok)
	if ok < 30 {
		t.Errorf("only %d random multi-arch programs decompiled", ok)
	}
}

// roundTrip decompiles f, builds the policy afresh and compares the two programs.
func roundTrip(t *testing.T, name string, f *backend.Filter, arches []string) {
	t.Helper()
	s := meaning.NewSpace()
	m, err := s.Program(f.Program, f.BigEndian)
	if err != nil {
		t.Fatal(err)
	}
	roundTripMeaning(t, name, s, m)
	for _, a := range arches { // each arch on its own decompiles too
		one, err := onlyArches(s, m, []string{a})
		if err != nil {
			t.Fatal(err)
		}
		roundTripMeaning(t, name+"/"+a, s, one)
	}
}

func roundTripMeaning(t *testing.T, name string, s *meaning.Space, m meaning.Node) {
	t.Helper()
	src, err := decompileChecked(s, m, "decompiled")
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	out, errs := pipeline.BuildSource("decompiled.sc", src, pipeline.Options{})
	if errs.HasErrors() {
		t.Fatalf("%s: %v\n%s", name, errs, src)
	}
	m2, err := s.Program(out.Filter.Program, out.Filter.BigEndian)
	if err != nil {
		t.Fatal(err)
	}
	if m != m2 {
		diffs, _ := s.Diff(m, m2)
		t.Fatalf("%s: the decompiled policy's build differs: %+v\n%s", name, diffs[0], src)
	}
}

func compilerOpts(arches []string) compiler.Options { return compiler.Options{Arches: arches} }

// TestDecompileRefuses: what the language cannot say is refused with the reason.
func TestDecompileRefuses(t *testing.T) {
	const ldW, retK, jeq, jgt = 0x20, 0x06, 0x15, 0x25
	x86 := uint32(0xc000003e)
	cases := map[string][]bpf.RawInstruction{
		// Another arch's calls are allowed: default foreign must fail closed.
		"a policy's default foreign must fail closed": {
			{Op: ldW, K: 4}, {Op: jeq, Jt: 0, Jf: 1, K: x86}, {Op: retK, K: program.RetKillThread}, {Op: retK, K: program.RetAllow},
		},
		// The arches the program does not name get two decisions.
		"unlike the other arches the program does not name": {
			{Op: ldW, K: 4}, {Op: jeq, Jt: 0, Jf: 1, K: x86}, {Op: retK, K: program.RetAllow},
			{Op: jgt, Jt: 0, Jf: 1, K: 0xd0000000}, {Op: retK, K: program.RetKillProcess}, {Op: retK, K: program.RetKillThread},
		},
	}
	for want, prog := range cases {
		s := meaning.NewSpace()
		m, err := s.Program(prog, false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decompile(s, m, "p", true, new(bool)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
	}
}

// TestDecompileForeignAndWide: libseccomp's bad-arch action is written default foreign, a
// comparison of an int argument's high half u64(ARG); the policies prove equal.
func TestDecompileForeignAndWide(t *testing.T) {
	const ldW, retK, jeq, jge = 0x20, 0x06, 0x15, 0x35
	x86 := uint32(0xc000003e)
	cases := map[string][]bpf.RawInstruction{
		// Another arch's calls get kill_thread (libseccomp's default bad-arch action).
		"default foreign kill_thread": {
			{Op: ldW, K: 4}, {Op: jeq, Jt: 0, Jf: 1, K: x86}, {Op: retK, K: program.RetAllow}, {Op: retK, K: program.RetKillThread},
		},
		// personality's int argument compared in its high half too, as libseccomp does.
		"allow personality if u64(persona) <= 0xffffffff": {
			{Op: ldW, K: 4}, {Op: jeq, Jt: 0, Jf: 8, K: x86}, {Op: ldW, K: 0}, {Op: jeq, Jt: 5, Jf: 0, K: 0xffffffff},
			{Op: jge, Jt: 5, Jf: 0, K: 0x40000000}, {Op: jeq, Jt: 0, Jf: 3, K: 135}, {Op: ldW, K: 20},
			{Op: jeq, Jt: 0, Jf: 1, K: 0}, {Op: retK, K: program.RetAllow},
			{Op: retK, K: program.RetErrno | 1}, {Op: retK, K: program.RetKillProcess},
		},
	}
	for want, prog := range cases {
		s := meaning.NewSpace()
		m, err := s.Program(prog, false)
		if err != nil {
			t.Fatal(err)
		}
		src, err := decompile(s, m, "p", true, new(bool))
		if err != nil {
			t.Fatalf("%s: %v", want, err)
		}
		if !strings.Contains(string(src), want) {
			t.Errorf("the policy lacks %q:\n%s", want, src)
		}
		if err := checkDecompiled(s, m, src); err != nil {
			t.Errorf("%s: %v", want, err)
		}
	}
}

// TestDecompileEveryArch decompiles one policy built for every arch and the x86_64/x32
// combinations (x32 alone owns -1; with x86_64, x86_64 does).
func TestDecompileEveryArch(t *testing.T) {
	src := []byte(`policy p {
    default errno(EPERM)
    default newer errno(ENOSYS)
    allow read, write, exit_group
    allow openat if flags & O_CREAT == 0
    kill ptrace
}
`)
	sets := [][]string{{"x32"}, {"x86_64", "x32"}, {"x86_64", "i386", "x32"}, {"aarch64", "arm"}}
	for _, a := range stdlib.Arches() {
		sets = append(sets, []string{a.Name})
	}
	for _, set := range sets {
		out, errs := pipeline.BuildSource("p.sc", src, pipeline.Options{Compile: compiler.Options{Arches: set}})
		if errs.HasErrors() {
			t.Fatalf("%v: %v", set, errs)
		}
		roundTrip(t, fmt.Sprint(set), out.Filter, set)
	}
}

// programMeaning builds p (balanced or not) and returns the meaning of its program; ok is
// false when p does not build (too large, say).
func programMeaning(t *testing.T, p *ir.Policy, balanced bool) (*meaning.Space, meaning.Node, bool) {
	t.Helper()
	prog, err := optimizer.Optimize(p, optimizer.Options{Balanced: balanced})
	if err != nil {
		return nil, 0, false
	}
	f, err := backend.Build(prog)
	if err != nil {
		return nil, 0, false
	}
	s := meaning.NewSpace()
	m, err := s.Program(f.Program, f.BigEndian)
	if err != nil {
		t.Fatal(err)
	}
	return s, m, true
}
