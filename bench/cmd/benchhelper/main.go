// Command benchhelper is the program that benchtable's whole-process and kernel tables run:
//
//	benchhelper exit                 exits at once: the command scc run starts, and its baseline
//	benchhelper calls N [FILTER.raw] installs the raw filter, if given, then times N of each
//	                                 call of bench/internal/calls and prints "NAME NS" lines
//
// benchtable builds it without cgo, so that it starts as fast as a Go program can.
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/scc-dev/scc/bench/internal/calls"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "benchhelper:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	switch {
	case len(args) == 1 && args[0] == "exit":
		return nil
	case len(args) >= 2 && len(args) <= 3 && args[0] == "calls":
		n, err := strconv.Atoi(args[1])
		if err != nil || n <= 0 {
			return fmt.Errorf("bad count %q", args[1])
		}
		if len(args) == 3 {
			data, err := os.ReadFile(args[2])
			if err != nil {
				return err
			}
			if err := calls.Install(data); err != nil {
				return err
			}
		}
		fmt.Print(calls.Format(calls.Time(n)))
		return nil
	}
	return fmt.Errorf("usage: benchhelper exit | benchhelper calls N [FILTER.raw]")
}
