package oci

import (
	"fmt"
	"slices"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/lang/token"
	"github.com/scc-dev/scc/program"
)

// Default errno data of libseccomp's runtimes (runc, crun) for SCMP_ACT_ERRNO and
// SCMP_ACT_TRACE written without errnoRet: EPERM.
const defaultErrnoRet = 1

// parseAction converts a SCMP_ACT_* name and its errnoRet to an action, as runc does.
func parseAction(name string, errnoRet *uint) (ir.Action, error) {
	data := uint(defaultErrnoRet)
	if errnoRet != nil {
		data = *errnoRet
	}
	switch name {
	case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD":
		return ir.ActKillThread, nil // libseccomp's SCMP_ACT_KILL is a thread kill
	case "SCMP_ACT_KILL_PROCESS":
		return ir.ActKillProcess, nil
	case "SCMP_ACT_TRAP":
		return ir.Action{Kind: ir.Trap}, nil
	case "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE":
		kind, limit := ir.Errno, uint(ir.MaxErrno)
		if name == "SCMP_ACT_TRACE" {
			kind, limit = ir.Trace, ir.MaxData
		}
		if data > limit {
			return ir.Action{}, fmt.Errorf("%s: errnoRet %d is above %d", name, data, limit)
		}
		return ir.Action{Kind: kind, Data: uint16(data)}, nil
	case "SCMP_ACT_ALLOW":
		return ir.ActAllow, nil
	case "SCMP_ACT_LOG":
		return ir.ActLog, nil
	case "SCMP_ACT_NOTIFY":
		return ir.Action{Kind: ir.UserNotif}, nil
	}
	return ir.Action{}, fmt.Errorf("unknown seccomp action %q", name)
}

// actionName is the SCMP_ACT_* name of an action and its errnoRet (nil when it has none).
func actionName(a ir.Action) (string, *uint) {
	data := uint(a.Data)
	switch a.Kind {
	case ir.KillProcess:
		return "SCMP_ACT_KILL_PROCESS", nil
	case ir.KillThread:
		return "SCMP_ACT_KILL_THREAD", nil
	case ir.Trap:
		return "SCMP_ACT_TRAP", nil
	case ir.Errno:
		return "SCMP_ACT_ERRNO", &data
	case ir.Trace:
		return "SCMP_ACT_TRACE", &data
	case ir.UserNotif:
		return "SCMP_ACT_NOTIFY", nil
	case ir.Log:
		return "SCMP_ACT_LOG", nil
	}
	return "SCMP_ACT_ALLOW", nil
}

// flagWords maps OCI filter flag names to scc's `flags` words and back.
var flagWords = map[string]string{
	"SECCOMP_FILTER_FLAG_TSYNC":              "tsync",
	"SECCOMP_FILTER_FLAG_LOG":                "log",
	"SECCOMP_FILTER_FLAG_SPEC_ALLOW":         "spec_allow",
	"SECCOMP_FILTER_FLAG_NEW_LISTENER":       "new_listener",
	"SECCOMP_FILTER_FLAG_TSYNC_ESRCH":        "tsync_esrch",
	"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV": "wait_killable_recv",
}

// ociFlags are the IR flags the runtime-spec can carry, in bit order.
var ociFlags = []struct {
	bit  uint32
	name string
}{
	{program.FlagTSync, "SECCOMP_FILTER_FLAG_TSYNC"},
	{program.FlagLog, "SECCOMP_FILTER_FLAG_LOG"},
	{program.FlagSpecAllow, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"},
	{program.FlagWaitKillableRecv, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"},
}

// Comparison operators (SCMP_CMP_*).
const (
	opNE       = "SCMP_CMP_NE"
	opLT       = "SCMP_CMP_LT"
	opLE       = "SCMP_CMP_LE"
	opEQ       = "SCMP_CMP_EQ"
	opGE       = "SCMP_CMP_GE"
	opGT       = "SCMP_CMP_GT"
	opMaskedEQ = "SCMP_CMP_MASKED_EQ"
)

// opWords maps the plain comparison operators to scc's and the IR's.
var opWords = map[string]struct {
	tok token.Token
	ir  ir.CmpOp
}{
	opNE: {token.Neq, ir.NE}, opLT: {token.Lss, ir.LT}, opLE: {token.Leq, ir.LE},
	opEQ: {token.Eql, ir.EQ}, opGE: {token.Geq, ir.GE}, opGT: {token.Gtr, ir.GT},
}

// irOps maps the IR's operators to SCMP_CMP_* names.
var irOps = map[ir.CmpOp]string{
	ir.EQ: opEQ, ir.NE: opNE, ir.LT: opLT, ir.LE: opLE, ir.GT: opGT, ir.GE: opGE,
}

// scmpToScc maps libseccomp's arch names to scc's; the ones scc has no tables for are absent.
var scmpToScc = map[string]string{
	"SCMP_ARCH_X86_64":      "x86_64",
	"SCMP_ARCH_X86":         "i386",
	"SCMP_ARCH_X32":         "x32",
	"SCMP_ARCH_AARCH64":     "aarch64",
	"SCMP_ARCH_ARM":         "arm",
	"SCMP_ARCH_RISCV64":     "riscv64",
	"SCMP_ARCH_PPC64LE":     "ppc64le",
	"SCMP_ARCH_S390X":       "s390x",
	"SCMP_ARCH_MIPS64":      "mips64",
	"SCMP_ARCH_MIPSEL64":    "mips64le",
	"SCMP_ARCH_LOONGARCH64": "loongarch64",
}

// nativeToScmp maps Docker's host arch names (libseccomp's native names) to the arch a
// filter for that host is built for.
var nativeToScmp = map[string]string{
	"x86": "SCMP_ARCH_X86", "amd64": "SCMP_ARCH_X86_64", "arm": "SCMP_ARCH_ARM",
	"arm64": "SCMP_ARCH_AARCH64", "loongarch64": "SCMP_ARCH_LOONGARCH64",
	"mips64": "SCMP_ARCH_MIPS64", "mips64n32": "SCMP_ARCH_MIPS64N32",
	"mipsel64": "SCMP_ARCH_MIPSEL64", "mips3l64n32": "SCMP_ARCH_MIPSEL64N32",
	"mipsel": "SCMP_ARCH_MIPSEL", "ppc": "SCMP_ARCH_PPC", "ppc64": "SCMP_ARCH_PPC64",
	"ppc64le": "SCMP_ARCH_PPC64LE", "riscv64": "SCMP_ARCH_RISCV64", "s390": "SCMP_ARCH_S390",
	"s390x": "SCMP_ARCH_S390X",
}

// nativeAliases maps Go's GOARCH values and scc's arch names to Docker's native names.
var nativeAliases = map[string]string{
	"386": "x86", "i386": "x86", "x86_64": "amd64", "aarch64": "arm64", "loong64": "loongarch64",
	"mips64le": "mipsel64", "mips64p32": "mips64n32", "mips64p32le": "mips3l64n32",
	"mipsle": "mipsel",
}

// HostArchNames lists the names Import's Arch accepts, sorted: Docker's own (libseccomp's
// native names) and the Go and scc names it maps to them.
func HostArchNames() []string {
	var names []string
	for n := range nativeToScmp {
		names = append(names, n)
	}
	for n := range nativeAliases {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// nativeArch resolves a user's arch name (Docker's, Go's or scc's) to Docker's native name.
func nativeArch(name string) (string, error) {
	if n, ok := nativeAliases[name]; ok {
		name = n
	}
	if _, ok := nativeToScmp[name]; !ok {
		return "", fmt.Errorf("unknown arch %q (Docker's names: amd64, arm64, x86, arm, ppc64le, s390x, riscv64, …)", name)
	}
	return name, nil
}
