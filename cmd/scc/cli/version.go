package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/stdlib"
)

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print scc's version, the Go that built it and where its syscall tables come from",
		Long: "version prints, as scc --version does, scc's module version (or, for a build from a\n" +
			"source tree, the revision it was built from), the Go release and target that built\n" +
			"it, and the sources of its syscall tables: the kernel headers' version and\n" +
			"golang.org/x/sys's.",
		Args: wantArgs(0, 0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprint(cmd.OutOrStdout(), versionText())
			return err
		},
	}
}

// versionText is what scc version and scc --version print, three lines.
func versionText() string {
	var b strings.Builder
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = &debug.BuildInfo{}
	}
	fmt.Fprintf(&b, "scc %s\n", moduleVersion(bi))
	fmt.Fprintf(&b, "built with %s for %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	src := stdlib.TableSources()
	fmt.Fprintf(&b, "syscall tables: Linux %s headers, golang.org/x/sys %s (Debian linux-libc-dev %s, manpages-dev %s)\n",
		src.KernelHeaders, src.XSys, src.LibcDev, src.ManPages)
	return b.String()
}

// moduleVersion is scc's version from the build info: the module version when there is one
// (go install ...@v1.2.3), else the VCS revision of the tree it was built from, else "devel".
func moduleVersion(bi *debug.BuildInfo) string {
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	v := bi.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	rev := settings["vcs.revision"]
	if rev == "" || strings.Contains(v, rev[:min(12, len(rev))]) {
		return v // a pseudo-version names the revision already
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	extra := "revision " + rev
	if t := settings["vcs.time"]; t != "" {
		extra += ", " + t
	}
	if settings["vcs.modified"] == "true" {
		extra += ", modified"
	}
	return fmt.Sprintf("%s (%s)", v, extra)
}
