//go:build !linux

package cli

import "os"

// moveIntoPlace puts the finished temporary file tmp at target, atomically, by renaming it.
func moveIntoPlace(tmp, target string) error { return os.Rename(tmp, target) }
