//go:build linux

package kerneltest

import (
	"testing"

	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/stdlib"
)

func TestSafeToMake(t *testing.T) {
	nr := func(name string) int32 {
		n, ok := stdlib.SyscallNumber("x86_64", name)
		if !ok {
			t.Fatalf("no syscall %s", name)
		}
		return int32(n)
	}
	for _, c := range []struct {
		name string
		args [6]uint64
		want bool
	}{
		{"getpid", [6]uint64{}, true},
		{"read", [6]uint64{0, 0x100, 1}, true},
		{"read", [6]uint64{0, 1 << 20, 1}, false}, // a pointer that may be mapped
		{"read", [6]uint64{3, 0, 1}, false},       // the harness's descriptor
		{"kill", [6]uint64{1, 9}, false},          // not on the list
		{"ioctl", [6]uint64{0, 0x5401, 0}, true},  // TCGETS
		{"ioctl", [6]uint64{0, 0x5402, 0}, false}, // TCSETS writes
		{"mmap", [6]uint64{0, 4096, 0, 0x10}, false},
	} {
		got, why := SafeToMake("x86_64", program.SeccompData{Nr: nr(c.name), Args: c.args})
		if got != c.want || got != (why == "") {
			t.Errorf("SafeToMake(%s%v) = %v %q, want %v", c.name, c.args, got, why, c.want)
		}
	}
}
