//go:build linux && cgo

package libseccomp

import (
	"github.com/scc-dev/scc/ir"
)

// archInfo describes an architecture as both scc and libseccomp see it.
type archInfo struct {
	name      string // scc's name (ir.Arch.Name)
	scmp      string // libseccomp-golang's name (GetArchFromString)
	audit     uint32 // AUDIT_ARCH_* value
	bigEndian bool
	bits      int    // width of libseccomp's argument comparisons: 32 or 64
	nrMask    uint32 // bit carried by every syscall number (x32)
	nrBase    uint32 // first syscall number (MIPS ABIs start at 4000, 5000, 6000)
	// mux is set where libseccomp mirrors a rule on a socket or SysV IPC call onto the
	// socketcall(2) or ipc(2) multiplexer (checked on libseccomp 2.5.4).
	mux bool
}

// archTable lists the architectures Build knows. x32 compares 32-bit arguments in
// libseccomp even though the kernel passes it full 64-bit registers.
var archTable = []archInfo{
	{name: "x86_64", scmp: "amd64", audit: 0xc000003e, bits: 64},
	{name: "i386", scmp: "x86", audit: 0x40000003, bits: 32, mux: true},
	{name: "x32", scmp: "x32", audit: 0xc000003e, bits: 32, nrMask: ir.X32SyscallBit},
	{name: "aarch64", scmp: "arm64", audit: 0xc00000b7, bits: 64},
	{name: "arm", scmp: "arm", audit: 0x40000028, bits: 32},
	{name: "riscv64", scmp: "riscv64", audit: 0xc00000f3, bits: 64},
	{name: "mips", scmp: "mips", nrBase: 4000, audit: 0x00000008, bigEndian: true, bits: 32, mux: true},
	{name: "mipsel", scmp: "mipsel", nrBase: 4000, audit: 0x40000008, bits: 32, mux: true},
	{name: "mips64", scmp: "mips64", nrBase: 5000, audit: 0x80000008, bigEndian: true, bits: 64},
	{name: "mipsel64", scmp: "mipsel64", nrBase: 5000, audit: 0xc0000008, bits: 64},
	{name: "mips64n32", scmp: "mips64n32", nrBase: 6000, audit: 0xa0000008, bigEndian: true, bits: 32},
	{name: "mipsel64n32", scmp: "mipsel64n32", nrBase: 6000, audit: 0xe0000008, bits: 32},
	{name: "ppc", scmp: "ppc", audit: 0x00000014, bigEndian: true, bits: 32, mux: true},
	{name: "ppc64", scmp: "ppc64", audit: 0x80000015, bigEndian: true, bits: 64, mux: true},
	{name: "ppc64le", scmp: "ppc64le", audit: 0xc0000015, bits: 64, mux: true},
	{name: "s390", scmp: "s390", audit: 0x00000016, bigEndian: true, bits: 32, mux: true},
	{name: "s390x", scmp: "s390x", audit: 0x80000016, bigEndian: true, bits: 64, mux: true},
}

// archAliases maps other spellings of arch names to scc's.
var archAliases = map[string]string{
	"amd64": "x86_64", "x86": "i386", "arm64": "aarch64", "i686": "i386", "mips64le": "mipsel64",
}

// lookupArch finds an architecture by scc's or libseccomp's name.
func lookupArch(name string) (archInfo, bool) {
	if alias, ok := archAliases[name]; ok {
		name = alias
	}
	for _, a := range archTable {
		if a.name == name {
			return a, true
		}
	}
	return archInfo{}, false
}

// Arch returns the ir.Arch for an architecture name that Build supports ("x86_64", "i386",
// "x32", "aarch64", …; libseccomp's spellings such as "amd64" are accepted too).
func Arch(name string) (ir.Arch, bool) {
	a, ok := lookupArch(name)
	if !ok {
		return ir.Arch{}, false
	}
	return ir.Arch{Name: a.name, Audit: a.audit, BigEndian: a.bigEndian, NrMask: a.nrMask}, true
}

// bigEndianAudit tells whether seccomp_data for the given audit arch value is big-endian.
// Unknown values are taken as little-endian, like the x86 machines the tests run on.
func bigEndianAudit(audit uint32) bool {
	for _, a := range archTable {
		if a.audit == audit {
			return a.bigEndian
		}
	}
	return false
}

// muxNames are the calls libseccomp multiplexes through socketcall(2) and ipc(2).
var muxNames = map[string]bool{
	"socketcall": true, "ipc": true,
	"socket": true, "bind": true, "connect": true, "listen": true, "accept": true,
	"accept4": true, "getsockname": true, "getpeername": true, "socketpair": true,
	"send": true, "recv": true, "sendto": true, "recvfrom": true, "shutdown": true,
	"setsockopt": true, "getsockopt": true, "sendmsg": true, "recvmsg": true,
	"recvmmsg": true, "sendmmsg": true,
	"semop": true, "semget": true, "semctl": true, "semtimedop": true, "msgsnd": true,
	"msgrcv": true, "msgget": true, "msgctl": true, "shmat": true, "shmdt": true,
	"shmget": true, "shmctl": true,
}
