package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/pipeline"
)

// fmtFlags are scc fmt's flags.
type fmtFlags struct {
	write, list bool
	// done holds the files already rewritten by -w, so that a file named twice (by two paths,
	// or through a link) is formatted once.
	done []os.FileInfo
}

func newFmtCmd() *cobra.Command {
	var f fmtFlags
	cmd := &cobra.Command{
		Use:   "fmt [-w] [-l] [FILE…]",
		Short: "Format policy files in scc's canonical layout",
		Long: "fmt prints each file in the canonical layout; with no FILE, or -, it formats stdin to\n" +
			"stdout. With -w it rewrites the files in place (atomically); with -l it lists the files\n" +
			"whose layout differs.",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"-"}
			}
			var failed bool
			for _, path := range args {
				if err := f.formatFile(cmd, path); err != nil {
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
	cmd.Flags().BoolVarP(&f.write, "write", "w", false, "rewrite the files in place")
	cmd.Flags().BoolVarP(&f.list, "list", "l", false, "list files whose formatting differs")
	return cmd
}

func (f *fmtFlags) formatFile(cmd *cobra.Command, path string) error {
	if f.write && path == "-" {
		return errors.New("-w rewrites files: stdin has none to rewrite")
	}
	in, err := pipeline.Read(path, cmd.InOrStdin(), pipeline.Policy)
	if err != nil {
		return err
	}
	file, errs := lang.Parse(in.Name, in.Data)
	if errs.HasErrors() {
		return reportDiags(cmd.ErrOrStderr(), errs, diag.SourceMap{in.Name: in.Data})
	}
	out := lang.Format(file)
	switch {
	case f.list:
		if !bytes.Equal(in.Data, out) {
			fmt.Fprintln(cmd.OutOrStdout(), in.Name)
		}
	case f.write:
		if bytes.Equal(in.Data, out) || f.rewritten(in.Info) {
			return nil
		}
		// Atomically, keeping the file's mode, and a symlink's target replaced, not the link.
		return writeOutput(cmd.OutOrStdout(), path, out)
	default:
		_, err = cmd.OutOrStdout().Write(out)
	}
	return err
}

// rewritten tells whether -w already rewrote the file, and notes it as rewritten now.
func (f *fmtFlags) rewritten(info os.FileInfo) bool {
	for _, d := range f.done {
		if os.SameFile(d, info) {
			return true
		}
	}
	f.done = append(f.done, info)
	return false
}
