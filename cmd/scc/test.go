package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/emulator"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/pipeline"
)

func newTestCmd() *cobra.Command {
	var bf buildFlags
	var verbose bool
	cmd := &cobra.Command{
		Use:   "test [-v] FILE…",
		Short: "Check a policy's expect lines in the emulator",
		Long: "test builds each policy and runs every `expect CALL => ACTION` line, on each of the\n" +
			"policy's arches where the syscall exists, through the emitted filter in scc's emulator.\n" +
			"Each failure is reported at its line; a summary follows. Exit status: 0 when all pass,\n" +
			"1 when any fails, 2 when a file does not compile.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var sum testSummary
			bad := false
			for _, path := range args {
				out, err := bf.build(cmd, path)
				if err != nil {
					bad = true
					continue
				}
				sum.add(runExpects(cmd.OutOrStdout(), out, verbose))
				if len(out.Expects) == 0 {
					fmt.Fprintf(cmd.ErrOrStderr(), "%s: no expect lines\n", path)
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d passed, %d failed\n", sum.passed, sum.failed)
			switch {
			case bad:
				return exitError{exitBadInput}
			case sum.failed > 0:
				return exitError{exitFindings}
			}
			return nil
		},
	}
	bf.register(cmd)
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "print the expectations that pass too")
	return cmd
}

// testSummary counts expectations, one per (expect line, arch).
type testSummary struct{ passed, failed int }

func (s *testSummary) add(o testSummary) {
	s.passed += o.passed
	s.failed += o.failed
}

// runExpects checks each expectation of a build in the emulator and reports failures at
// their line.
func runExpects(w io.Writer, out *pipeline.Output, verbose bool) testSummary {
	var sum testSummary
	for _, e := range out.Expects {
		got, err := checkExpect(out, e)
		head := fmt.Sprintf("%s: expect %s => %s on %s", e.Pos, e.Text, e.Want, e.Arch.Name)
		switch {
		case err != "":
			sum.failed++
			fmt.Fprintf(w, "%s: %s\n", head, err)
		case got != e.Want:
			sum.failed++
			fmt.Fprintf(w, "%s: got %s\n", head, got)
		default:
			sum.passed++
			if verbose {
				fmt.Fprintf(w, "%s: ok\n", head)
			}
		}
	}
	return sum
}

// checkExpect runs one expectation; a non-empty problem means the filter itself misbehaved.
func checkExpect(out *pipeline.Output, e compiler.Expect) (got ir.Action, problem string) {
	ret, _, err := emulator.Run(out.Filter.Program, e.Data, out.Filter.BigEndian)
	if err != nil {
		return got, "the filter faults: " + err.Error()
	}
	got = ir.ActionFromRet(ret)
	if ref := out.Policy.Decide(e.Data); ref.Ret() != ret {
		return got, fmt.Sprintf("the filter returns %s but the policy's rules say %s: a compiler bug, please report it", got, ref)
	}
	return got, ""
}
