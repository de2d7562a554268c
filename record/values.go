package record

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"

	"github.com/scc-dev/scc/stdlib"
)

// ArgSpec names an argument whose values a recording with conditions turns into a condition,
// and how to spell them.
type ArgSpec struct {
	Param  string // the parameter's name in scc's signatures ("domain")
	Family Family
}

// Family spells the values of one kind of argument with constant names.
type Family struct {
	// Names reports whether a constant spells whole values of the argument (AF_INET for a
	// socket's domain); nil spells every value in hex.
	Names func(name string) bool
	// BaseMask, when not 0, splits a value that no single name spells into a base
	// (value & BaseMask, spelled by Names) and flag bits, each spelled by a Flags name:
	// SOCK_STREAM | SOCK_CLOEXEC, CLONE_VM | CLONE_FS | SIGCHLD.
	BaseMask uint64
	Flags    func(name string) bool
}

// ArgSpecs are the arguments recorded, by syscall: the ones whose values say what a program
// does with the call (which socket families, which ioctls, which clone flags), never pointers.
var ArgSpecs = map[string][]ArgSpec{
	"socket":      {{"domain", socketDomain}, {"type", socketType}},
	"socketpair":  {{"domain", socketDomain}, {"type", socketType}},
	"ioctl":       {{"request", ioctlRequest}},
	"clone":       {{"flags", cloneFlags}},
	"personality": {{"persona", Family{}}},
	"prctl":       {{"option", prctlOption}},
	"fcntl":       {{"cmd", fcntlCmd}},
}

var (
	socketDomain = Family{Names: nameSet([]string{"AF_"}, nil,
		[]string{"AF_LOCAL", "AF_ROUTE", "AF_FILE", "AF_MAX"})}
	socketType = Family{
		Names: nameSet(nil, []string{"SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_RDM",
			"SOCK_SEQPACKET", "SOCK_DCCP", "SOCK_PACKET"}, nil),
		BaseMask: 0xf,
		Flags:    nameSet(nil, []string{"SOCK_CLOEXEC", "SOCK_NONBLOCK"}, nil),
	}
	ioctlRequest = Family{Names: nameSet([]string{"TC", "TIOC", "FIO", "FI", "FS_IOC_", "BLK",
		"SIOC", "NS_GET_", "PERF_EVENT_IOC_", "SECCOMP_IOCTL_", "TUN"}, nil,
		[]string{"TCI", "TCO", "TCSA"})} // tcflush/tcflow/tcsetattr arguments, not requests
	cloneFlags = Family{
		Names:    nameSet(nil, signalNames, nil),
		BaseMask: 0xff, // CSIGNAL: the exit signal
		Flags:    nameSet([]string{"CLONE_"}, nil, []string{"CLONE_ARGS_", "CLONE_NEWTIME"}),
	}
	prctlOption = Family{Names: nameSet(
		[]string{"PR_SET_", "PR_GET_", "PR_CAPBSET_", "PR_TASK_PERF_EVENTS_"},
		[]string{"PR_CAP_AMBIENT", "PR_MCE_KILL", "PR_MCE_KILL_GET", "PR_SCHED_CORE"},
		[]string{"PR_SET_MM_", "PR_SET_VMA_", "PR_SET_PTRACER_ANY"})}
	fcntlCmd = Family{Names: nameSet([]string{"F_"}, nil, []string{"F_SEAL_", "F_OK",
		"F_RDLCK", "F_WRLCK", "F_UNLCK", "F_EXLCK", "F_SHLCK", "F_LOCK", "F_TLOCK", "F_ULOCK",
		"F_TEST", "F_GETLK64", "F_SETLK64", "F_SETLKW64", "F_OWNER_"})}
)

// signalNames are the signals a clone's exit signal may be, without aliases (SIGCLD, SIGIOT).
var signalNames = []string{"SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
	"SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM",
	"SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU",
	"SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR",
	"SIGSYS"}

// nameSet matches names that start with one of prefixes or are among exact, and start with
// none of excluded.
func nameSet(prefixes, exact, excluded []string) func(string) bool {
	return func(name string) bool {
		for _, x := range excluded {
			if strings.HasPrefix(name, x) {
				return false
			}
		}
		if slices.Contains(exact, name) {
			return true
		}
		for _, p := range prefixes {
			if strings.HasPrefix(name, p) {
				return true
			}
		}
		return false
	}
}

// Spell writes v as a constant expression for arch: the one name of the family with that
// value, else a base and flags when the family has them and each part has exactly one name,
// else hex.
func (f Family) Spell(arch string, v uint64) string {
	if name, ok := uniqueName(arch, f.Names, v); ok {
		return name
	}
	if f.BaseMask != 0 {
		if s, ok := f.split(arch, v); ok {
			return s
		}
	}
	return fmt.Sprintf("%#x", v)
}

// split spells v as BASE | FLAG | FLAG..., every part named unambiguously.
func (f Family) split(arch string, v uint64) (string, bool) {
	var parts []string
	if base := v & f.BaseMask; base != 0 {
		name, ok := uniqueName(arch, f.Names, base)
		if !ok {
			return "", false
		}
		parts = append(parts, name)
	}
	for rest := v &^ f.BaseMask; rest != 0; rest &= rest - 1 {
		bit := uint64(1) << bits.TrailingZeros64(rest)
		name, ok := uniqueName(arch, f.Flags, bit)
		if !ok {
			return "", false
		}
		parts = append(parts, name)
	}
	if len(parts) == 0 {
		return "", false
	}
	return strings.Join(parts, " | "), true
}

// uniqueName returns the one constant of arch that match accepts and whose value is v.
func uniqueName(arch string, match func(string) bool, v uint64) (string, bool) {
	if match == nil {
		return "", false
	}
	found := ""
	for _, name := range stdlib.ConstantNames(arch) {
		if !match(name) {
			continue
		}
		if c, _ := stdlib.Constant(arch, name); c == v {
			if found != "" {
				return "", false
			}
			found = name
		}
	}
	return found, found != ""
}
