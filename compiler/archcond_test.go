package compiler

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/scc-dev/scc/ir"
)

// TestArchConditionSemantics compiles random conditions that mix arch comparisons with
// argument comparisons and checks, on every arch of the policy and for every value of the
// arguments that matters, that the rule is there and matches exactly when the condition
// holds: a rule never applies where its condition is false, nor vanishes where it is true.
func TestArchConditionSemantics(t *testing.T) {
	arches := []string{"x86_64", "i386", "x32"}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 1000; i++ {
		c := randomArchCond(rng, 3)
		src := fmt.Sprintf("policy p {\n    arch %s\n    default errno(EPERM)\n    allow read if %s\n}\n", strings.Join(arches, ", "), c.text)
		res, errs := CompileSource("test.sc", []byte(src), Options{})
		if errs.HasErrors() {
			t.Fatalf("%s:\n%v", src, errs)
		}
		for _, ap := range res.Policy.Arches {
			rules := ap.Rules[uint32(nr(t, ap.Arch.Name, "read"))]
			for fd := uint64(0); fd < 3; fd++ {
				want := c.eval(ap.Arch.Name, fd)
				got := len(rules) == 1 && (rules[0].Cond == nil || rules[0].Cond.Eval([6]uint64{fd}))
				if got != want {
					t.Fatalf("%s on %s with fd %d: the rule matches: %v, want %v (rules %v)", c.text, ap.Arch.Name, fd, got, want, rules)
				}
			}
		}
	}
}

// archCond is a condition as text and as a function of the arch and fd.
type archCond struct {
	text string
	eval func(arch string, fd uint64) bool
}

func randomArchCond(rng *rand.Rand, depth int) archCond {
	names := map[string]string{"x86_64": "x86_64", "amd64": "x86_64", "i386": "i386", "x32": "x32", "aarch64": "aarch64"}
	keys := []string{"x86_64", "amd64", "i386", "x32", "aarch64"}
	pick := func() (string, string) { k := keys[rng.Intn(len(keys))]; return k, names[k] }
	switch n := rng.Intn(7); {
	case depth == 0 || n < 2:
		k, a := pick()
		if rng.Intn(2) == 0 {
			return archCond{"arch == " + k, func(arch string, _ uint64) bool { return arch == a }}
		}
		return archCond{k + " != arch", func(arch string, _ uint64) bool { return arch != a }}
	case n == 2:
		k1, a1 := pick()
		k2, a2 := pick()
		return archCond{"arch in {" + k1 + ", " + k2 + "}", func(arch string, _ uint64) bool { return arch == a1 || arch == a2 }}
	case n == 3:
		v := uint64(rng.Intn(3))
		return archCond{fmt.Sprintf("fd == %d", v), func(_ string, fd uint64) bool { return fd == v }}
	case n == 4:
		x := randomArchCond(rng, depth-1)
		return archCond{"!(" + x.text + ")", func(arch string, fd uint64) bool { return !x.eval(arch, fd) }}
	case n == 5:
		x, y := randomArchCond(rng, depth-1), randomArchCond(rng, depth-1)
		return archCond{"(" + x.text + " && " + y.text + ")", func(arch string, fd uint64) bool { return x.eval(arch, fd) && y.eval(arch, fd) }}
	default:
		x, y := randomArchCond(rng, depth-1), randomArchCond(rng, depth-1)
		return archCond{"(" + x.text + " || " + y.text + ")", func(arch string, fd uint64) bool { return x.eval(arch, fd) || y.eval(arch, fd) }}
	}
}

// TestArchConditionFolds: an arch condition costs nothing: where it holds whatever the
// arguments the rule is unconditional, where it cannot hold the rule is absent, and the
// rest of the condition is lowered only where the rule can apply.
func TestArchConditionFolds(t *testing.T) {
	res := compileOK(t, `policy p {
    arch x86_64, i386
    allow read if arch == x86_64
    allow mmap if arch == x86_64 && prot & PROT_EXEC == 0
    allow ioctl if arch == i386 && request == 0x5401 || arch != i386
}
`)
	if len(res.Warnings) > 0 {
		t.Errorf("warnings: %v", res.Warnings)
	}
	for _, ap := range res.Policy.Arches {
		rules := func(name string) []ir.Rule { return ap.Rules[uint32(nr(t, ap.Arch.Name, name))] }
		switch ap.Arch.Name {
		case "x86_64":
			if r := rules("read"); len(r) != 1 || r[0].Cond != nil {
				t.Errorf("read on x86_64: %v, want one unconditional rule", r)
			}
			if r := rules("mmap"); len(r) != 1 || r[0].Cond == nil {
				t.Errorf("mmap on x86_64: %v, want one conditional rule", r)
			}
			if r := rules("ioctl"); len(r) != 1 || r[0].Cond != nil {
				t.Errorf("ioctl on x86_64: %v, want one unconditional rule", r)
			}
		case "i386":
			if r := rules("read"); len(r) != 0 {
				t.Errorf("read on i386: %v, want none", r)
			}
			if r := rules("mmap"); len(r) != 0 {
				t.Errorf("mmap on i386: %v, want none (and no warning for its missing prot)", r)
			}
			if r := rules("ioctl"); len(r) != 1 || r[0].Cond == nil || !r[0].Cond.Eval([6]uint64{0, 0x5401}) || r[0].Cond.Eval([6]uint64{0, 1}) {
				t.Errorf("ioctl on i386: %v, want request == 0x5401", r)
			}
		}
	}
	never := compileOK(t, "policy p {\n    arch x86_64\n    allow read if arch == i386\n    allow write if arch == x86_64\n}\n")
	if len(never.ArchNever) != 1 || never.ArchNever[0].Line != 3 {
		t.Errorf("ArchNever: %v, want line 3", never.ArchNever)
	}
}

func TestArchConditionErrors(t *testing.T) {
	for _, c := range []struct{ name, cond, want, hint string }{
		{"unknown arch", "arch == x86_65", "test.sc:2:27: unknown arch x86_65", "did you mean x86_64?"},
		{"unknown in set", "arch in {i386, arm65}", "test.sc:2:34: unknown arch arm65", "did you mean arm64?"},
		{"ordering", "arch < i386", "test.sc:2:24: arch is compared with == or != (or in), not <", "arch == x86_64"},
		{"number", "arch == 3", "test.sc:2:27: arch is compared with arch names, not values", ""},
		{"itself", "arch == arch", "arch is compared with arch names, not with itself", ""},
		{"bare", "arch", "test.sc:2:19: arch, the call's architecture, can only be compared with arch names", ""},
		{"negated bare", "!arch", "test.sc:2:20: arch, the call's architecture, can only be compared", ""},
		{"as a value", "fd == arch && arch == i386", "unknown arch fd", ""},
		{"masked", "arch & 1 == 0", "test.sc:2:19: arch, the call's architecture, can only be compared", ""},
		{"arch name as a value", "fd == x86_64", "test.sc:2:25: x86_64 is an arch, not a value", "arch == x86_64"},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := "policy p {\n    allow read if " + c.cond + "\n}\n"
			_, errs := CompileSource("test.sc", []byte(src), Options{})
			for _, d := range errs {
				if strings.Contains(d.Error(), c.want) && strings.Contains(d.Hint, c.hint) {
					return
				}
			}
			t.Errorf("errors:\n%v\nwant one containing %q with hint %q", errs, c.want, c.hint)
		})
	}
	for _, src := range []string{
		"const A = arch\npolicy p {\n    errno(A) read\n}\n",
		"policy p {\n    default errno(arch)\n}\n",
		"policy p {\n    expect read(arch) => allow\n}\n",
	} {
		_, errs := CompileSource("test.sc", []byte(src), Options{})
		if !strings.Contains(errs.Error(), "arch, the call's architecture, can only be compared with arch names") {
			t.Errorf("%q: errors %v", src, errs)
		}
	}
}
