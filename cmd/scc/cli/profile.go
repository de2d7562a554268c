package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/optimizer"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/stdlib"
)

// registerProfile adds --profile, which weights the search tree by syscall frequencies.
func (bf *buildFlags) registerProfile(cmd *cobra.Command) {
	cmd.Flags().StringVar(&bf.profile, "profile", "",
		"syscall frequencies (lines NAME COUNT, or the table of strace -c; - for stdin) to weight the search tree by;\n"+
			"they are the first --arch's, else the host's")
}

// applyProfile reads --profile, if given, into opts: its counts by number on the profiled arch,
// and keeps them by name in bf.weights for the statistics. Errors in the file are printed as
// diagnostics and returned as an exitError.
func (bf *buildFlags) applyProfile(cmd *cobra.Command, opts *optimizer.Options) error {
	if bf.profile == "" {
		return nil
	}
	in, err := pipeline.Read(bf.profile, cmd.InOrStdin(), pipeline.Policy)
	if err != nil {
		return fmt.Errorf("--profile: %w", err)
	}
	data := in.Data
	arch := stdlib.HostArch().Name
	if len(bf.arches) > 0 {
		a, ok := stdlib.LookupArch(bf.arches[0])
		if !ok {
			return fmt.Errorf("--arch %s: unknown arch", bf.arches[0])
		}
		arch = a.Name
	}
	if arch == "" {
		return fmt.Errorf("--profile: scc has no tables for this host's arch; name one with --arch")
	}
	counts, errs := pipeline.ParseFrequencies(in.Name, data, arch)
	if err := reportDiags(cmd.ErrOrStderr(), errs, diag.SourceMap{in.Name: data}); err != nil {
		return err
	}
	opts.Weights = pipeline.WeightsByNumber(counts, arch)
	opts.WeightsArch = arch
	bf.weights = counts
	return nil
}
