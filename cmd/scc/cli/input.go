package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/pipeline"
)

// inputFlags are the flags of every command that reads a policy or a filter.
type inputFlags struct {
	format string // --input-format
}

func (f *inputFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.format, "input-format", "auto",
		"what the input is: auto (by its content), policy, profile (Docker/OCI JSON), blob or raw")
}

// load reads the input at path ("-": stdin) through the pipeline and makes it ready to build.
func (f *inputFlags) load(cmd *cobra.Command, path string, opts pipeline.Options) (*pipeline.Source, error) {
	in, err := f.read(cmd, path)
	if err != nil {
		return nil, err
	}
	return pipeline.Load(in, opts)
}

// read reads the input at path ("-": stdin), of the kind --input-format says.
func (f *inputFlags) read(cmd *cobra.Command, path string) (*pipeline.Input, error) {
	kind, err := pipeline.ParseKind(f.format)
	if err != nil {
		return nil, err
	}
	return pipeline.Read(path, cmd.InOrStdin(), kind)
}

// writeOutputOf is writeOutput for a command that read inputs: it refuses to write over any
// of them, whatever path or link leads to it, and leaves it untouched.
func writeOutputOf(stdout io.Writer, path string, data []byte, inputs []compiler.Input) error {
	if err := notAnInput(path, inputs); err != nil {
		return err
	}
	return writeOutput(stdout, path, data)
}

// notAnInput tells whether path names a regular file that is one of the inputs: the same
// path, a symlink to it or a hard link (the same device and inode).
func notAnInput(path string, inputs []compiler.Input) error {
	if path == "-" {
		return nil
	}
	out, err := os.Stat(path)
	if err != nil || !out.Mode().IsRegular() {
		return nil // a new file, or a device or pipe, which writing does not destroy
	}
	for _, in := range inputs {
		if in.Info != nil && os.SameFile(out, in.Info) {
			if in.Name == path {
				return fmt.Errorf("cannot write %s: it is an input; name another output with -o", path)
			}
			return fmt.Errorf("cannot write %s: it is the input %s (the same file); name another output with -o", path, in.Name)
		}
	}
	return nil
}
