package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lint"
)

func newLintCmd() *cobra.Command {
	var format, severity string
	var bf buildFlags
	cmd := &cobra.Command{
		Use:   "lint [--format text|json|sarif] [--severity info|warning|error] FILE…",
		Short: "Find rules that never decide, dangerous allows, bypasses and other mistakes",
		Long: "lint compiles each policy file (or Docker/OCI profile; - reads stdin) and runs the\n" +
			"checks of docs/lint.md on it. Findings print as file:line:col: severity: message\n" +
			"[check]; every finding is printed, and the exit status is 1 when any is at or above\n" +
			"--severity (default warning), 0 otherwise, and 2 when a file does not compile.\n" +
			"Silence one finding in the policy with a comment on its line or the line before:\n" +
			"# scc:ignore CHECK reason",
		Args: wantArgs(1, -1, "one or more FILEs"),
		RunE: func(cmd *cobra.Command, args []string) error {
			sev, err := lint.ParseSeverity(severity)
			if err != nil {
				return err
			}
			write, err := lintWriter(format)
			if err != nil {
				return err
			}
			findings, sources, bad := lintFiles(cmd, &bf, args)
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
	bf.registerArch(cmd)
	bf.registerPolicy(cmd)
	cmd.Flags().Lookup("policy").Usage = "the policy to lint; without it, every policy of the file that no other uses"
	return cmd
}

// lintFiles lints each file (a policy, or a Docker/OCI profile); errors go to stderr and make
// bad true.
func lintFiles(cmd *cobra.Command, bf *buildFlags, paths []string) (diag.List, diag.SourceMap, bool) {
	stderr := cmd.ErrOrStderr()
	var all diag.List
	sources := diag.SourceMap{}
	bad := false
	opts, err := bf.options(cmd)
	if err != nil {
		printError(stderr, err)
		return nil, nil, true
	}
	for _, path := range paths {
		src, err := bf.input.load(cmd, path, opts)
		if err != nil {
			printError(stderr, err)
			bad = true
			continue
		}
		policies := []string{bf.policy}
		if bf.policy == "" {
			policies = src.Policies(false)
		}
		for _, name := range policies {
			res, errs := src.Compile(name)
			for name, text := range res.Sources {
				sources[name] = text
			}
			if errs.HasErrors() {
				diag.Print(stderr, errs, res.Sources)
				bad = true
				break
			}
			all = append(all, lint.Result(res)...)
		}
	}
	return all.Dedupe(), sources, bad // a finding in a policy that several others use, once
}

type findingWriter func(w io.Writer, l diag.List, src diag.Sources) error

// lintFormats are lint's --format values, as lintWriter takes them.
var lintFormats = []string{"text", "json", "sarif"}

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
