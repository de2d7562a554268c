package differential_test

import (
	"fmt"
	"testing"

	"github.com/scc-dev/scc/optimizer"
	"github.com/scc-dev/scc/tests/differential"
)

// decideSets are the arch combinations of the tests against Decide: one audit value with
// two ABIs (x86_64 and x32), several audit values, 32-bit arches and a big-endian one.
var decideSets = [][]string{
	{"x86_64"}, {"x86_64", "x32"}, {"x86_64", "i386", "x32"}, {"i386"}, {"x32"},
	{"aarch64", "arm"}, {"s390x"}, {"mips64"},
}

// TestOutsideLibseccompSubset compares scc's programs with Decide on random policies that
// libseccomp could not express with scc's semantics: first match over different actions,
// 32-bit comparisons (libseccomp compares all 64 bits of an argument, so garbage in the high
// half would change its verdict; scc's must not), masked order comparisons, Or, Not,
// per-arch defaults and `default newer`. Both tree shapes are built.
func TestOutsideLibseccompSubset(t *testing.T) {
	policies, calls := 250, 250
	if testing.Short() {
		policies = 30
	}
	for si, set := range decideSets {
		t.Run(fmt.Sprint(set), func(t *testing.T) {
			r := newRand(uint64(si), 0x5cc)
			cfg := differential.Config{Arches: arches(t, set...), Syscalls: 20}
			var budget sizeBudget
			for i := range policies {
				p := differential.Policy(r, cfg)
				opts := optimizer.Options{Balanced: i%2 == 1}
				if f, ok := budget.compile(t, p, opts); ok {
					agreeWithDecide(t, p, f, differential.Calls(r, p, calls))
				}
			}
			budget.check(t)
		})
	}
}
