package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/pipeline"
)

// fmtFlags are scc fmt's flags.
type fmtFlags struct {
	write, list, diff bool
	// done holds the files already rewritten by -w, so that a file named twice (by two paths,
	// or through a link) is formatted once.
	done []os.FileInfo
}

func newFmtCmd() *cobra.Command {
	var f fmtFlags
	cmd := &cobra.Command{
		Use:   "fmt [-w] [-l] [-d] [FILE…]",
		Short: "Format policy files in scc's canonical layout",
		Long: "fmt prints each file in the canonical layout; with no FILE, or -, it formats stdin to\n" +
			"stdout. With -w it rewrites the files in place (atomically); with -l it lists the files\n" +
			"whose layout differs, and with -d it prints how, as a unified diff (scc fmt -d x.sc |\n" +
			"patch -p0 applies it).\n\n" +
			"Exit status: 1 with -l or -d (and no -w) when any file's layout differs, as a check\n" +
			"for CI; 2 when a file cannot be read or parsed; 0 otherwise.",
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return f.run(cmd, args)
		},
	}
	cmd.Flags().BoolVarP(&f.write, "write", "w", false, "rewrite the files in place")
	cmd.Flags().BoolVarP(&f.list, "list", "l", false, "list files whose formatting differs (exit 1 when any does)")
	cmd.Flags().BoolVarP(&f.diff, "diff", "d", false, "print the changes as a unified diff (exit 1 when any)")
	return cmd
}

// run formats every file, and returns the exit status the flags and the files call for.
func (f *fmtFlags) run(cmd *cobra.Command, paths []string) error {
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	var failed, changed bool
	for _, path := range paths {
		differs, err := f.formatFile(cmd, path)
		if err != nil {
			var ee exitError
			if !errors.As(err, &ee) {
				fmt.Fprintf(cmd.ErrOrStderr(), "scc fmt: %v\n", err)
			}
			failed = true
		}
		changed = changed || differs
	}
	switch {
	case failed:
		return exitError{exitBadInput}
	case changed && (f.list || f.diff) && !f.write:
		return exitError{exitFindings}
	}
	return nil
}

// formatFile formats one file ("-": stdin) as the flags say, and tells whether its layout
// differs from the canonical one.
func (f *fmtFlags) formatFile(cmd *cobra.Command, path string) (bool, error) {
	if f.write && path == "-" {
		return false, errors.New("-w rewrites files: stdin has none to rewrite")
	}
	in, err := pipeline.Read(path, cmd.InOrStdin(), pipeline.Policy)
	if err != nil {
		return false, err
	}
	file, errs := lang.Parse(in.Name, in.Data)
	if errs.HasErrors() {
		return false, reportDiags(cmd.ErrOrStderr(), errs, diag.SourceMap{in.Name: in.Data})
	}
	out := lang.Format(file)
	differs := !bytes.Equal(in.Data, out)
	stdout := cmd.OutOrStdout()
	if f.list && differs {
		fmt.Fprintln(stdout, in.Name)
	}
	if f.diff && differs {
		if _, err := io.WriteString(stdout, unifiedDiff(in.Name, in.Data, out)); err != nil {
			return differs, err
		}
	}
	switch {
	case f.write && differs && !f.rewritten(in.Info):
		// Atomically, keeping the file's mode, and a symlink's target replaced, not the link.
		return differs, writeOutput(stdout, path, out)
	case !f.write && !f.list && !f.diff:
		_, err = stdout.Write(out)
	}
	return differs, err
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
