//go:build linux

package cli

import (
	"fmt"
	"strings"

	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/kerneltest"
	"github.com/scc-dev/scc/loader"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/stdlib"
)

// kernelChecker checks one build's expectations in the running kernel.
type kernelChecker struct {
	f   *loader.Filter
	err error // the filter could not be loaded
}

func newKernelChecker(out *pipeline.Output) *kernelChecker {
	blob, err := out.Filter.Blob().MarshalBinary()
	if err != nil {
		return &kernelChecker{err: err}
	}
	f, err := loader.LoadBlob(blob, loader.Options{})
	return &kernelChecker{f: f, err: err}
}

// check runs one expectation in the kernel (see package kerneltest): the filter's action on
// the call is observed without making the call, unless the program can return trace and the
// call must be made to tell trace from allow; then it is made only when safeToMake says so.
func (k *kernelChecker) check(e compiler.Expect) kernelResult {
	abi, ok := kerneltest.ABIFor(e.Data.Arch)
	if !ok {
		return kernelResult{status: kernelOtherArch, msg: "not this machine's arch"}
	}
	if err := kerneltest.Supports(abi); err != nil {
		return kernelResult{status: kernelOtherArch, msg: err.Error()}
	}
	if k.err != nil {
		return kernelResult{status: kernelFailed, msg: k.err.Error()}
	}
	call := kerneltest.Call{ABI: abi, Nr: uint64(uint32(e.Data.Nr)), Args: e.Data.Args}
	safe, why := safeToMake(e)
	v, err := kerneltest.Check(k.f, call, safe)
	switch {
	case err != nil:
		return kernelResult{status: kernelFailed, msg: err.Error()}
	case !v.Matches(e.Want):
		return kernelResult{status: kernelFailed, msg: "got " + v.String()}
	case v.Unresolved:
		return kernelResult{status: kernelUnsafe,
			msg: fmt.Sprintf("%s, not made: %s", v, why)}
	}
	return kernelResult{status: kernelChecked, msg: v.String()}
}

// safeCalls are the syscalls `scc test --kernel` may make for real, by name on the x86
// arches. Each harms nothing outside the disposable child when it runs with the arguments
// safeToMake lets through: it reads or creates state of the child's own (its descriptors,
// its umask, its personality), or fails on its NULL-ish pointers. Missing on purpose: what
// acts on other processes or the system (kill, ptrace, mount, reboot, setuid, ...), what
// ends or replaces the child (exit, execve, clone), and what could break its Go runtime
// (munmap, mprotect, brk, rt_sigaction, ...).
var safeCalls = map[string]bool{}

func init() {
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
		safeCalls[n] = true
	}
}

// safeIoctls are the ioctl requests safeToMake lets through: they only read.
var safeIoctls = map[uint32]bool{
	0x5401: true, // TCGETS
	0x540f: true, // TIOCGPGRP
	0x5413: true, // TIOCGWINSZ
	0x541b: true, // FIONREAD
	0x5429: true, // TIOCGSID
}

// lowMemory bounds the pointers safeToMake lets through: nothing is ever mapped below 64 KiB
// in the child (vm.mmap_min_addr, and Go maps nothing there), so the kernel fails them with
// EFAULT and reads or writes nothing through them.
const lowMemory = 64 << 10

// harnessFD is the child's descriptor for its reports (see kerneltest): a call must not touch it.
const harnessFD = 3

// safeToMake tells whether the expectation's call may be made for real in the kernel test's
// child, and if not, why.
func safeToMake(e compiler.Expect) (bool, string) {
	name, ok := stdlib.SyscallName(e.Arch.Name, uint32(e.Data.Nr))
	if !ok || !safeCalls[name] {
		return false, "not on the list of calls safe to make"
	}
	sig, ok := stdlib.LookupSignature(e.Arch.Name, name)
	if !ok {
		return false, "its signature is unknown"
	}
	args := e.Data.Args
	for i, p := range sig.Params {
		v := args[i]
		if p.Bits < 64 {
			v &= 1<<p.Bits - 1
		}
		switch {
		case strings.Contains(p.Type, "*") && v >= lowMemory:
			return false, fmt.Sprintf("its pointer %s is not below 64 KiB", p.Name)
		case strings.HasSuffix(p.Name, "fd") && v == harnessFD:
			return false, fmt.Sprintf("its %s is 3, the harness's own", p.Name)
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
