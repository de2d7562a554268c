//go:build linux

package kerneltest

import (
	"bytes"
	"fmt"
	"unsafe"
)

// Implemented in site_amd64.s.
func site64(nr, a0, a1, a2, a3, a4, a5 uintptr) (r1 uintptr)
func site32(nr, a0, a1, a2, a3, a4, a5 uint32) (r1 uintptr)
func siteCode() (p64, p32 *byte)

// supported: the call sites exist on amd64.
const supported = true

// siteIP returns the instruction pointer the kernel reports in seccomp_data for a call made
// at abi's site: the address right after its SYSCALL (0f 05) or INT $0x80 (cd 80).
func siteIP(abi ABI) (uint64, error) {
	p64, p32 := siteCode()
	p, op := p64, []byte{0x0f, 0x05}
	if abi == I386 {
		p, op = p32, []byte{0xcd, 0x80}
	}
	code := unsafe.Slice(p, 64)
	i := bytes.Index(code, op)
	if i < 0 || bytes.Index(code[i+2:], op) >= 0 {
		return 0, fmt.Errorf("kerneltest: the %s call site has no single % x instruction", abi, op)
	}
	return uint64(uintptr(unsafe.Pointer(p))) + uint64(i) + 2, nil
}

// callSite makes the call at its ABI's site.
func callSite(c Call) uintptr {
	a := c.Args
	if c.ABI == I386 {
		return site32(uint32(c.Nr), uint32(a[0]), uint32(a[1]), uint32(a[2]), uint32(a[3]), uint32(a[4]), uint32(a[5]))
	}
	return site64(uintptr(c.Nr), uintptr(a[0]), uintptr(a[1]), uintptr(a[2]), uintptr(a[3]), uintptr(a[4]), uintptr(a[5]))
}
