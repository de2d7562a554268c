//go:build linux && cgo

package libseccomp

import (
	"math/rand/v2"
	"testing"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/tests/differential"
	seccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/net/bpf"
)

// policyBuilder adds rules by syscall name to a policy's arches, skipping names an arch does
// not have and, on multiplexing arches, the calls Build refuses there.
type policyBuilder struct {
	t *testing.T
	p *ir.Policy
}

func newPolicy(t *testing.T, def ir.Action, archNames ...string) *policyBuilder {
	p := &ir.Policy{Name: "fixed", BadArch: ir.ActKillProcess}
	for _, a := range arches(t, archNames...) {
		table := Syscalls(a)
		ap := &ir.ArchPolicy{Arch: a, Default: def, Rules: map[uint32][]ir.Rule{}, Names: map[uint32]string{}}
		ap.MaxKnown = table[len(table)-1].Nr
		p.Arches = append(p.Arches, ap)
	}
	return &policyBuilder{t: t, p: p}
}

// add appends a rule for each named syscall on every arch that has it; cond is built per
// arch (nil: unconditional).
func (b *policyBuilder) add(act ir.Action, cond ir.Cond, names ...string) *policyBuilder {
	for _, ap := range b.p.Arches {
		info, _ := lookupArch(ap.Arch.Name)
		sa, err := seccomp.GetArchFromString(info.scmp)
		if err != nil {
			b.t.Fatal(err)
		}
		for _, name := range names {
			n, err := seccomp.GetSyscallFromNameByArch(name, sa)
			if err != nil || n < 0 || (info.mux && muxNames[name]) {
				continue
			}
			nr := uint32(n)
			ap.Rules[nr] = append(ap.Rules[nr], ir.Rule{Cond: cond, Action: act})
			ap.Names[nr] = name
		}
	}
	return b
}

// Constants of the fixed policies.
const (
	afUnix, afInet, afInet6, afPacket = 1, 2, 10, 17
	protExec                          = 4
	fGetfd, fSetfd, fGetfl, fSetfl    = 1, 2, 3, 4
	tcgets                            = 0x5401
)

func in32(arg int, vals ...uint64) ir.Cond {
	var or ir.Or
	for _, v := range vals {
		or = append(or, eq32(arg, v))
	}
	return or
}

// webServer is a web server's allow list: socket domains checked, no executable mappings.
func webServer(t *testing.T) *ir.Policy {
	return newPolicy(t, eperm, "x86_64", "i386", "x32").
		add(allow, nil, "read", "write", "readv", "writev", "close", "futex", "exit_group", "exit",
			"rt_sigreturn", "rt_sigaction", "rt_sigprocmask", "sigaltstack", "epoll_wait",
			"epoll_pwait", "epoll_ctl", "epoll_create1", "accept4", "recvfrom", "sendto", "recvmsg",
			"sendmsg", "shutdown", "bind", "listen", "setsockopt", "getsockopt", "getsockname",
			"getpeername", "openat", "fstat", "newfstatat", "fstat64", "lseek", "brk", "munmap",
			"madvise", "clock_gettime", "gettimeofday", "nanosleep", "clock_nanosleep", "getpid",
			"gettid", "getrandom", "sched_yield", "pipe2", "dup", "dup3", "eventfd2",
			"timerfd_create", "timerfd_settime", "sendfile", "uname", "prlimit64",
			"set_robust_list", "rseq", "tgkill").
		add(allow, in32(0, afUnix, afInet, afInet6), "socket").
		add(allow, ir.Cmp{Arg: 2, Width: 32, Mask: protExec, Op: ir.EQ, Value: 0}, "mmap", "mmap2", "mprotect").
		add(allow, in32(1, fGetfd, fSetfd, fGetfl, fSetfl), "fcntl", "fcntl64").
		add(allow, eq32(1, tcgets), "ioctl").
		add(ir.ActKillProcess, nil, "ptrace", "process_vm_writev").
		add(ir.ActLog, nil, "personality").p
}

// call makes a seccomp_data for a named syscall of an arch.
func call(t *testing.T, arch, name string, args ...uint64) program.SeccompData {
	a := arches(t, arch)[0]
	info, _ := lookupArch(arch)
	sa, _ := seccomp.GetArchFromString(info.scmp)
	n, err := seccomp.GetSyscallFromNameByArch(name, sa)
	if err != nil {
		t.Fatalf("%s on %s: %v", name, arch, err)
	}
	d := program.SeccompData{Nr: int32(n), Arch: a.Audit}
	copy(d.Args[:], args)
	return d
}

func TestWebServerPolicy(t *testing.T) {
	p := webServer(t)
	kill := ir.ActKillProcess
	expect := []struct {
		d    program.SeccompData
		want ir.Action
	}{
		{call(t, "x86_64", "socket", afInet, 1, 0), allow},
		{call(t, "x86_64", "socket", 0xdead00000000|afInet6, 1, 0), allow}, // int: low half only
		{call(t, "x86_64", "socket", afPacket, 3, 0), eperm},
		{call(t, "x32", "socket", afUnix, 1, 0), allow},
		{call(t, "x86_64", "mmap", 0, 4096, 3), allow},
		{call(t, "x86_64", "mmap", 0, 4096, 5), eperm},
		{call(t, "x86_64", "mprotect", 0, 4096, 1|1<<34), allow},
		{call(t, "i386", "mmap2", 0, 4096, 7), eperm},
		{call(t, "i386", "read", 0, 0, 0), allow},
		{call(t, "x32", "read", 0, 0, 0), allow},
		{call(t, "x32", "ptrace", 0, 0, 0), kill},
		{call(t, "x86_64", "fcntl", 3, fSetfl, 0), allow},
		{call(t, "x86_64", "fcntl", 3, 1030, 0), eperm}, // F_DUPFD_CLOEXEC
		{call(t, "x86_64", "ioctl", 1, 0xffffffff00000000|tcgets), allow},
		{call(t, "x86_64", "personality", 0), ir.ActLog},
		{call(t, "aarch64", "read"), kill},
		{call(t, "x86_64", "execve"), eperm},
	}
	for _, opt := range []int{OptimizeLinear, OptimizeBinaryTree} {
		prog, err := Build(p, Options{Optimize: opt})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range expect {
			got := ir.ActionFromRet(mustRun(t, prog, e.d))
			if want := p.Decide(e.d); got != e.want || want != e.want {
				t.Errorf("opt %d: nr %d arch %#x args %#x: libseccomp %v, ir %v, want %v", opt, e.d.Nr, e.d.Arch, e.d.Args[:3], got, want, e.want)
			}
		}
		ta := newTally()
		ta.check(t, p, Options{Optimize: opt}, prog, differential.Calls(rand.New(rand.NewPCG(3, uint64(opt))), p, 5000))
		ta.log(t, "web server")
		if ta.libBugs > 0 {
			t.Errorf("libseccomp miscompiled the web server policy")
		}
	}
}

// denied are the calls the big allow list leaves out.
var denied = []string{
	"ptrace", "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
	"reboot", "swapon", "swapoff", "mount", "umount2", "pivot_root", "bpf", "perf_event_open",
	"userfaultfd", "open_by_handle_at", "acct", "syslog",
}

// bigAllowList allows every x86_64 syscall of libseccomp's table but the denied ones.
func bigAllowList(t *testing.T, archNames ...string) (*ir.Policy, int) {
	skip := map[string]bool{}
	for _, n := range denied {
		skip[n] = true
	}
	var names []string
	for _, sc := range Syscalls(arches(t, "x86_64")[0]) {
		if !skip[sc.Name] {
			names = append(names, sc.Name)
		}
	}
	return newPolicy(t, eperm, archNames...).add(allow, nil, names...).p, len(names)
}

// TestBigAllowListStats records libseccomp's size and speed on a big allow list, for
// comparison with scc's: instructions, and steps over every x86_64 syscall of the table.
func TestBigAllowListStats(t *testing.T) {
	for _, set := range [][]string{{"x86_64"}, {"x86_64", "i386", "x32"}} {
		p, n := bigAllowList(t, set...) // 350 of libseccomp's 368 x86_64 syscalls
		for _, opt := range []int{OptimizeLinear, OptimizeBinaryTree} {
			prog, err := Build(p, Options{Optimize: opt})
			if err != nil {
				t.Fatal(err)
			}
			mean, max := stepStats(t, prog, p)
			t.Logf("%v, %d allowed, optimize %d: %d instructions, steps over x86_64 syscalls: mean %.2f, max %d",
				set, n, opt, len(prog), mean, max)
		}
	}
}

// stepStats runs every x86_64 syscall of the table with zero arguments, checking verdicts.
func stepStats(t *testing.T, prog []bpf.RawInstruction, p *ir.Policy) (mean float64, max int) {
	table := Syscalls(arches(t, "x86_64")[0])
	total := 0
	for _, sc := range table {
		d := program.SeccompData{Nr: int32(sc.Nr), Arch: ir.AuditArchX86_64}
		ret, steps, err := Exec(prog, d)
		if err != nil || ret != p.Decide(d).Ret() {
			t.Fatalf("%s: ret %#x, err %v, ir %v", sc.Name, ret, err, p.Decide(d))
		}
		total += steps
		if steps > max {
			max = steps
		}
	}
	return float64(total) / float64(len(table)), max
}
