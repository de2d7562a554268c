package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/oci"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/stdlib"
)

// registerCompletions teaches shell completion (scc completion bash|zsh|fish, cobra's) the
// values of scc's flags: --format, --input-format, --severity and --arch wherever a command
// has them, and syscall and group names for scc syscalls. Subcommands and flag names complete
// by themselves; file arguments complete as files.
func registerCompletions(root *cobra.Command) {
	if cmd, _, err := root.Find([]string{"completion"}); err == nil && cmd != root {
		// cobra's prints its help for a shell it does not know, and succeeds.
		cmd.Args = wantArgs(1, 1, "one shell: bash, zsh, fish or powershell")
		cmd.RunE = func(cmd *cobra.Command, args []string) error {
			return usageError{cmd: cmd, msg: fmt.Sprintf("completion: unknown shell %q: want bash, zsh, fish or powershell", args[0])}
		}
	}
	for _, cmd := range root.Commands() {
		flags := cmd.Flags()
		if flags.Lookup("arch") != nil {
			names := archNames()
			if cmd.Name() == "import" {
				names = oci.HostArchNames() // the host arch, in Docker's names
			}
			_ = cmd.RegisterFlagCompletionFunc("arch", fixedCompletion(names))
		}
		if flags.Lookup("format") != nil {
			_ = cmd.RegisterFlagCompletionFunc("format", fixedCompletion(formatNames(cmd.Name())))
		}
		if flags.Lookup("input-format") != nil {
			kinds := []string{pipeline.Auto.String(), pipeline.Policy.String(), pipeline.Profile.String(),
				pipeline.Blob.String(), pipeline.Raw.String()}
			_ = cmd.RegisterFlagCompletionFunc("input-format", fixedCompletion(kinds))
		}
		if flags.Lookup("severity") != nil {
			_ = cmd.RegisterFlagCompletionFunc("severity", fixedCompletion([]string{"info", "warning", "error"}))
		}
	}
	if cmd, _, err := root.Find([]string{"syscalls"}); err == nil && cmd != root {
		cmd.ValidArgsFunction = completeSyscallNames
	}
}

// fixedCompletion completes a flag from a fixed list, and never with file names.
func fixedCompletion(values []string) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

// archNames are the canonical names of the arches and their aliases, in the tables' order.
func archNames() []string {
	var names []string
	for _, a := range stdlib.Arches() {
		names = append(names, a.Name)
		names = append(names, a.Aliases...)
	}
	return names
}

// formatNames are the values of a command's --format.
func formatNames(cmd string) []string {
	switch cmd {
	case "lint":
		return lintFormats
	case "record":
		return recordFormats
	}
	var names []string
	for _, f := range backend.Formats {
		names = append(names, string(f))
	}
	return names
}

// completeSyscallNames completes scc syscalls' one argument: a group (@...) or a syscall
// name, of --arch's table when it is given and known.
func completeSyscallNames(cmd *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var names []string
	if strings.HasPrefix(prefix, "@") {
		for _, g := range compiler.StdGroups() {
			names = append(names, g.Name)
		}
	} else if arch, _ := cmd.Flags().GetString("arch"); arch != "" && isArch(arch) {
		names = stdlib.SyscallNames(arch)
	} else {
		names = stdlib.AllSyscallNames()
	}
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, prefix) {
			out = append(out, n)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// isArch tells whether name is an arch or an alias.
func isArch(name string) bool {
	_, ok := stdlib.LookupArch(name)
	return ok
}
