//go:build linux

package callthread

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Values the SIGSYS handler (trap_amd64.s) writes. The handler runs on the thread that made
// the trapped call, which reads them back after the call returns.
var (
	trapFlag uint32
	trapData uint32
	trapNr   int32
	trapArch uint32
)

// sigsysHandler and sigreturnTramp are implemented in assembly; they are never called from Go.
func sigsysHandler()
func sigreturnTramp()

// trapAddrs returns the entry points of sigsysHandler and sigreturnTramp.
func trapAddrs() (handler, restorer uintptr)

// Sigaction flags of the kernel's x86_64 ABI.
const (
	saSiginfo  = 0x4
	saRestorer = 0x04000000
	saOnstack  = 0x08000000
)

// kernelSigaction is the kernel's struct sigaction on x86_64.
type kernelSigaction struct {
	handler  uintptr
	flags    uint64
	restorer uintptr
	mask     uint64
}

// InstallTrapHandler replaces the Go runtime's SIGSYS handler, which would crash the child on
// a seccomp trap (os/signal cannot catch SIGSYS), by the package's handler, which records the
// trap for Run. Call it before installing the filter, which might deny rt_sigaction.
func InstallTrapHandler() error {
	h, r := trapAddrs()
	sa := kernelSigaction{handler: h, flags: saSiginfo | saRestorer | saOnstack, restorer: r}
	_, _, errno := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(unix.SIGSYS),
		uintptr(unsafe.Pointer(&sa)), 0, unsafe.Sizeof(sa.mask), 0, 0)
	if errno != 0 {
		return fmt.Errorf("rt_sigaction(SIGSYS): %w", errno)
	}
	return nil
}
