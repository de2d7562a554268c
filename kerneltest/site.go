//go:build linux

package kerneltest

import (
	"fmt"
	"runtime"
	_ "unsafe" // go:linkname
)

// The runtime's own bracket around a system call, as package syscall uses it: between the two
// the goroutine counts as in a syscall, so that a call that blocks, or a thread the filter
// kills, does not hold up the runtime (a garbage collection's stop-the-world waits for every
// running goroutine, and the call site's assembly can never be preempted).
//
//go:linkname entersyscall runtime.entersyscall
func entersyscall()

//go:linkname exitsyscall runtime.exitsyscall
func exitsyscall()

// maxSite bounds a call site's code: a few loads, the syscall instruction and a return.
const maxSite = 256

// funcRange returns the addresses [lo, hi) of the function whose entry is entry, as the
// runtime's function table knows it.
func funcRange(entry uintptr) (lo, hi uint64, err error) {
	f := runtime.FuncForPC(entry)
	if f == nil || f.Entry() != entry {
		return 0, 0, fmt.Errorf("kerneltest: no function at the call site %#x", entry)
	}
	end := entry + 1
	for end < entry+maxSite {
		if g := runtime.FuncForPC(end); g == nil || g.Entry() != entry {
			break
		}
		end++
	}
	lo, hi = uint64(entry), uint64(end)
	if lo>>32 != hi>>32 {
		return 0, 0, fmt.Errorf("kerneltest: the call site %#x-%#x crosses a 4 GiB boundary", lo, hi)
	}
	return lo, hi, nil
}
