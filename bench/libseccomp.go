//go:build linux && cgo

package bench

import (
	"errors"
	"fmt"
	"math/rand/v2"

	seccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/optimizer"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/tests/differential"
	"github.com/scc-dev/scc/tests/libseccomp"
)

// libseccompProgram builds c with libseccomp at an optimization level (1 linear, 2 binary
// tree): a Docker profile as runc builds it (libseccomp.BuildProfile, for amd64 with Docker's
// default capabilities on DockerKernel), else scc's compiled policy p when it is within the
// subset libseccomp expresses with scc's semantics.
func libseccompProgram(c Case, p *ir.Policy, level int) ([]bpf.RawInstruction, error) {
	if c.Profile != nil {
		return libseccomp.BuildProfile(c.Profile, "amd64", nil, DockerKernel, level)
	}
	prog, err := libseccomp.Build(p, libseccomp.Options{Optimize: level})
	if errors.Is(err, libseccomp.ErrNotExpressible) {
		return nil, &NotAvailable{Reason: err.Error()}
	}
	return prog, err
}

// LibseccompVersion is the version of the libseccomp library linked in.
func LibseccompVersion() string {
	major, minor, micro := seccomp.GetLibraryVersion()
	return fmt.Sprintf("%d.%d.%d", major, minor, micro)
}

// SmallPolicies builds n generated small policies (tests/libseccomp.SmallPolicy: one to five
// syscalls per arch) on each of x86_64, i386 and x32 together, x86_64 alone and i386 alone,
// the seeds of tests/libseccomp's TestNeverLargerThanLibseccompTree, with scc and with
// libseccomp's two layouts, and counts where scc's program is the longer. Each of scc's
// programs is checked against its policy on 200 calls.
func SmallPolicies(n int) (SmallResult, error) {
	var sets [][]ir.Arch
	for _, names := range [][]string{{"x86_64", "i386", "x32"}, {"x86_64"}, {"i386"}} {
		var as []ir.Arch
		for _, name := range names {
			a, ok := libseccomp.Arch(name)
			if !ok {
				return SmallResult{}, fmt.Errorf("libseccomp: no arch %s", name)
			}
			as = append(as, a)
		}
		sets = append(sets, as)
	}
	var res SmallResult
	for seed := range uint64(n) {
		for i, as := range sets {
			r := rand.New(rand.NewPCG(seed, uint64(i)))
			p := libseccomp.SmallPolicy(r, 1+r.IntN(5), as...)
			tree, err := libseccomp.Build(p, libseccomp.Options{Optimize: libseccomp.OptimizeBinaryTree})
			if err != nil {
				continue // outside what libseccomp expresses
			}
			linear, err := libseccomp.Build(p, libseccomp.Options{Optimize: libseccomp.OptimizeLinear})
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
			if len(f.Program) > len(tree) {
				if decidesAs(p, tree, calls) == nil {
					res.Longer++
				} else {
					res.LongerThanWrong++
				}
			}
		}
	}
	return res, nil
}

// decidesAs checks that prog decides each of calls as p does.
func decidesAs(p *ir.Policy, prog []bpf.RawInstruction, calls []program.SeccompData) error {
	vm, err := program.NewVM(prog, false)
	if err != nil {
		return err
	}
	for _, d := range calls {
		if got, want := first(vm.Run(d)), p.Decide(d).Ret(); got != want {
			return fmt.Errorf("nr %#x arch %#x args %#x: %#x, the policy %#x", uint32(d.Nr), d.Arch, d.Args, got, want)
		}
	}
	return nil
}

// first is the first of two values.
func first[A, B any](a A, _ B) A { return a }
