//go:build !linux

package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// newRunCmd is scc run where seccomp does not exist: it says so.
func newRunCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "run POLICY|FILTER -- CMD [ARG...]",
		Short: "Run a command under a policy's filter (Linux only)",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("scc run needs Linux: seccomp filters exist only there")
		},
	}
}
