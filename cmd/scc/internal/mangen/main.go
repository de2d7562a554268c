// Command mangen writes scc's man pages, one per command (scc.1, scc-build.1, ...), from the
// command tree's own help text, into the directory -o names (make man: bin/man).
//
// It is a program of its own so that scc's binary does not carry the man page generator.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/spf13/cobra/doc"

	"github.com/scc-dev/scc/cmd/scc/cli"
)

func main() {
	out := flag.String("o", "bin/man", "the directory to write the man pages into")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "mangen:", err)
		os.Exit(1)
	}
}

// run writes every command's man page into dir, which it creates.
func run(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	root := cli.NewCommand()
	root.DisableAutoGenTag = true // no date: the same tree makes the same pages
	header := &doc.GenManHeader{Title: "SCC", Section: "1", Source: "scc", Manual: "scc manual"}
	return doc.GenManTree(root, header, dir)
}
