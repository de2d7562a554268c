//go:build linux

package cli

import (
	"fmt"

	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/kerneltest"
	"github.com/scc-dev/scc/loader"
	"github.com/scc-dev/scc/pipeline"
)

// kernelChecker checks one build's expectations in the running kernel.
type kernelChecker struct {
	f   *loader.Filter
	res *compiler.Result     // names actions as the policy writes them
	err error                // the filter could not be loaded
	vm  map[int]kernelResult // by index in Expects: what the VMs showed (--vm)
}

func newKernelChecker(out *pipeline.Output) *kernelChecker {
	f, err := loader.NewFilter(out.Filter.Blob(), loader.Options{})
	return &kernelChecker{f: f, res: out.Result, err: err}
}

// check runs one expectation in the kernel (see package kerneltest): the filter's action on
// the call is observed without making the call, unless the program can return trace and the
// call must be made to tell trace from allow; then it is made only when kerneltest.SafeToMake
// says so.
func (k *kernelChecker) check(i int, e compiler.Expect) kernelResult {
	if r, ok := k.vm[i]; ok {
		return r
	}
	abi, ok := kerneltest.ABIFor(e.Data.Arch)
	if !ok {
		return kernelResult{status: kernelOtherArch, msg: "not this machine's arch"}
	}
	if err := kerneltest.Supports(abi); err != nil {
		return kernelResult{status: kernelOtherArch, msg: err.Error()}
	}
	if k.err != nil {
		return kernelResult{status: kernelFailed, msg: k.err.Error()}
	}
	call := kerneltest.Call{ABI: abi, Nr: uint64(uint32(e.Data.Nr)), Args: e.Data.Args}
	safe, why := kerneltest.SafeToMake(e.Arch.Name, e.Data)
	v, err := kerneltest.Check(k.f, call, safe)
	return k.judge(e, v, err, why)
}

// judge compares what the kernel showed with the expectation.
func (k *kernelChecker) judge(e compiler.Expect, v kerneltest.Verdict, err error, why string) kernelResult {
	switch {
	case err != nil:
		return kernelResult{status: kernelFailed, msg: err.Error()}
	case !v.Matches(e.Want):
		return kernelResult{status: kernelFailed, msg: "got " + k.verdictText(v, e.Arch.Name)}
	case v.Unresolved:
		return kernelResult{status: kernelUnsafe,
			msg: fmt.Sprintf("%s, not made: %s", v, why)}
	}
	return kernelResult{status: kernelChecked, msg: k.verdictText(v, e.Arch.Name)}
}

// verdictText writes what the kernel showed, an action with data as the policy writes it.
func (k *kernelChecker) verdictText(v kerneltest.Verdict, arch string) string {
	if len(v.Kinds) != 1 || v.Kinds[0] == ir.Trace {
		return v.String()
	}
	return k.res.ActionText(arch, ir.Action{Kind: v.Kinds[0], Data: v.Data})
}
