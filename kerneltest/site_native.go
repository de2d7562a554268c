//go:build linux && (arm64 || arm || riscv64 || ppc64le || ppc64 || s390x || mips64le || mips64 || 386)

package kerneltest

// Implemented in site_$GOARCH.s: the call site of this arch's own system-call instruction,
// and its entry address.
func siteNative(nr, a0, a1, a2, a3, a4, a5 uintptr) (r1 uintptr)
func siteAddr() uintptr

// supported: this arch has a call site.
const supported = true

// siteRange returns the addresses of the call site's code: seccomp_data.instruction_pointer
// lies in it for a call made there, whichever of the syscall instruction's own address or the
// next one the arch reports.
func siteRange(ABI) (lo, hi uint64, err error) { return funcRange(siteAddr()) }

// callSite makes the call at the site: with 32-bit argument registers on a 32-bit arch.
func callSite(c Call) uintptr {
	a := c.Args
	entersyscall()
	r1 := siteNative(uintptr(c.Nr), uintptr(a[0]), uintptr(a[1]), uintptr(a[2]), uintptr(a[3]), uintptr(a[4]), uintptr(a[5]))
	exitsyscall()
	return r1
}
