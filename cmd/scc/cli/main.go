// Package cli is scc's command line: every subcommand, its flags and its output. The scc
// binary (cmd/scc) is a one-line wrapper around Main, so that tests can run the command in
// process (tests/cli) and other programs can embed it.
//
// Exit status: 0 on success, 1 when lint or tests find problems, 2 for bad input and for a
// command line scc does not understand (no command, an unknown one, wrong arguments).
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/diag"
)

// Exit statuses.
const (
	exitOK       = 0
	exitFindings = 1
	exitBadInput = 2
)

// exitError carries an exit status; its message, if any, was already printed.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// Main runs scc with the process's arguments and standard streams and returns the exit status.
func Main() int {
	return run(os.Args[1:], os.Stdout, os.Stderr)
}

// run executes scc with args and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	root := newRootCmdFor(stdout, stderr, args)
	root.SetArgs(args)
	err := root.Execute()
	var ee exitError
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue):
		ue.print(stderr)
		return exitBadInput
	}
	printError(stderr, err)
	return exitBadInput
}

// printError prints an error as scc's own message, unless it is an exitError, whose message
// was already printed.
func printError(w io.Writer, err error) {
	var ee exitError
	if !errors.As(err, &ee) {
		fmt.Fprintf(w, "scc: %v\n", err)
	}
}

// NewCommand returns scc's command tree, writing to the process's standard streams: for
// programs that generate its documentation (man pages) or embed it.
func NewCommand() *cobra.Command { return newRootCmd(os.Stdout, os.Stderr) }

func newRootCmd(stdout, stderr io.Writer) *cobra.Command { return newRootCmdFor(stdout, stderr, nil) }

// subcommand is one of scc's commands: its name and what builds it.
type subcommand struct {
	name string
	make func() *cobra.Command
}

// commands are scc's subcommands, in the order of the full tree.
var commands = []subcommand{
	{"build", newBuildCmd}, {"fmt", newFmtCmd}, {"syscalls", newSyscallsCmd}, {"disasm", newDisasmCmd},
	{"sim", newSimCmd}, {"stats", newStatsCmd}, {"lint", newLintCmd}, {"test", newTestCmd},
	{"run", newRunCmd}, {"record", newRecordCmd}, {"import", newImportCmd}, {"export", newExportCmd},
	{"version", newVersionCmd}, {"diff", newDiffCmd}, {"dump", newDumpCmd}, {"decompile", newDecompileCmd},
	{"vm", newVMCmd},
}

// newRootCmdFor is the command tree for running args: when args start with a subcommand's
// name, the tree holds that subcommand alone, since building every command and its flags is
// a good part of a process's start (scc run pays it before every command it executes);
// otherwise (help, completion, a flag, an unknown name) the whole tree.
func newRootCmdFor(stdout, stderr io.Writer, args []string) *cobra.Command {
	root := &cobra.Command{
		Use:           "scc",
		Short:         "scc compiles seccomp policies into BPF filters",
		Version:       versionText(),
		Args:          rootArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		// scc alone names no command: usage on stderr, exit 2.
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageError{cmd: cmd, msg: "no command given"}
		},
	}
	root.SetVersionTemplate("{{.Version}}")
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError{cmd: cmd, msg: err.Error()}
	})
	for _, c := range commands {
		if len(args) > 0 && args[0] == c.name {
			root.AddCommand(c.make())
			registerCompletions(root)
			// Not called for, and cobra would build it on every run otherwise.
			root.CompletionOptions.DisableDefaultCmd = true
			return root
		}
	}
	for _, c := range commands {
		root.AddCommand(c.make())
	}
	root.SetHelpCommand(newHelpCmd(root))
	root.InitDefaultCompletionCmd() // scc completion bash|zsh|fish|powershell, in the tree for man pages too
	registerCompletions(root)
	return root
}

// reportDiags prints diagnostics with their source lines and returns the exit error for bad
// input when any of them is an error.
func reportDiags(w io.Writer, l diag.List, src diag.Sources) error {
	diag.Print(w, l, src)
	if l.HasErrors() {
		return exitError{exitBadInput}
	}
	return nil
}
