//go:build !linux

package cli

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/pipeline"
)

// kernelChecker is a stub: the kernel harness (package kerneltest) runs on Linux only.
type kernelChecker struct{ vm map[int]kernelResult }

func newKernelChecker(*pipeline.Output) *kernelChecker { return &kernelChecker{} }

func (*kernelChecker) check(int, compiler.Expect) kernelResult {
	return kernelResult{status: kernelOtherArch, msg: "the kernel harness runs on Linux only"}
}

func runVMs(*cobra.Command, []*pipeline.Output, bool) ([]map[int]kernelResult, error) {
	return nil, errors.New("--vm runs on Linux only")
}
