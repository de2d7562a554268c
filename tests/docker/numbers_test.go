//go:build linux && cgo

package docker

import (
	"fmt"
	"testing"

	seccomp "github.com/seccomp/libseccomp-golang"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
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
			d := program.SeccompData{Nr: int32(nr), Arch: ap.Arch.Audit}
			scc, _ := p.runScc(t, d)
			lib, _ := p.runLib(t, d)
			if why, what, ok := explainNumber(ap, nr, scc, lib); ok {
				m.explained(why, what)
				continue
			}
			if why, what, ok := explainThreshold(ap, p.libHighest, nr, scc, lib); ok {
				m.explained(why, what)
				continue
			}
			if name, ok := sccLacks(ap, nr, scc, lib); ok {
				m.fail("%s: scc %s, libseccomp %s: scc's %s table lacks %s, which libseccomp's has "+
					"(fix stdlib/internal/gen)", callString(d), verdict(scc), verdict(lib), ap.Arch.Name, name)
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
			d := program.SeccompData{Nr: int32(nr), Arch: audit}
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

// libAbsent lists the syscalls that scc's table has on an arch where libseccomp's says the
// syscall does not exist (a negative pseudo-number), each with the reason: the kernel moved
// them since libseccomp's table was made. Any other such syscall is a disagreement.
var libAbsent = map[string]string{
	"map_shadow_stack/x32": `"64" in syscall_64.tbl in Linux 6.6-6.9, "common" (so on x32 too) since 6.10`,
}

// explainNumber explains a disagreement on a syscall number, if it has one of the known
// causes, both libseccomp's tables being older than scc's (x/sys/unix):
//
//   - libseccomp does not know the syscall's name (2.5.4's tables end before the newest
//     syscalls): runc skips the profile's rules for it, so libseccomp's filter returns the
//     default where scc's follows the profile;
//   - libseccomp knows the name but not on this arch, where the kernel has since added it
//     (libAbsent): runc's rule for it matches no number there, the same effect.
//
// scc's table lacking a number that libseccomp's has is no explanation: sccLacks reports it.
func explainNumber(ap *ir.ArchPolicy, nr, scc, lib uint32) (why, what string, ok bool) {
	arch, known := scmpArches[ap.Arch.Name]
	if !known || scc == lib || lib != ap.Default.Ret() {
		return "", "", false
	}
	name, inScc := ap.Names[nr]
	if !inScc {
		return "", "", false
	}
	what = name + "/" + ap.Arch.Name
	sc, err := seccomp.GetSyscallFromNameByArch(name, arch)
	switch {
	case err != nil:
		return fmt.Sprintf("libseccomp %s does not know these syscalls, runc skips their rules "+
			"(libseccomp: the default; scc: the profile's action)", libVersion()), what, true
	case sc < 0 && libAbsent[what] != "":
		return fmt.Sprintf("libseccomp %s's table has these syscalls on other arches only, the kernel "+
			"since added them here (%s); runc skips their rules (libseccomp: the default; scc: the "+
			"profile's action)", libVersion(), libAbsent[what]), what, true
	}
	return "", "", false
}

// sccLacks says whether a disagreement is scc's table of the arch lacking a number that
// libseccomp's has, so that the profile's rule for it could not be written and scc returns
// the default: a defect of scc's tables (stdlib), never an accepted difference.
func sccLacks(ap *ir.ArchPolicy, nr, scc, lib uint32) (name string, ok bool) {
	arch, known := scmpArches[ap.Arch.Name]
	if !known || scc == lib || scc != ap.Default.Ret() {
		return "", false
	}
	if _, inScc := ap.Names[nr]; inScc {
		return "", false
	}
	name, err := seccomp.ScmpSyscall(int32(nr)).GetNameByArch(arch)
	return name, err == nil
}

// libVersion is the version of the libseccomp the tests link.
func libVersion() string {
	major, minor, micro := seccomp.GetLibraryVersion()
	return fmt.Sprintf("%d.%d.%d", major, minor, micro)
}

// explainThreshold says whether a disagreement is runc's ENOSYS stub starting lower than
// scc's: runc's compares with the highest name its libseccomp knows, scc's with the highest
// in scc's tables, so the numbers of the newer names between them get ENOSYS under runc
// and the profile's action (or the default, for a name the profile lacks) under scc.
func explainThreshold(ap *ir.ArchPolicy, libHighest map[string]uint32, nr, scc, lib uint32) (why, what string, ok bool) {
	top, stub := libHighest[ap.Arch.Name]
	enosys := ir.Action{Kind: ir.Errno, Data: 38}.Ret()
	if !stub || scc == lib || lib != enosys || nr <= top || !ap.Arch.Owns(nr) {
		return "", "", false
	}
	name, inScc := ap.Names[nr]
	if !inScc || ap.IsNewer(nr) {
		return "", "", false
	}
	return fmt.Sprintf("runc's ENOSYS stub starts above the highest name libseccomp %s knows; scc's above "+
		"the highest of the profile's names in scc's tables (libseccomp: ENOSYS; scc: the profile's action or the default)",
		libVersion()), name + "/" + ap.Arch.Name, true
}
