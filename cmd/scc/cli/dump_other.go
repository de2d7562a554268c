//go:build !linux

package cli

import (
	"errors"

	"golang.org/x/net/bpf"
)

// readFilters needs Linux's ptrace.
func readFilters(pid int) ([][]bpf.RawInstruction, error) {
	return nil, errors.New("reading a process's filters needs Linux")
}
