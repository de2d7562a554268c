package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/measure"
)

func newStatsCmd() *cobra.Command {
	var bf buildFlags
	cmd := &cobra.Command{
		Use:   "stats POLICY",
		Short: "Instructions, steps per syscall, and cache-eligible syscalls of a policy's filter",
		Args:  wantArgs(1, 1, "one POLICY file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			out, _, err := bf.build(cmd, args[0])
			if err != nil {
				return err
			}
			r, err := measure.Measure(out.Policy, out.Filter, bf.weights)
			if err != nil {
				return err
			}
			return printStats(cmd.OutOrStdout(), r)
		},
	}
	bf.register(cmd)
	return cmd
}

func printStats(w io.Writer, r measure.Report) error {
	fmt.Fprintf(w, "instructions: %d\n", r.Instructions)
	tw := newTable(w)
	fmt.Fprintln(tw, "arch\tsyscalls\tmean steps\tmax steps\tallowed without args\tcache-eligible")
	for _, a := range r.Arches {
		cached := fmt.Sprintf("%d", a.Cached)
		if a.NoCache {
			cached = "not applicable (see below)"
		}
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%d (%s)\t%d\t%s\n", a.Arch, a.Syscalls, a.MeanSteps, a.MaxSteps, a.MaxName, a.ArgFreeAllowed, cached)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, a := range r.Arches {
		if a.WeightedMean > 0 {
			fmt.Fprintf(w, "%s: mean steps weighted by the profile: %.2f\n", a.Arch, a.WeightedMean)
		}
	}
	for _, a := range r.Arches {
		if a.NoCache {
			// measure.ArchReport.NoCache cites the kernel.
			fmt.Fprintf(w, "%s: cache: not applicable: x32 numbers carry the x32 bit (0x40000000), above the kernel's cache bitmap, so every %s call runs the filter\n", a.Arch, a.Arch)
		}
		if len(a.NotCached) > 0 {
			fmt.Fprintf(w, "%s: allowed but not cache-eligible: %v\n", a.Arch, a.NotCached)
		}
	}
	return nil
}
