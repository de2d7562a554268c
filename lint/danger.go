package lint

import (
	"fmt"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/lint/bdd"
)

// dangerous gives, for each syscall that a sandbox should not allow outright, the reason.
var dangerous = map[string]string{
	"ptrace":            "it reads and writes the memory and registers of other processes",
	"process_vm_readv":  "it reads the memory of other processes",
	"process_vm_writev": "it writes the memory of other processes",
	"bpf":               "it loads eBPF programs into the kernel, a large attack surface",
	"kexec_load":        "it replaces the running kernel",
	"kexec_file_load":   "it replaces the running kernel",
	"init_module":       "it loads code into the kernel",
	"finit_module":      "it loads code into the kernel",
	"delete_module":     "it unloads kernel modules",
	"userfaultfd":       "it lets a process stall the kernel's page faults at will, a staple of kernel exploits",
	"perf_event_open":   "it exposes kernel counters and addresses, and is a frequent source of kernel bugs",
	"mount":             "it changes the mount table: files the sandbox relies on can be hidden or replaced",
	"umount2":           "it changes the mount table: files the sandbox relies on can be uncovered",
	"umount":            "it changes the mount table: files the sandbox relies on can be uncovered",
	"pivot_root":        "it changes the root file system",
	"move_mount":        "it changes the mount table",
	"fsmount":           "it creates mounts",
	"open_tree":         "it clones mount trees",
	"unshare":           "namespace flags create namespaces: a user namespace gives full capabilities in it and opens a large kernel attack surface",
	"clone":             "namespace flags create namespaces: a user namespace gives full capabilities in it and opens a large kernel attack surface",
	"clone3":            "its flags are in memory, where seccomp cannot look: it creates namespaces whatever the filter says",
	"setns":             "it joins other namespaces, possibly the host's",
	"personality":       "it can turn off address space randomization (ADDR_NO_RANDOMIZE) and change how syscalls behave",
	"keyctl":            "the kernel keyring is not namespaced (keys leak between containers), and it is a frequent source of kernel bugs",
	"add_key":           "the kernel keyring is not namespaced (keys leak between containers), and it is a frequent source of kernel bugs",
	"request_key":       "the kernel keyring is not namespaced (keys leak between containers), and it is a frequent source of kernel bugs",
	"open_by_handle_at": "it opens files by handle, past every path check (the \"shocker\" container escape)",
	"iopl":              "it gives direct access to I/O ports",
	"ioperm":            "it gives direct access to I/O ports",
	"swapon":            "it changes the host's swap",
	"swapoff":           "it changes the host's swap",
	"reboot":            "it reboots or halts the machine",
	"acct":              "it turns process accounting on, to any file",
	"syslog":            "it reads the kernel log, which leaks kernel addresses",
	"settimeofday":      "it sets the clock of the whole host",
	"clock_settime":     "it sets the clock of the whole host",
	"stime":             "it sets the clock of the whole host",
	"uselib":            "it loads an a.out library, an obsolete path with a history of bugs",
	"vm86":              "it enters virtual 8086 mode, an obsolete path with a history of bugs",
	"vm86old":           "it enters virtual 8086 mode, an obsolete path with a history of bugs",
}

// nsFlags are the namespace flags of clone and unshare that Docker's profile checks:
// CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID and
// CLONE_NEWNET. The values are the same on every arch.
const nsFlags = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000

// allows tells whether an action lets the call through.
func allows(a ir.Action) bool { return a.Kind == ir.Allow || a.Kind == ir.Log }

// checkDangerous reports dangerous syscalls that a reachable allow or log rule lets through
// without a condition (for clone and unshare: with namespace flags; clone3: at all).
func (l *linter) checkDangerous() {
	var gs groups
	for _, ap := range l.res.Policy.Arches {
		for _, nr := range sortedNrs(ap) {
			s := l.sys(ap, nr)
			reason, ok := dangerous[s.name]
			if !ok {
				continue
			}
			var risky []int
			if !l.analyse(s, -1, func() { risky = s.dangerousRules() }) {
				continue
			}
			for _, i := range risky {
				r := s.rules[i]
				name := s.name
				gs.note(name, DangerousSyscall, l.namePos(r, name), name, ap.Arch.Name, func(g *group) (string, string) {
					how := l.res.ActionText(ap.Arch.Name, r.Action)
					if !l.named(r, name) {
						how += ", through a group"
					}
					return dangerMessage(l.names(g), name, how, reason), dangerHint(name)
				})
			}
		}
	}
	l.flush(&gs)
}

// dangerousRules returns the allow rules of s, a dangerous syscall, that let it through
// unchecked.
func (s *sysInfo) dangerousRules() []int {
	var out []int
	for i, r := range s.rules {
		if allows(r.Action) && s.dangerousRule(i) {
			out = append(out, i)
		}
	}
	return out
}

// dangerousRule tells whether rule i of s, an allow rule of a dangerous syscall, lets it
// through unchecked.
func (s *sysInfo) dangerousRule(i int) bool {
	switch s.name {
	case "clone", "unshare":
		ns := s.m.Cmp(ir.Cmp{Arg: 0, Width: 32, Mask: nsFlags, Op: ir.NE, Value: 0})
		return !s.m.Disjoint(s.firstOf(i), ns)
	case "clone3":
		return s.decides[i]
	}
	return s.conds[i] == bdd.True && s.decides[i]
}

func dangerMessage(names, name, act, reason string) string {
	switch name {
	case "clone", "unshare":
		return fmt.Sprintf("%s is allowed (%s) with namespace flags such as CLONE_NEWUSER: %s", names, act, reason)
	}
	return fmt.Sprintf("%s is allowed (%s) without a condition: %s", names, act, reason)
}

func dangerHint(name string) string {
	switch name {
	case "clone", "unshare":
		return "deny the namespace flags first: errno(EPERM) " + name + " if flags & (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP) != 0"
	case "clone3":
		return "errno(ENOSYS) clone3: libc then falls back to clone, whose flags the filter can check"
	case "personality":
		return "allow only the harmless values: allow personality if persona in {0, 8, 0x20000, 0x20008, 0xffffffff}"
	}
	return "deny it (errno(EPERM) " + name + ", or kill " + name + "), or allow only the arguments the program needs"
}

// checkDefault reports a default (or default newer) of allow or log.
func (l *linter) checkDefault() {
	if l.root == nil || len(l.res.Policy.Arches) == 0 {
		return
	}
	ap := l.res.Policy.Arches[0]
	for _, st := range l.root.Body {
		d, ok := st.(*lang.DefaultStmt)
		if !ok {
			continue
		}
		switch {
		case d.Foreign: // the compiler refuses the actions that let a call through
		case d.Newer && ap.Newer != nil && allows(*ap.Newer):
			l.add(DefaultAllow, d.At, "use default newer errno(ENOSYS): libc then falls back to older calls",
				"the default for syscalls newer than scc's tables is %s: they are let through unchecked", *ap.Newer)
		case !d.Newer && allows(ap.Default):
			l.add(DefaultAllow, d.At, "default to errno(EPERM) or kill, and allow what the program needs",
				"the default is %s: every syscall no rule names is let through, including those the kernel adds later", ap.Default)
		}
	}
}

// checkEmpty reports a policy with no rule on any arch.
func (l *linter) checkEmpty() {
	for _, ap := range l.res.Policy.Arches {
		if len(ap.Rules) > 0 {
			return
		}
	}
	dflt := ir.ActKillProcess
	if len(l.res.Policy.Arches) > 0 {
		dflt = l.res.Policy.Arches[0].Default
	}
	l.add(EmptyPolicy, l.res.Pos, "add allow rules for what the program needs",
		"policy %s has no rules: every call gets the default, %s", l.res.Policy.Name, dflt)
}
