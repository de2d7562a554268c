package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/program"
)

func newTestCmd() *cobra.Command {
	var bf buildFlags
	var verbose, kernel, inVM, vmAlways bool
	cmd := &cobra.Command{
		Use:   "test [-v] [--kernel] FILE…",
		Short: "Check a policy's expect lines in the emulator (and the kernel)",
		Long: "test builds each policy and runs every `expect CALL => ACTION` line, on each of the\n" +
			"policy's arches where the syscall exists, through the emitted filter in scc's emulator.\n" +
			"Each failure is reported at its line; a summary follows. Exit status: 0 when all pass,\n" +
			"1 when any fails, 2 when a file does not compile.\n\n" +
			"--kernel also checks each expectation of this machine's arches (x86_64, x32 and i386\n" +
			"on amd64) in the running kernel: the filter is installed in a child process of scc and\n" +
			"the call issued there. A probe filter installed under it stops the call before the\n" +
			"kernel runs it, whatever the action; only a policy that can return trace needs an\n" +
			"allowed call made for real, and then only calls on a list of harmless ones are made\n" +
			"(the rest are counted as skipped; -v lists them). See docs/lint.md.\n\n" +
			"--vm (with --kernel) checks the expectations of every other arch in that arch's own\n" +
			"Linux kernel, booted under qemu once per arch (see scc vm fetch and\n" +
			"docs/other-arches.md).",
		Args: wantArgs(1, -1, "one or more FILEs"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var sum testSummary
			bad, built := false, 0
			var pending []*pipeline.Output // with --vm: checked once every VM has run
			check := func(out *pipeline.Output, vmr map[int]kernelResult) {
				var kc *kernelChecker
				if kernel {
					kc = newKernelChecker(out)
					kc.vm = vmr
				}
				sum.add(runExpects(cmd.OutOrStdout(), out, verbose, kc))
			}
			if inVM && !kernel {
				return fmt.Errorf("--vm checks in other arches' kernels: it goes with --kernel")
			}
			chosen := bf.policy
			opts, err := bf.options(cmd)
			if err != nil {
				return err
			}
			for _, path := range args {
				src, err := bf.input.load(cmd, path, opts)
				if err != nil {
					printError(cmd.ErrOrStderr(), err)
					bad = true
					continue
				}
				policies := []string{chosen}
				if chosen == "" {
					policies = src.Policies(true)
				}
				expects := 0
				for _, name := range policies {
					out, err := buildPolicy(cmd, src, name)
					if err != nil {
						bad = true
						continue
					}
					built++
					if inVM {
						pending = append(pending, out)
					} else {
						check(out, nil)
					}
					expects += len(out.Expects)
				}
				if expects == 0 && !bad {
					fmt.Fprintf(cmd.ErrOrStderr(), "%s: no expect lines\n", src.Input.Name)
				}
			}
			if bad && built == 0 {
				return exitError{exitBadInput} // only the diagnostics: no summary of nothing
			}
			if inVM {
				vmr, err := runVMs(cmd, pending, vmAlways)
				if err != nil {
					return err
				}
				for i, out := range pending {
					check(out, vmr[i])
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d passed, %d failed\n", sum.passed, sum.failed)
			if kernel {
				fmt.Fprintf(cmd.OutOrStdout(), "kernel: %d checked, %d skipped as unsafe to make, %d skipped on other arches\n",
					sum.kernel[kernelChecked]+sum.kernel[kernelFailed], sum.kernel[kernelUnsafe], sum.kernel[kernelOtherArch])
			}
			switch {
			case bad:
				return exitError{exitBadInput}
			case sum.failed > 0:
				return exitError{exitFindings}
			}
			return nil
		},
	}
	// The build flags, but for the Docker-profile kernel version, whose --kernel is test's
	// own here: a profile is evaluated for the running kernel.
	all := &cobra.Command{}
	bf.register(all)
	all.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Name != "kernel" {
			cmd.Flags().AddFlag(f)
		}
	})
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "print the expectations that pass too, and those the kernel skipped")
	cmd.Flags().BoolVar(&kernel, "kernel", false, "check the expectations in the running kernel too")
	cmd.Flags().BoolVar(&inVM, "vm", false, "with --kernel: check other arches' expectations in their own kernels, under qemu")
	cmd.Flags().BoolVar(&vmAlways, "vm-always", false, "with --vm: boot a VM for i386 and x32 too, though the running kernel runs them")
	return cmd
}

// testSummary counts expectations, one per (expect line, arch): passed and failed in all, and
// by their fate in the kernel with --kernel.
type testSummary struct {
	passed, failed int
	kernel         [kernelStatuses]int
}

func (s *testSummary) add(o testSummary) {
	s.passed += o.passed
	s.failed += o.failed
	for i, n := range o.kernel {
		s.kernel[i] += n
	}
}

// kernelStatus is what became of an expectation in the kernel.
type kernelStatus int

const (
	kernelChecked   kernelStatus = iota // the kernel agrees
	kernelFailed                        // the kernel disagrees, or the harness failed
	kernelUnsafe                        // only allow, log or trace known: the call is not safe to make
	kernelOtherArch                     // the machine cannot make calls of the expectation's arch
	kernelStatuses
)

// kernelResult is an expectation's fate in the kernel, with what the kernel showed or why it
// was skipped.
type kernelResult struct {
	status kernelStatus
	msg    string
}

// runExpects checks each expectation of a build in the emulator, and in the kernel when kc is
// not nil, and reports failures at their line.
func runExpects(w io.Writer, out *pipeline.Output, verbose bool, kc *kernelChecker) testSummary {
	var sum testSummary
	for i, e := range out.Expects {
		got, err := checkExpect(out, e)
		head := fmt.Sprintf("%s: expect %s => %s on %s", e.Pos, e.Text, e.WantText, e.Arch.Name)
		ok := true
		switch {
		case err != "":
			ok = false
			fmt.Fprintf(w, "%s: %s\n", head, err)
		case got != e.Want:
			ok = false
			fmt.Fprintf(w, "%s: got %s\n", head, out.ActionText(e.Arch.Name, got))
		}
		note := ""
		if kc != nil {
			kr := kc.check(i, e)
			sum.kernel[kr.status]++
			switch kr.status {
			case kernelFailed:
				ok = false
				fmt.Fprintf(w, "%s: in the kernel: %s\n", head, kr.msg)
			case kernelChecked:
				note = "; kernel: " + kr.msg
			default:
				note = "; kernel: skipped: " + kr.msg
			}
		}
		if !ok {
			sum.failed++
			continue
		}
		sum.passed++
		if verbose {
			fmt.Fprintf(w, "%s: ok%s\n", head, note)
		}
	}
	return sum
}

// checkExpect runs one expectation; a non-empty problem means the filter itself misbehaved.
func checkExpect(out *pipeline.Output, e compiler.Expect) (got ir.Action, problem string) {
	vm, err := program.NewVM(out.Filter.Program, out.Filter.BigEndian)
	if err != nil {
		return got, "the filter does not verify: " + err.Error()
	}
	ret, _ := vm.Run(e.Data)
	got = ir.ActionFromRet(ret)
	if ref := out.Policy.Decide(e.Data); ref.Ret() != ret {
		return got, fmt.Sprintf("the filter returns %s but the policy's rules say %s: a compiler bug, please report it", got, ref)
	}
	return got, ""
}
