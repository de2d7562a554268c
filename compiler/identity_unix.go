//go:build unix

package compiler

import (
	"os"
	sys "syscall"
)

// fileIdentity returns the device and inode of a file read from the file system.
func fileIdentity(info os.FileInfo) (dev, ino uint64, ok bool) {
	if info == nil {
		return 0, 0, false
	}
	st, ok := info.Sys().(*sys.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return uint64(st.Dev), uint64(st.Ino), true //nolint:unconvert // Dev is 32 bits on some arches
}
