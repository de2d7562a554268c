// Command scc compiles seccomp policies written in scc's policy language into classic-BPF
// filters, and checks, runs and inspects them. Its command line lives in package cli.
//
// Exit status: 0 on success, 1 when lint or tests find problems, 2 for bad input.
package main

import (
	"os"

	"github.com/scc-dev/scc/cmd/scc/cli"
)

func main() {
	os.Exit(cli.Main())
}
