//go:build linux && amd64

package e2e_test

import (
	"testing"

	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/tests/kernel"
)

// garbage is a high half that userspace may leave in a 32-bit argument's register.
const garbage = 0xdeadbeef_00000000

// TestComparisons32 covers every comparison operator on 32-bit (int) arguments, whose high
// halves must be ignored: every matching value is also tried with garbage above it.
func TestComparisons32(t *testing.T) {
	src := policy("allow",
		"errno(1010) fchmod if fd == 0xfffffff0",
		"errno(1011) fchmod if fd != 0xffffffff",
		"errno(1012) getpriority if which > 100 && who <= 5",
		"errno(1013) getpriority if which >= 50 && which < 60",
	)
	fchmod := func(fd uint64) kernel.Call { return sys("fchmod", unix.SYS_FCHMOD, fd, 0o644) }
	prio := func(which, who uint64) kernel.Call { return sys("getpriority", unix.SYS_GETPRIORITY, which, who) }
	prove(t, src, []probe{
		{fchmod(0xfffffff0), errno(1010)},
		{fchmod(garbage | 0xfffffff0), errno(1010)},
		{fchmod(0xfffffff1), errno(1011)},
		{fchmod(0xffffffff), allow},
		{fchmod(garbage | 0xffffffff), allow},
		{fchmod(^uint64(0)), allow},
		{prio(101, 5), errno(1012)},
		{prio(garbage|101, garbage|5), errno(1012)},
		{prio(0xffffffff, 0), errno(1012)},
		{prio(100, 5), allow},
		{prio(101, 6), allow},
		{prio(101, garbage|6), allow},
		{prio(50, 6), errno(1013)},
		{prio(garbage|59, 6), errno(1013)},
		{prio(49, 0), allow},
		{prio(60, 0), allow},
		{prio(0, 0), allow},
	})
}

// TestComparisons64 covers 64-bit arguments, where both halves of the register matter: the
// lseek and ftruncate offsets and mmap's address and length.
func TestComparisons64(t *testing.T) {
	src := policy("allow",
		"errno(1014) lseek if offset == 0x100000005",
		"errno(1015) lseek if offset > 0xffffffff && whence == SEEK_CUR",
		"errno(1016) lseek if offset < 16 && offset >= 8",
		"errno(1017) ftruncate if length <= 0x100000000 && length >= 0xffffffff",
		"errno(1018) mmap if addr == 0x700000000000 && length > 0x100000000",
	)
	lseek := func(off, whence uint64) kernel.Call { return sys("lseek", unix.SYS_LSEEK, 0xffffffff, off, whence) }
	ftrunc := func(n uint64) kernel.Call { return sys("ftruncate", unix.SYS_FTRUNCATE, 0xffffffff, n) }
	mmap := func(addr, n uint64) kernel.Call { return sys("mmap", unix.SYS_MMAP, addr, n, 0, 0, 0xffffffff, 0) }
	prove(t, src, []probe{
		{lseek(0x100000005, 0), errno(1014)},
		{lseek(5, 0), allow},
		{lseek(0x200000005, 0), allow},
		{lseek(0x100000000, unix.SEEK_CUR), errno(1015)},
		{lseek(0x100000000, garbage|unix.SEEK_CUR), errno(1015)},
		{lseek(0xffffffff, unix.SEEK_CUR), allow},
		{lseek(0x100000000, unix.SEEK_END), allow},
		{lseek(8, 0), errno(1016)},
		{lseek(15, 0), errno(1016)},
		{lseek(0x100000008, 0), allow},
		{lseek(16, 0), allow},
		{ftrunc(0xffffffff), errno(1017)},
		{ftrunc(0x100000000), errno(1017)},
		{ftrunc(0x100000001), allow},
		{ftrunc(0xfffffffe), allow},
		{ftrunc(0x1ffffffff), allow},
		{mmap(0x700000000000, 0x100001000), errno(1018)},
		{mmap(0x700000000000, 0x100000000), allow},
		{mmap(0x700000000000, 0x1000), allow},
		{mmap(0x000000000000, 0x100001000), allow},
		{mmap(0x700100000000, 0x100001000), allow},
	})
}

// TestMasks covers `ARG & M == V` and the JSET form `ARG & M != 0`, on 32-bit arguments
// (where bits of the high half never count) and on 64-bit ones.
func TestMasks(t *testing.T) {
	src := policy("allow",
		"errno(1019) umask if mask & 0o077 == 0o022",
		"errno(1020) fchmod if mode & 0o4000 != 0",
		"errno(1021) mmap if prot & PROT_EXEC != 0 && addr & 0xffff000000000000 == 0xdead000000000000",
		"errno(1022) mmap if length & 0x100000001 == 0x100000000",
	)
	umask := func(m uint64) kernel.Call { return sys("umask", unix.SYS_UMASK, m) }
	fchmod := func(mode uint64) kernel.Call { return sys("fchmod", unix.SYS_FCHMOD, 0xffffffff, mode) }
	mmap := func(addr, n, prot uint64) kernel.Call {
		return sys("mmap", unix.SYS_MMAP, addr, n, prot, 0, 0xffffffff, 0)
	}
	prove(t, src, []probe{
		{umask(0o022), errno(1019)},
		{umask(garbage | 0o7722), errno(1019)},
		{umask(0o027), allow},
		{fchmod(0o4755), errno(1020)},
		{fchmod(garbage | 0o4000), errno(1020)},
		{fchmod(0o755), allow},
		{fchmod(0o4000 << 32), allow},
		{mmap(0xdead_1234_5678_0000, 0x1000, unix.PROT_EXEC|unix.PROT_READ), errno(1021)},
		{mmap(0xdead_1234_5678_0000, 0x1000, garbage|unix.PROT_EXEC), errno(1021)},
		{mmap(0xdead_1234_5678_0000, 0x1000, unix.PROT_READ), allow},
		{mmap(0xdeae_0000_0000_0000, 0x1000, unix.PROT_EXEC), allow},
		{mmap(0, 0x100000000, 0), errno(1022)},
		{mmap(0, 0x1000000fe, 0), errno(1022)},
		{mmap(0, 0x100000001, 0), allow},
		{mmap(0, 0x000000000, 0), allow},
	})
}

// TestLogicAndSets covers `in {…}`, `!`, `&&`, `||`, parentheses and Go's precedence
// (`a || b && c` is `a || (b && c)`).
func TestLogicAndSets(t *testing.T) {
	src := policy("allow",
		"errno(1023) getpgid if pid in {1, 2, 0x7fffffff}",
		"errno(1024) getsid if !(pid == 5 || pid == 6) && (pid < 100 || pid > 0xfffffff0)",
		"errno(1025) sched_getscheduler if pid == 1 || pid > 10 && pid < 20",
	)
	pgid := func(p uint64) kernel.Call { return sys("getpgid", unix.SYS_GETPGID, p) }
	sid := func(p uint64) kernel.Call { return sys("getsid", unix.SYS_GETSID, p) }
	sched := func(p uint64) kernel.Call { return sys("sched_getscheduler", unix.SYS_SCHED_GETSCHEDULER, p) }
	prove(t, src, []probe{
		{pgid(1), errno(1023)},
		{pgid(garbage | 2), errno(1023)},
		{pgid(0x7fffffff), errno(1023)},
		{pgid(3), allow},
		{pgid(1 << 32), allow},
		{sid(5), allow},
		{sid(garbage | 6), allow},
		{sid(7), errno(1024)},
		{sid(99), errno(1024)},
		{sid(100), allow},
		{sid(0xfffffff5), errno(1024)},
		{sid(garbage | 0xfffffff0), allow},
		{sched(1), errno(1025)},
		{sched(15), errno(1025)},
		{sched(garbage | 11), errno(1025)},
		{sched(25), allow},
		{sched(5), allow},
	})
}

// TestNegativeConstants: AT_FDCWD and -1 stand for their two's complement at the argument's
// width: 32 bits for an int (so a sign-extended register matches too), 64 for a long.
func TestNegativeConstants(t *testing.T) {
	src := policy("allow",
		"errno(1026) faccessat if dfd == AT_FDCWD",
		"errno(1027) ftruncate if length == -1",
		"errno(1028) dup if oldfd == -1",
	)
	access := func(dfd uint64) kernel.Call { return sys("faccessat", unix.SYS_FACCESSAT, dfd, 1, 0) }
	ftrunc := func(n uint64) kernel.Call { return sys("ftruncate", unix.SYS_FTRUNCATE, 0xffffffff, n) }
	dup := func(fd uint64) kernel.Call { return sys("dup", unix.SYS_DUP, fd) }
	fdcwd := int32(unix.AT_FDCWD)
	atFDCWD := uint64(uint32(fdcwd))
	prove(t, src, []probe{
		{access(atFDCWD), errno(1026)},
		{access(0xffffffff00000000 | atFDCWD), errno(1026)},
		{access(garbage | atFDCWD), errno(1026)},
		{access(atFDCWD + 1), allow},
		{ftrunc(^uint64(0)), errno(1027)},
		{ftrunc(0xffffffff), allow},
		{ftrunc(0xffffffff00000000), allow},
		{dup(0xffffffff), errno(1028)},
		{dup(^uint64(0)), errno(1028)},
		{dup(0xfffffffe), allow},
	})
}
