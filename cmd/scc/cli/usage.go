package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/internal/plural"
)

// usageError is a command line scc does not understand: no command, an unknown one, a bad
// flag or the wrong number of arguments. It prints the message, then the command's usage,
// on stderr; the exit status is 2.
type usageError struct {
	cmd *cobra.Command
	msg string
}

func (e usageError) Error() string { return e.msg }

// print writes the message and the usage of the command it is about.
func (e usageError) print(w io.Writer) {
	fmt.Fprintf(w, "scc: %s\n", e.msg)
	if !e.cmd.HasParent() {
		fmt.Fprint(w, e.cmd.UsageString())
		return
	}
	fmt.Fprintf(w, "usage: %s\nRun '%s --help' for more.\n", e.cmd.UseLine(), e.cmd.CommandPath())
}

// rootArgs refuses an argument where a command name belongs: an unknown command.
func rootArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	return usageError{cmd: cmd, msg: fmt.Sprintf("unknown command %q%s", args[0], didYouMean(args[0], names))}
}

// wantArgs checks that a command has between min and max arguments (max < 0: no limit);
// what describes them for the error, as in "build takes one POLICY file, got 2 arguments".
func wantArgs(min, max int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) >= min && (max < 0 || len(args) <= max) {
			return nil
		}
		got := "none"
		if len(args) > 0 {
			got = plural.Count(len(args), "argument", "arguments")
		}
		return usageError{cmd: cmd, msg: fmt.Sprintf("%s takes %s, got %s", cmd.Name(), what, got)}
	}
}

// newHelpCmd is scc help [COMMAND…]: cobra's, except that a topic it does not know is a
// usage error (exit 2), not the root's help.
func newHelpCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND]",
		Short: "Help about any command",
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			cmd, _, err := root.Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []string
			for _, c := range cmd.Commands() {
				if c.IsAvailableCommand() {
					names = append(names, c.Name())
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(_ *cobra.Command, args []string) error {
			cmd, rest, err := root.Find(args)
			if err != nil || len(rest) > 0 {
				return usageError{cmd: root, msg: fmt.Sprintf("unknown help topic %q", strings.Join(args, " "))}
			}
			return cmd.Help()
		},
	}
}
