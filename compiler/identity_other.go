//go:build !unix

package compiler

import "os"

// fileIdentity is unknown off Unix: files are then known by their cleaned names.
func fileIdentity(os.FileInfo) (dev, ino uint64, ok bool) { return 0, 0, false }
