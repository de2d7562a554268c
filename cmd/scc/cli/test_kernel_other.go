//go:build !linux

package cli

import (
	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/pipeline"
)

// kernelChecker is a stub: the kernel harness (package kerneltest) runs on Linux only.
type kernelChecker struct{}

func newKernelChecker(*pipeline.Output) *kernelChecker { return &kernelChecker{} }

func (*kernelChecker) check(compiler.Expect) kernelResult {
	return kernelResult{status: kernelOtherArch, msg: "the kernel harness runs on Linux only"}
}
