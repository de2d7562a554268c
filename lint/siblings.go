package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/lint/bdd"
	"github.com/scc-dev/scc/stdlib"
)

// families are syscalls that do the same job: denying one while allowing another is a bypass.
var families = [][]string{
	{"open", "openat", "openat2", "creat"},
	{"execve", "execveat"},
	{"stat", "lstat", "newfstatat", "fstatat64", "statx", "stat64", "lstat64", "oldstat", "oldlstat"},
	{"access", "faccessat", "faccessat2"},
	{"dup", "dup2", "dup3"},
	{"rename", "renameat", "renameat2"},
	{"chmod", "fchmodat", "fchmodat2"},
	{"chown", "lchown", "fchownat", "chown32", "lchown32"},
	{"link", "linkat"},
	{"symlink", "symlinkat"},
	{"unlink", "unlinkat"},
	{"rmdir", "unlinkat"},
	{"mkdir", "mkdirat"},
	{"mknod", "mknodat"},
	{"readlink", "readlinkat"},
	{"utime", "utimes", "futimesat", "utimensat"},
	{"setuid", "setuid32", "setreuid", "setreuid32", "setresuid", "setresuid32"},
	{"setgid", "setgid32", "setregid", "setregid32", "setresgid", "setresgid32"},
	{"kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_send_signal"},
	{"mmap", "mmap2"},
	{"clone", "clone3"},
	{"sendfile", "sendfile64"},
}

// socketCalls are the socket syscalls that i386's socketcall(2) multiplexes, with its call
// numbers (SYS_SOCKET, …, <linux/net.h>).
var socketCalls = map[string]uint64{
	"socket": 1, "bind": 2, "connect": 3, "listen": 4, "accept": 5, "getsockname": 6,
	"getpeername": 7, "socketpair": 8, "send": 9, "recv": 10, "sendto": 11, "recvfrom": 12,
	"shutdown": 13, "setsockopt": 14, "getsockopt": 15, "sendmsg": 16, "recvmsg": 17,
	"accept4": 18, "recvmmsg": 19, "sendmmsg": 20,
}

// ipcCalls are the SysV IPC syscalls that ipc(2) multiplexes, with its call numbers (the
// low 16 bits of its first argument; the high ones are a version).
var ipcCalls = map[string]uint64{
	"semop": 1, "semget": 2, "semctl": 3, "semtimedop": 4, "msgsnd": 11, "msgrcv": 12,
	"msgget": 13, "msgctl": 14, "shmat": 21, "shmdt": 22, "shmget": 23, "shmctl": 24,
}

// denies returns the predicate of the actions that refuse a call on an arch. errno(ENOSYS)
// is not one: it asks libc to fall back to another syscall, on purpose.
func denies(arch string) func(ir.Action) bool {
	enosys, _ := stdlib.Constant(arch, "ENOSYS")
	return func(a ir.Action) bool {
		switch a.Kind {
		case ir.KillProcess, ir.KillThread, ir.Trap:
			return true
		case ir.Errno:
			return uint64(a.Data) != enosys
		}
		return false
	}
}

// restricted returns where the syscall's own rules (it must have some) or the default refuse
// it, and the rule to report that at.
func (s *sysInfo) restricted(deny func(ir.Action) bool) (bdd.Node, ir.Rule, bool) {
	if len(s.rules) == 0 {
		return bdd.False, ir.Rule{}, false
	}
	where := s.region(deny)
	if where == bdd.False {
		return where, ir.Rule{}, false
	}
	for i, r := range s.rules {
		if deny(r.Action) && s.decides[i] {
			return where, r, true
		}
	}
	return where, s.rules[0], true
}

// allowsAll tells whether every call of the syscall is let through.
func (s *sysInfo) allowsAll() bool {
	return s.region(func(a ir.Action) bool { return !allows(a) }) == bdd.False
}

// checkSiblings reports a syscall its rules restrict while a sibling is allowed outright.
func (l *linter) checkSiblings() {
	var gs groups
	for _, ap := range l.res.Policy.Arches {
		deny := denies(ap.Arch.Name)
		for _, fam := range families {
			for _, a := range fam {
				sa, ok := l.sysByName(ap, a)
				if !ok {
					continue
				}
				var r ir.Rule
				if l.analyse(sa, -1, func() { _, r, ok = sa.restricted(deny) }) && ok {
					l.siblingsOf(ap, fam, a, r, &gs)
				}
			}
		}
	}
	l.flush(&gs)
}

func (l *linter) siblingsOf(ap *ir.ArchPolicy, fam []string, a string, r ir.Rule, gs *groups) {
	for _, b := range fam {
		sb, ok := l.sysByName(ap, b)
		if b == a || !ok {
			continue
		}
		all := false
		if !l.analyse(sb, -1, func() { all = sb.allowsAll() }) || !all {
			continue
		}
		gs.note(a, SiblingBypass, l.namePos(r, a), b, ap.Arch.Name, func(g *group) (string, string) {
			verb := "does"
			if len(g.syscalls) > 1 {
				verb = "do"
			}
			return fmt.Sprintf("%s is refused here, but %s, which %s the same, is allowed for every call", a, l.names(g), verb),
				fmt.Sprintf("refuse %s the same way as %s", strings.Join(g.syscalls, ", "), a)
		})
	}
}

// checkMultiplexers reports, on i386, restricted socket and IPC calls that socketcall(2) and
// ipc(2) still allow.
func (l *linter) checkMultiplexers() {
	var gs groups
	for _, ap := range l.res.Policy.Arches {
		if ap.Arch.Name != "i386" {
			continue
		}
		l.checkMux(ap, "socketcall", socketCalls, 0xffffffff, SocketcallBypass, &gs)
		l.checkMux(ap, "ipc", ipcCalls, 0xffff, IPCBypass, &gs)
	}
	l.flush(&gs)
}

func (l *linter) checkMux(ap *ir.ArchPolicy, mux string, calls map[string]uint64, mask uint64, check string, gs *groups) {
	sm, ok := l.sysByName(ap, mux)
	if !ok {
		return
	}
	var allowed bdd.Node
	if !l.analyse(sm, -1, func() { allowed = sm.region(allows) }) {
		return
	}
	deny := denies(ap.Arch.Name)
	names := make([]string, 0, len(calls))
	for name := range calls {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		s, ok := l.sysByName(ap, name)
		if !ok {
			continue
		}
		var r ir.Rule
		if !l.analyse(s, -1, func() { _, r, ok = s.restricted(deny) }) || !ok {
			continue
		}
		reached := false
		l.analyse(sm, -1, func() {
			sel := sm.m.Cmp(ir.Cmp{Arg: 0, Width: 32, Mask: mask, Op: ir.EQ, Value: calls[name]})
			reached = !sm.m.Disjoint(allowed, sel)
		})
		if !reached {
			continue
		}
		n := calls[name]
		gs.note(name, check, l.namePos(r, name), name, ap.Arch.Name, func(g *group) (string, string) {
			return muxMessage(mux, name, n)
		})
	}
}

func muxMessage(mux, name string, n uint64) (string, string) {
	msg := fmt.Sprintf("%s is refused here on i386, but %s(%d, …) is allowed and makes the same call with arguments in memory, out of seccomp's reach", name, mux, n)
	return msg, fmt.Sprintf("refuse %s (errno(ENOSYS) makes libc use the direct calls), or allow only the %s calls that are allowed directly: allow %s if call in {…}", mux, mux, mux)
}
