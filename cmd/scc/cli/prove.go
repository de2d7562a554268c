package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/irmeaning"
	"github.com/scc-dev/scc/pipeline"
)

// registerProve adds build's --prove.
func registerProve(cmd *cobra.Command, prove *bool) {
	cmd.Flags().BoolVar(prove, "prove", false,
		"prove that the program decides exactly as the policy says, for every input (translation validation)")
}

// proveBuild checks that the built program decides as the policy's IR on every input. A
// program that does not is a compiler bug: its differences are printed, with witnesses, and
// the build fails with status 1, writing nothing.
func proveBuild(cmd *cobra.Command, out *pipeline.Output, logOnly bool) error {
	pol := out.Policy
	if logOnly {
		pol = pol.LogOnly()
	}
	diffs, err := irmeaning.Prove(pol, out.Filter.Program, out.Filter.BigEndian)
	if err != nil {
		return fmt.Errorf("--prove: %w", err)
	}
	w := cmd.ErrOrStderr()
	if len(diffs) == 0 {
		fmt.Fprintf(w, "proved: the program of policy %s decides as the policy on every input\n", pol.Name)
		return nil
	}
	fmt.Fprintf(w, "scc: --prove: the program of policy %s does not decide as the policy (a compiler bug; please report it):\n", pol.Name)
	writeDiffText(w, diffs)
	return exitError{exitFindings}
}
