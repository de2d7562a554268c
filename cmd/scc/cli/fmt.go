package cli

import (
	"bytes"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lang"
)

func newFmtCmd() *cobra.Command {
	var write, list bool
	cmd := &cobra.Command{
		Use:   "fmt [-w] [-l] FILE…",
		Short: "Format policy files in scc's canonical layout",
		Long: "fmt prints each file in the canonical layout. With -w it rewrites the files in\n" +
			"place (atomically); with -l it lists the files whose layout differs.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var failed bool
			for _, path := range args {
				if err := formatFile(cmd, path, write, list); err != nil {
					if _, ok := err.(exitError); !ok {
						fmt.Fprintf(cmd.ErrOrStderr(), "scc fmt: %v\n", err)
					}
					failed = true
				}
			}
			if failed {
				return exitError{exitBadInput}
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&write, "write", "w", false, "rewrite the files in place")
	cmd.Flags().BoolVarP(&list, "list", "l", false, "list files whose formatting differs")
	return cmd
}

func formatFile(cmd *cobra.Command, path string, write, list bool) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	f, errs := lang.Parse(path, src)
	if errs.HasErrors() {
		return reportDiags(cmd.ErrOrStderr(), errs, diag.SourceMap{path: src})
	}
	out := lang.Format(f)
	switch {
	case list:
		if !bytes.Equal(src, out) {
			fmt.Fprintln(cmd.OutOrStdout(), path)
		}
	case write:
		if bytes.Equal(src, out) {
			return nil
		}
		// Atomically, keeping the file's mode, and a symlink's target replaced, not the link.
		return writeOutput(cmd.OutOrStdout(), path, out)
	default:
		_, err = cmd.OutOrStdout().Write(out)
	}
	return err
}
