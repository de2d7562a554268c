package cli

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/meaning"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/stdlib"
)

// The names the meaning commands (diff, decompile) write regions and calls with: arches and
// syscalls by name, arguments by the signature's names and widths, actions and constants by
// name where the value is certain.

// archOf is the arch a call with this audit value and number belongs to, as scc splits
// them (x86_64's numbers from the x32 bit up are x32's); ok is false for an unknown value.
func archOf(audit, nr uint32) (stdlib.Arch, bool) {
	var found []stdlib.Arch
	for _, a := range stdlib.Arches() {
		if a.Audit == audit {
			found = append(found, a)
		}
	}
	for _, a := range found {
		if (a.NrMask != 0) == (nr >= ir.X32SyscallBit && nr != ir.SkippedSyscall) || len(found) == 1 {
			return a, true
		}
	}
	return stdlib.Arch{}, false
}

// archText names an arch value, or a range of them.
func archText(lo, hi, nr uint32) string {
	if lo == hi {
		if a, ok := archOf(lo, nr); ok {
			return a.Name
		}
		return fmt.Sprintf("arch %#x", lo)
	}
	return fmt.Sprintf("arch %#x..%#x", lo, hi)
}

// syscallText names a syscall number, or a range of them, on an arch.
func syscallText(arch stdlib.Arch, known bool, lo, hi uint32) string {
	if lo == hi {
		if known {
			if name, ok := stdlib.SyscallName(arch.Name, lo); ok {
				return name
			}
		}
		return fmt.Sprintf("nr=%#x", lo)
	}
	if lo == 0 && hi == 0xffffffff {
		return "any syscall"
	}
	if known {
		first, ok1 := stdlib.SyscallName(arch.Name, lo)
		last, ok2 := stdlib.SyscallName(arch.Name, hi)
		if ok1 && ok2 {
			return fmt.Sprintf("%s..%s (nr=%#x..%#x)", first, last, lo, hi)
		}
	}
	return fmt.Sprintf("nr=%#x..%#x", lo, hi)
}

// argNamer names the arguments of a syscall by its signature on an arch; positionally, 64
// bits wide on a 64-bit arch, without one.
func argNamer(arch stdlib.Arch, known bool, syscall string) meaning.Namer {
	var sig stdlib.Signature
	if known {
		sig, _ = stdlib.LookupSignature(arch.Name, syscall)
	}
	return func(i int) (string, int) {
		if i < len(sig.Params) {
			p := sig.Params[i]
			name := p.Name
			if name == "" || strings.HasSuffix(name, "_lo") || strings.HasSuffix(name, "_hi") || name == "padding" {
				name = fmt.Sprintf("arg%d", i)
			}
			return name, p.Bits
		}
		if known && arch.LongBits == 32 && arch.NrMask == 0 {
			return fmt.Sprintf("arg%d", i), 32
		}
		return fmt.Sprintf("arg%d", i), 64
	}
}

// constFamilies are the constant prefixes whose names an argument's values read by, keyed
// by the argument's name (or syscall.argument).
var constFamilies = map[string][]string{
	"prot": {"PROT_"}, "domain": {"AF_"}, "family": {"AF_"}, "type": {"SOCK_"},
	"open.flags": {"O_"}, "openat.flags": {"O_"}, "openat2.flags": {"O_"}, "fcntl.cmd": {"F_"},
	"clone.flags": {"CLONE_"}, "clone_flags": {"CLONE_"}, "unshare.flags": {"CLONE_"}, "setns.nstype": {"CLONE_"},
	"madvise.advice": {"MADV_"}, "behavior": {"MADV_"}, "prctl.option": {"PR_"}, "whence": {"SEEK_"},
	"ioctl.cmd": {"TC", "TIOC", "FIO"}, "mmap.flags": {"MAP_"}, "dfd": {"AT_FDCWD"}, "dirfd": {"AT_FDCWD"},
}

// constNamer names values of a syscall's arguments by the constants of their family, where
// exactly one constant of the family has the value.
func constNamer(arch stdlib.Arch, known bool, syscall string, names meaning.Namer) func(int, uint64) string {
	if !known {
		return nil
	}
	return func(i int, v uint64) string {
		name, width := names(i)
		fams := constFamilies[syscall+"."+name]
		if fams == nil {
			fams = constFamilies[name]
		}
		var found []string
		for _, c := range stdlib.ConstantNames(arch.Name) {
			for _, f := range fams {
				if strings.HasPrefix(c, f) {
					if cv, ok := stdlib.Constant(arch.Name, c); ok && fits(cv, width) == v {
						found = append(found, c)
					}
				}
			}
		}
		if len(found) == 1 {
			return found[0]
		}
		return ""
	}
}

// fits narrows a constant to an argument's width, as the compiler does.
func fits(v uint64, width int) uint64 {
	if width >= 64 {
		return v
	}
	return v & (1<<width - 1)
}

var errnoNames sync.Map // arch name → map[uint64]string

// actionText writes a decision (a normalized return value) as the language spells it, with
// errno values by name on the arch.
func actionText(arch stdlib.Arch, known bool, ret uint32) string {
	a := ir.ActionFromRet(ret)
	if a.Kind == ir.Errno && known {
		if name := errnoName(arch.Name, uint64(a.Data)); name != "" {
			return "errno(" + name + ")"
		}
	}
	if a.Kind == ir.KillProcess {
		return "kill"
	}
	return a.String()
}

func errnoName(arch string, v uint64) string {
	m, ok := errnoNames.Load(arch)
	if !ok {
		byValue := map[uint64]string{}
		names := stdlib.ConstantNames(arch)
		sort.Strings(names)
		for _, c := range names {
			if !isErrnoName(c) {
				continue
			}
			if cv, ok := stdlib.Constant(arch, c); ok && cv <= ir.MaxErrno {
				if _, dup := byValue[cv]; !dup {
					byValue[cv] = c
				}
			}
		}
		m, _ = errnoNames.LoadOrStore(arch, byValue)
	}
	return m.(map[uint64]string)[v]
}

// isErrnoName tells whether a constant's name reads as an errno value's: E and capitals
// (not ELF's and the other E-prefixed families of the table).
func isErrnoName(c string) bool {
	if len(c) < 3 || c[0] != 'E' || strings.HasPrefix(c, "ELF") || strings.HasPrefix(c, "EPIOC") {
		return false
	}
	for _, r := range c[1:] {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// callText writes a witness call as scc sim reads it: the syscall by name when known, else
// nr=N, and its six arguments.
func callText(arch stdlib.Arch, known bool, d program.SeccompData) string {
	name := fmt.Sprintf("nr=%#x", uint32(d.Nr))
	if known {
		if n, ok := stdlib.SyscallName(arch.Name, uint32(d.Nr)); ok {
			name = n
		}
	}
	args := make([]string, len(d.Args))
	for i, v := range d.Args {
		args[i] = fmt.Sprintf("%#x", v)
		if v < 10 {
			args[i] = fmt.Sprint(v)
		}
	}
	return name + "(" + strings.Join(args, ", ") + ")"
}
