//go:build linux

package kerneltest

import "unsafe"

// Implemented in site_amd64.s.
func site64(nr, a0, a1, a2, a3, a4, a5 uintptr) (r1 uintptr)
func site32(nr, a0, a1, a2, a3, a4, a5 uint32) (r1 uintptr)
func siteCode() (p64, p32 *byte)

// supported: the call sites exist on amd64.
const supported = true

// siteRange returns the addresses of abi's call site's code: seccomp_data.instruction_pointer
// lies in it (right after its SYSCALL or INT $0x80) for a call made there.
func siteRange(abi ABI) (lo, hi uint64, err error) {
	p64, p32 := siteCode()
	if abi == I386 {
		return funcRange(uintptr(unsafe.Pointer(p32)))
	}
	return funcRange(uintptr(unsafe.Pointer(p64)))
}

// callSite makes the call at its ABI's site.
func callSite(c Call) uintptr {
	a := c.Args
	var r1 uintptr
	entersyscall()
	if c.ABI == I386 {
		r1 = site32(uint32(c.Nr), uint32(a[0]), uint32(a[1]), uint32(a[2]), uint32(a[3]), uint32(a[4]), uint32(a[5]))
	} else {
		r1 = site64(uintptr(c.Nr), uintptr(a[0]), uintptr(a[1]), uintptr(a[2]), uintptr(a[3]), uintptr(a[4]), uintptr(a[5]))
	}
	exitsyscall()
	return r1
}
