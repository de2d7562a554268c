//go:build linux

package loader

import (
	"fmt"
	"runtime"
	"slices"

	"golang.org/x/sys/unix"
)

// auditArches maps GOARCH to the AUDIT_ARCH_* value the kernel puts in seccomp_data.arch for
// this process's own system calls.
var auditArches = map[string]uint32{
	"amd64":    unix.AUDIT_ARCH_X86_64,
	"386":      unix.AUDIT_ARCH_I386,
	"arm64":    unix.AUDIT_ARCH_AARCH64,
	"arm":      unix.AUDIT_ARCH_ARM,
	"riscv64":  unix.AUDIT_ARCH_RISCV64,
	"ppc64le":  unix.AUDIT_ARCH_PPC64LE,
	"ppc64":    unix.AUDIT_ARCH_PPC64,
	"s390x":    unix.AUDIT_ARCH_S390X,
	"loong64":  unix.AUDIT_ARCH_LOONGARCH64,
	"mips64le": unix.AUDIT_ARCH_MIPSEL64,
	"mips64":   unix.AUDIT_ARCH_MIPS64,
}

var archNames = map[uint32]string{
	unix.AUDIT_ARCH_X86_64:      "x86_64",
	unix.AUDIT_ARCH_I386:        "i386",
	unix.AUDIT_ARCH_AARCH64:     "aarch64",
	unix.AUDIT_ARCH_ARM:         "arm",
	unix.AUDIT_ARCH_RISCV64:     "riscv64",
	unix.AUDIT_ARCH_PPC64LE:     "ppc64le",
	unix.AUDIT_ARCH_PPC64:       "ppc64",
	unix.AUDIT_ARCH_S390X:       "s390x",
	unix.AUDIT_ARCH_LOONGARCH64: "loongarch64",
	unix.AUDIT_ARCH_MIPSEL64:    "mipsel64",
	unix.AUDIT_ARCH_MIPS64:      "mips64",
}

// NativeArch is the AUDIT_ARCH_* value of this process's own system calls, the arch a filter
// installed here must cover (x86_64: 0xc000003e). It is 0 on an architecture the loader does
// not know.
func NativeArch() uint32 { return auditArches[runtime.GOARCH] }

// ArchName spells an AUDIT_ARCH_* value ("x86_64"), or its hex value when unknown.
func ArchName(audit uint32) string {
	if n, ok := archNames[audit]; ok {
		return n
	}
	return fmt.Sprintf("%#x", audit)
}

// CheckArch refuses a filter whose architectures (AUDIT_ARCH_* values, as a blob's header
// lists them) do not include NativeArch: installed here, such a filter would kill every
// system call, including the ones the loader and the Go runtime make right after it. The
// error is an *ArchError.
func CheckArch(audit []uint32) error {
	native := NativeArch()
	if native != 0 && slices.Contains(audit, native) {
		return nil
	}
	return &ArchError{Native: native, Arches: slices.Clone(audit)}
}
