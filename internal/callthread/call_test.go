//go:build linux

package callthread

import (
	"testing"

	"golang.org/x/sys/unix"
)

func TestErrno(t *testing.T) {
	for r1, want := range map[uintptr]unix.Errno{
		0: 0, 42: 0, ^uintptr(0): 1, ^uintptr(4094): 4095, ^uintptr(4095): 0, 1 << 40: 0,
	} {
		if got := Errno(r1); got != want {
			t.Errorf("Errno(%#x) = %d, want %d", r1, got, want)
		}
	}
}
