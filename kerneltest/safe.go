//go:build linux

package kerneltest

import (
	"fmt"
	"strings"
	"sync"

	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/stdlib"
)

// safeCalls are the syscalls a kernel test may make for real, by name on the x86 arches.
// Each harms nothing outside the disposable child when it runs with the arguments
// SafeToMake lets through: it reads or creates state of the child's own (its descriptors,
// its umask, its personality), or fails on its NULL-ish pointers. Missing on purpose: what
// acts on other processes or the system (kill, ptrace, mount, reboot, setuid, ...), what
// ends or replaces the child (exit, execve, clone), and what could break its Go runtime
// (munmap, mprotect, brk, rt_sigaction, ...).
// They are put in a set on first use, not when every scc process starts.
var safeCalls = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(`
		read write pread64 pwrite64 readv writev preadv pwritev preadv2 pwritev2 lseek _llseek
		close dup dup2 dup3 fcntl fcntl64 ioctl
		fstat fstat64 newfstatat fstatat64 stat stat64 lstat lstat64 statx fstatfs fstatfs64
		statfs statfs64 access faccessat faccessat2 readlink readlinkat getcwd getdents getdents64
		open openat openat2 mkdir mkdirat
		socket socketpair getsockname getpeername getsockopt socketcall
		epoll_create epoll_create1 eventfd eventfd2 pipe pipe2 mmap mmap2
		getpid getppid gettid getuid geteuid getgid getegid getuid32 geteuid32 getgid32
		getegid32 getresuid getresgid getresuid32 getresgid32 getgroups getgroups32 getpgrp
		getpgid getsid getpriority sched_yield sched_getaffinity sched_getscheduler
		sched_getparam uname olduname sysinfo time gettimeofday clock_gettime clock_gettime64
		clock_getres clock_getres_time64 getrlimit ugetrlimit getrusage times umask getrandom
		capget personality`) {
		m[n] = true
	}
	return m
})

// safeIoctls are the ioctl requests SafeToMake lets through: they only read.
var safeIoctls = map[uint32]bool{
	0x5401: true, // TCGETS
	0x540f: true, // TIOCGPGRP
	0x5413: true, // TIOCGWINSZ
	0x541b: true, // FIONREAD
	0x5429: true, // TIOCGSID
}

// lowMemory bounds the pointers SafeToMake lets through: nothing is ever mapped below 64 KiB
// in the child (vm.mmap_min_addr, and Go maps nothing there), so the kernel fails them with
// EFAULT and reads or writes nothing through them.
const lowMemory = 64 << 10

// SafeToMake tells whether a call of arch (scc's name: x86_64, i386, x32) with data may be
// made for real in the kernel test's child (Check's mayMake), and if not, why.
func SafeToMake(arch string, data program.SeccompData) (bool, string) {
	name, ok := stdlib.SyscallName(arch, uint32(data.Nr))
	if !ok || !safeCalls()[name] {
		return false, "not on the list of calls safe to make"
	}
	sig, ok := stdlib.LookupSignature(arch, name)
	if !ok {
		return false, "its signature is unknown"
	}
	args := data.Args
	for i, p := range sig.Params {
		v := args[i]
		if p.Bits < 64 {
			v &= 1<<p.Bits - 1
		}
		switch {
		case strings.Contains(p.Type, "*") && v >= lowMemory:
			return false, fmt.Sprintf("its pointer %s is not below 64 KiB", p.Name)
		case strings.HasSuffix(p.Name, "fd") && v == reportFD:
			return false, fmt.Sprintf("its %s is %d, the harness's own", p.Name, reportFD)
		}
	}
	switch name {
	case "ioctl", "fcntl", "fcntl64":
		if args[2] >= lowMemory {
			return false, "its third argument may be a pointer, and is not below 64 KiB"
		}
		if name == "ioctl" && !safeIoctls[uint32(args[1])] {
			return false, "its request is not one that only reads"
		}
	case "mmap", "mmap2":
		if args[3]&(0x10|0x100000) != 0 { // MAP_FIXED, MAP_FIXED_NOREPLACE
			return false, "it maps at a fixed address"
		}
	}
	return true, ""
}
