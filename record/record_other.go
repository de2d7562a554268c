//go:build !linux

package record

import "errors"

// errNotLinux is what recording returns where seccomp does not exist.
var errNotLinux = errors.New("recording needs Linux's seccomp user notification")

// Run fails off Linux.
func Run(Options) (*Recording, error) { return nil, &StartError{errNotLinux} }

// IsTerminal is false off Linux, where nothing is recorded.
func IsTerminal(uintptr) bool { return false }
