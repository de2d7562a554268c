package cli

import (
	"io"
	"slices"
	"testing"
)

// TestCommandsTable checks that the table of subcommands names each one as its command
// does, and holds every command of the tree, so that a process running one builds just
// that one and finds it.
func TestCommandsTable(t *testing.T) {
	for _, c := range commands {
		if got := c.make().Name(); got != c.name {
			t.Errorf("commands: %q makes the command %q", c.name, got)
		}
	}
	for _, cmd := range newRootCmd(io.Discard, io.Discard).Commands() {
		name := cmd.Name()
		known := slices.ContainsFunc(commands, func(c subcommand) bool { return c.name == name })
		if !known && name != "help" && name != "completion" {
			t.Errorf("the command %q is not in the commands table", name)
		}
	}
	for _, c := range commands {
		root := newRootCmdFor(io.Discard, io.Discard, []string{c.name, "--help"})
		if cmd, _, err := root.Find([]string{c.name}); err != nil || cmd.Name() != c.name {
			t.Errorf("the tree for %s does not find it: %v", c.name, err)
		}
	}
}
