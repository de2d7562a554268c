//go:build linux && cgo

package libseccomp

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/optimizer"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/tests/differential"
)

// SmallPolicy is RandomPolicy on arches with at most perArch syscalls each (the lowest
// numbers drawn): the small policies on which a search tree can cost more than a chain.
func SmallPolicy(r *rand.Rand, perArch int, arches ...ir.Arch) *ir.Policy {
	p := RandomPolicy(r, arches...)
	for _, ap := range p.Arches {
		nrs := slices.Sorted(maps.Keys(ap.Rules))
		for _, nr := range nrs[min(perArch, len(nrs)):] {
			delete(ap.Rules, nr)
		}
	}
	return p
}

// SmallComparison is what CompareSmallPolicies found: the policies libseccomp built, their
// instructions in all (scc's, libseccomp's binary tree's and its linear layout's), and the
// policies on which scc's program is longer than the tree's.
type SmallComparison struct {
	Policies          int
	SCC, Tree, Linear int
	// Longer describes each policy on which scc's program is longer than the tree's while
	// the tree decides as the policy does: the goal is none.
	Longer []string
	// LongerThanWrong counts the policies on which scc's is longer than a tree that decides
	// wrongly, which can save it instructions (see TestLibseccompMiscompilation).
	LongerThanWrong int
	// LongerThanLinear counts the policies on which scc's is longer than the linear layout.
	LongerThanLinear int
}

// CompareSmallPolicies builds n seeds' SmallPolicy (one to five syscalls per arch) on each
// of x86_64, i386 and x32 together, x86_64 alone and i386 alone, with scc and with
// libseccomp's two layouts, leaving out the policies libseccomp cannot express. Each of
// scc's programs must decide as its policy on 200 calls (differential.Calls); one that does
// not is an error.
func CompareSmallPolicies(n int) (SmallComparison, error) {
	var res SmallComparison
	var sets [][]ir.Arch
	for _, names := range [][]string{{"x86_64", "i386", "x32"}, {"x86_64"}, {"i386"}} {
		var as []ir.Arch
		for _, name := range names {
			a, ok := Arch(name)
			if !ok {
				return res, fmt.Errorf("no arch %s", name)
			}
			as = append(as, a)
		}
		sets = append(sets, as)
	}
	for seed := range uint64(n) {
		for i, as := range sets {
			r := rand.New(rand.NewPCG(seed, uint64(i)))
			p := SmallPolicy(r, 1+r.IntN(5), as...)
			tree, err := Build(p, Options{Optimize: OptimizeBinaryTree})
			if err != nil {
				continue // outside what libseccomp expresses
			}
			linear, err := Build(p, Options{Optimize: OptimizeLinear})
			if err != nil {
				return res, err
			}
			op, err := optimizer.Optimize(p, optimizer.Options{})
			if err != nil {
				return res, err
			}
			f, err := backend.Build(op)
			if err != nil {
				return res, err
			}
			calls := differential.Calls(r, p, 200)
			if err := decidesAs(p, f.Program, calls); err != nil {
				return res, fmt.Errorf("seed %d, arches %s: scc's program: %w", seed, as[0].Name, err)
			}
			res.Policies++
			res.SCC += len(f.Program)
			res.Tree += len(tree)
			res.Linear += len(linear)
			if len(f.Program) > len(linear) {
				res.LongerThanLinear++
			}
			switch {
			case len(f.Program) <= len(tree):
			case decidesAs(p, tree, calls) != nil:
				res.LongerThanWrong++
			default:
				res.Longer = append(res.Longer, fmt.Sprintf("seed %d, arches %s: scc %d instructions, libseccomp's tree %d",
					seed, as[0].Name, len(f.Program), len(tree)))
			}
		}
	}
	return res, nil
}

// decidesAs checks that prog decides each of calls as p does.
func decidesAs(p *ir.Policy, prog []bpf.RawInstruction, calls []program.SeccompData) error {
	for _, d := range calls {
		got, err := Run(prog, d)
		if err != nil {
			return err
		}
		if want := p.Decide(d).Ret(); got != want {
			return fmt.Errorf("nr %#x arch %#x args %#x: %v, the policy %v",
				uint32(d.Nr), d.Arch, d.Args, ir.ActionFromRet(got), ir.ActionFromRet(want))
		}
	}
	return nil
}
