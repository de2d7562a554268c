//go:build linux && cgo

package docker

import (
	"fmt"
	"testing"

	seccomp "github.com/seccomp/libseccomp-golang"

	"github.com/scc-dev/scc/ir"
)

// beyond is how many numbers above each table's highest syscall are tried one by one.
const beyond = 128

// farNumbers are numbers tried under every arch value: tracers' -1, the edges of the x32
// range, and numbers no table reaches.
var farNumbers = []uint32{
	ir.SkippedSyscall, 0xfffffffe, 0x3fffffff, ir.X32SyscallBit - 1, ir.X32SyscallBit,
	0x40001000, 0x7fffffff, 0x80000000, 0xc0000000, 1000, 4095, 4096, 0xffff, 0x10000,
}

// numbersOf lists the numbers tried on one arch of the policy: its whole table from its
// first number, the numbers just above, and farNumbers. On i386, which shares no arch
// value, the x32 range is tried too (it is i386's to decide).
func numbersOf(ap *ir.ArchPolicy) []uint32 {
	var out []uint32
	for nr := ap.Arch.NrMask; nr <= ap.MaxKnown+beyond; nr++ {
		out = append(out, nr)
	}
	if ap.Arch.Name == "i386" {
		for nr := uint32(ir.X32SyscallBit); nr <= ir.X32SyscallBit+ap.MaxKnown+beyond; nr++ {
			out = append(out, nr)
		}
	}
	return append(out, farNumbers...)
}

// TestSyscallNumbersAgree: on every syscall number of x86_64, i386 and x32 (and numbers
// above the tables, -1, numbers with and without the x32 bit), with zero arguments, scc's
// filter returns what libseccomp's does.
func TestSyscallNumbersAgree(t *testing.T) {
	for _, s := range setups {
		t.Run(s.name, func(t *testing.T) {
			checkNumbers(t, build(t, s)).log()
		})
	}
}

// checkNumbers compares the two filters of p on the numbers of x86_64, i386 and x32.
func checkNumbers(t *testing.T, p pair) *mismatches {
	t.Helper()
	m := &mismatches{t: t}
	for _, name := range []string{"x86_64", "i386", "x32"} {
		ap := p.arch(t, name)
		for _, nr := range numbersOf(ap) {
			d := ir.SeccompData{Nr: int32(nr), Arch: ap.Arch.Audit}
			scc, _ := p.runScc(t, d)
			lib, _ := p.runLib(t, d)
			if why, what, ok := explainNumber(ap, nr, scc, lib); ok {
				m.explained(why, what)
				continue
			}
			m.check(d, scc, lib, "zero arguments")
		}
	}
	return m
}

// TestBadArch: a call from an arch the profile does not name is killed by both filters;
// scc kills the process, libseccomp (runc leaves its bad-arch action at the default) the
// thread. This is the one difference in the verdicts on numbers, by design.
func TestBadArch(t *testing.T) {
	p := build(t, setups[0])
	for _, audit := range []uint32{0xc00000b7 /* aarch64 */, 0x40000028 /* arm */, 0} {
		for _, nr := range []uint32{0, 1, 59, ir.SkippedSyscall} {
			d := ir.SeccompData{Nr: int32(nr), Arch: audit}
			scc, _ := p.runScc(t, d)
			lib, _ := p.runLib(t, d)
			if scc != ir.ActKillProcess.Ret() || lib != ir.ActKillThread.Ret() {
				t.Errorf("%s: scc %s, libseccomp %s; want kill_process and kill_thread",
					callString(d), verdict(scc), verdict(lib))
			}
		}
	}
}

// scmpArches maps scc's arch names onto libseccomp-golang's.
var scmpArches = map[string]seccomp.ScmpArch{
	"x86_64": seccomp.ArchAMD64, "i386": seccomp.ArchX86, "x32": seccomp.ArchX32,
}

// explainNumber explains a disagreement on a syscall number, if it has one of the known
// causes:
//
//   - libseccomp does not know the syscall's name on the arch (2.5.4's tables end before
//     the newest syscalls): runc skips the profile's rules for it, so libseccomp's filter
//     returns the default where scc's follows the profile. A libseccomp limitation.
//   - scc's table of the arch lacks a number that libseccomp's has: the profile's rule for
//     that name cannot be written, so scc returns the default. An scc bug (stdlib's x32
//     table comes from linux-libc-dev's headers, Linux 6.1 on Debian 12, and lacks the
//     syscalls added since); it is reported, not hidden: the message says so.
func explainNumber(ap *ir.ArchPolicy, nr, scc, lib uint32) (why, what string, ok bool) {
	arch, known := scmpArches[ap.Arch.Name]
	if !known || scc == lib {
		return "", "", false
	}
	dflt := ap.Default.Ret()
	if name, inScc := ap.Names[nr]; inScc {
		if _, err := seccomp.GetSyscallFromNameByArch(name, arch); err != nil && lib == dflt {
			return fmt.Sprintf("libseccomp %s does not know these syscalls, runc skips their rules "+
				"(libseccomp: the default; scc: the profile's action)", libVersion()), name + "/" + ap.Arch.Name, true
		}
		return "", "", false
	}
	if name, err := seccomp.ScmpSyscall(int32(nr)).GetNameByArch(arch); err == nil && scc == dflt {
		return "SCC BUG, reported: scc's x32 table (stdlib, from Linux 6.1 headers) lacks these syscalls " +
			"that libseccomp's has (scc: the default; libseccomp: the profile's action)", fmt.Sprintf("%s/%s (%#x)", name, ap.Arch.Name, nr), true
	}
	return "", "", false
}

// libVersion is the version of the libseccomp the tests link.
func libVersion() string {
	major, minor, micro := seccomp.GetLibraryVersion()
	return fmt.Sprintf("%d.%d.%d", major, minor, micro)
}
