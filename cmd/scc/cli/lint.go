package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lint"
)

func newLintCmd() *cobra.Command {
	var format, severity, policy string
	var arches []string
	cmd := &cobra.Command{
		Use:   "lint [--format text|json|sarif] [--severity info|warning|error] FILE…",
		Short: "Find rules that never decide, dangerous allows, bypasses and other mistakes",
		Long: "lint compiles each policy file and runs the checks of docs/lint.md on it. Findings\n" +
			"print as file:line:col: severity: message [check]; every finding is printed, and the\n" +
			"exit status is 1 when any is at or above --severity (default warning), 0 otherwise,\n" +
			"and 2 when a file does not compile. Silence one finding in the policy with a comment\n" +
			"on its line or the line before: # scc:ignore CHECK reason",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sev, err := lint.ParseSeverity(severity)
			if err != nil {
				return err
			}
			write, err := lintWriter(format)
			if err != nil {
				return err
			}
			opts := compiler.Options{Policy: policy, Arches: arches}
			findings, sources, bad := lintFiles(cmd.ErrOrStderr(), args, opts)
			if err := write(cmd.OutOrStdout(), findings, sources); err != nil {
				return err
			}
			switch {
			case bad:
				return exitError{exitBadInput}
			case lint.CountAtLeast(findings, sev) > 0:
				return exitError{exitFindings}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json, sarif")
	cmd.Flags().StringVar(&severity, "severity", "warning", "exit 1 on findings at or above: info, warning, error")
	cmd.Flags().StringVar(&policy, "policy", "", "the policy to lint; without it, every policy of the file that no other uses")
	cmd.Flags().StringSliceVar(&arches, "arch", nil, "lint for these arches instead of the policy's own")
	return cmd
}

// lintFiles lints each file; compile errors go to stderr and make bad true.
func lintFiles(stderr io.Writer, paths []string, opts compiler.Options) (diag.List, diag.SourceMap, bool) {
	var all diag.List
	sources := diag.SourceMap{}
	bad := false
	seen := map[diag.Diagnostic]bool{} // a finding in a policy that several others use, once
	for _, path := range paths {
		policies := []string{opts.Policy}
		if opts.Policy == "" {
			policies = filePolicies(path, false)
		}
		for _, name := range policies {
			o := opts
			o.Policy = name
			rep := lint.File(path, o)
			for name, src := range rep.Sources {
				sources[name] = src
			}
			if len(rep.Errors) > 0 {
				diag.Print(stderr, rep.Errors, rep.Sources)
				bad = true
				break
			}
			for _, f := range rep.Findings {
				if !seen[*f] {
					seen[*f] = true
					all = append(all, f)
				}
			}
		}
	}
	return all, sources, bad
}

type findingWriter func(w io.Writer, l diag.List, src diag.Sources) error

func lintWriter(format string) (findingWriter, error) {
	switch format {
	case "text":
		return func(w io.Writer, l diag.List, src diag.Sources) error {
			lint.WriteText(w, l, src)
			return nil
		}, nil
	case "json":
		return func(w io.Writer, l diag.List, _ diag.Sources) error { return lint.WriteJSON(w, l) }, nil
	case "sarif":
		return func(w io.Writer, l diag.List, _ diag.Sources) error { return lint.WriteSARIF(w, l) }, nil
	}
	return nil, fmt.Errorf("unknown format %q: want text, json or sarif", format)
}
