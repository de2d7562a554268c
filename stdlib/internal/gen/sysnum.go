package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// sysTable maps syscall name -> arch name -> number (NrMask included).
type sysTable map[string]map[string]uint32

var (
	goSysnum  = regexp.MustCompile(`^\s*SYS_([A-Z0-9_]+)\s*=\s*(\d+)\s*$`)
	x32Sysnum = regexp.MustCompile(`^#define __NR_(\w+) \(__X32_SYSCALL_BIT \+ (\d+)\)$`)
)

const x32Bit = 0x40000000

// x32OwnBase is where x32's own syscalls start: syscall_64.tbl numbers them 512-547 (the
// x32 ABI's versions of calls whose arguments differ from x86_64's) and says never to add a
// syscall there; x32's common syscalls, numbered as on x86_64, grow below 512.
const x32OwnBase = 512

var (
	// uapiPrivate and uapiBase read arm's private calls from its asm/unistd.h:
	// __ARM_NR_BASE is __NR_SYSCALL_BASE+0x0f0000 (__NR_SYSCALL_BASE is 0 in the EABI) and
	// __ARM_NR_set_tls is (__ARM_NR_BASE+5).
	uapiBase    = regexp.MustCompile(`^#define __ARM_NR_BASE\s+\(__NR_SYSCALL_BASE\s*\+\s*(0x[0-9a-fA-F]+)\)\s*$`)
	uapiPrivate = regexp.MustCompile(`^#define __ARM_NR_([a-z0-9_]+)\s+\(__ARM_NR_BASE\s*\+\s*(\d+)\)\s*$`)
	// uapiAlias reads another name for a number: #define __NR_sync_file_range2 __NR_arm_sync_file_range.
	uapiAlias = regexp.MustCompile(`^#define __NR_([a-z0-9_]+)\s+__NR_([a-z0-9_]+)\s*$`)
)

// blocks maps an arch to the numbers (NrMask included) where a block of its table starts
// that is kept apart from the syscalls below it, which grow towards it: x32's own syscalls
// (x32OwnBase), arm's private calls (__ARM_NR_BASE). They are written to the data, from which
// stdlib derives where syscalls newer than the table will land (stdlib.NewerGaps).
var blocks = map[string][]uint32{}

// aliases maps an arch to the other names its asm/unistd.h gives a number: alias -> the name
// x/sys uses (arm: sync_file_range2 -> arm_sync_file_range, both 341).
var aliases = map[string]map[string]string{}

// privateFrom lists, per arch, the calls read from its asm/unistd.h, for the data's header.
var privateFrom = map[string][]string{}

// notSyscalls are SYS_ constants of x/sys that name no syscall: arm's mask, the generic
// ABI's base of arch-specific numbers, mips' reserved slots.
var notSyscalls = map[string]bool{
	"syscall_mask": true, "arch_specific_syscall": true, "reserved177": true, "reserved193": true,
}

// readSyscalls reads the numbers of every arch.
func readSyscalls(src *sources) (sysTable, error) {
	t := sysTable{}
	for _, a := range arches {
		var err error
		if a.NrMask != 0 {
			err = scanLines(src.x32, x32Sysnum, func(m []string) error {
				return t.add(m[1], a.Name, m[2], x32Bit)
			})
			if err == nil {
				blocks[a.Name] = []uint32{x32Bit | x32OwnBase}
				err = t.addNewerX32(a.Name)
			}
		} else {
			path := filepath.Join(src.xsys, "zsysnum_linux_"+a.XSys+".go")
			err = scanLines(path, goSysnum, func(m []string) error {
				return t.add(strings.ToLower(m[1]), a.Name, m[2], 0)
			})
			if err == nil && a.Uapi != "" {
				err = t.addUapi(a.Name, filepath.Join(src.kernel, a.Uapi))
			}
		}
		if err != nil {
			return nil, err
		}
		if err := t.checkUnique(a.Name); err != nil {
			return nil, err
		}
		for _, word := range []string{"arches", "block", "alias"} {
			if _, ok := t[word]; ok {
				return nil, fmt.Errorf("a syscall named %q: it would read as a line of another kind in syscalls.txt", word)
			}
		}
		if len(t.names(a.Name)) < 250 {
			return nil, fmt.Errorf("%s: only %d syscalls read", a.Name, len(t.names(a.Name)))
		}
	}
	return t, nil
}

// x32ABI is the ABI column of arch/x86/entry/syscalls/syscall_64.tbl for the x86_64 syscalls
// newer than asm/unistd_x32.h (Debian's linux-libc-dev is 6.1: its highest is
// set_mempolicy_home_node, 450). A "common" syscall is on x32 too, numbered 0x40000000 + its
// x86_64 number; a "64" one is x86_64 only. No machine-readable copy of the table is installed
// (x/sys ships only its output), so the column is transcribed here from mainline's table up to
// rseq_slice_yield (471); gen fails on an x86_64 syscall newer than the header that is missing
// here, so that whoever updates x/sys looks the new one up. map_shadow_stack was "64" in 6.6-6.9 and is "common"
// since 6.10 (commit "x86/shstk: Enable shadow stacks for x32"): on 6.6-6.9 kernels x32's 453
// is an unimplemented number (ENOSYS), which any action a policy gives it cannot make unsafe.
var x32ABI = map[string]string{
	"cachestat": "common", "fchmodat2": "common", "map_shadow_stack": "common",
	"futex_wake": "common", "futex_wait": "common", "futex_requeue": "common",
	"statmount": "common", "listmount": "common", "lsm_get_self_attr": "common",
	"lsm_set_self_attr": "common", "lsm_list_modules": "common", "mseal": "common",
	"setxattrat": "common", "getxattrat": "common", "listxattrat": "common",
	"removexattrat": "common", "open_tree_attr": "common", "file_getattr": "common",
	"file_setattr": "common", "listns": "common", "rseq_slice_yield": "common",
}

// x32FromXSys lists the x32 syscalls that addNewerX32 took from x/sys, for the data's header.
var x32FromXSys []string

// addNewerX32 gives x32 the x86_64 syscalls above the x32 header's highest (below the
// x32-only range 512-547) that syscall_64.tbl marks "common".
func (t sysTable) addNewerX32(x32 string) error {
	var top uint32
	for _, name := range t.names(x32) {
		if nr := t[name][x32] &^ x32Bit; nr < x32OwnBase {
			top = max(top, nr)
		}
	}
	if top < 400 {
		return fmt.Errorf("%s: the header's highest common syscall is %d", x32, top)
	}
	for _, name := range t.names("x86_64") {
		nr := t[name]["x86_64"]
		if nr <= top || nr >= x32OwnBase && nr <= 547 {
			continue
		}
		if _, ok := t[name][x32]; ok {
			continue
		}
		switch x32ABI[name] {
		case "common":
			t[name][x32] = nr | x32Bit
			x32FromXSys = append(x32FromXSys, name)
		case "64":
		default:
			return fmt.Errorf("%s: x86_64's %s (%d) is newer than %s: add its syscall_64.tbl ABI to x32ABI in sysnum.go", x32, name, nr, "asm/unistd_x32.h")
		}
	}
	return nil
}

// addUapi adds what x/sys's zsysnum leaves out of an arch's asm/unistd.h: its private calls
// (arm's breakpoint, cacheflush, usr26, usr32, set_tls, get_tls at __ARM_NR_BASE+1..6) and
// the other names it defines for a number (arm's sync_file_range2).
func (t sysTable) addUapi(arch, path string) error {
	var base uint32
	err := scanLines(path, uapiBase, func(m []string) error {
		v, err := strconv.ParseUint(m[1], 0, 32)
		base = uint32(v)
		return err
	})
	if err != nil {
		return err
	}
	if base == 0 {
		return fmt.Errorf("%s: no __ARM_NR_BASE", path)
	}
	err = scanLines(path, uapiPrivate, func(m []string) error {
		off, err := strconv.ParseUint(m[2], 10, 16)
		if err != nil {
			return err
		}
		privateFrom[arch] = append(privateFrom[arch], m[1])
		return t.add(m[1], arch, strconv.FormatUint(uint64(base)+off, 10), 0)
	})
	if err != nil {
		return err
	}
	if len(privateFrom[arch]) == 0 {
		return fmt.Errorf("%s: no __ARM_NR_ calls", path)
	}
	blocks[arch] = append(blocks[arch], base)
	return scanLines(path, uapiAlias, func(m []string) error {
		alias, target := m[1], m[2]
		nr, ok := t[target][arch]
		if !ok {
			return fmt.Errorf("%s: __NR_%s names %s, which is not a syscall", arch, alias, target)
		}
		if aliases[arch] == nil {
			aliases[arch] = map[string]string{}
		}
		aliases[arch][alias] = target
		return t.add(alias, arch, strconv.FormatUint(uint64(nr), 10), 0)
	})
}

// add records one number, failing on a duplicate.
func (t sysTable) add(name, arch, num string, mask uint32) error {
	if notSyscalls[name] {
		return nil
	}
	n, err := strconv.ParseUint(num, 10, 32)
	if err != nil {
		return err
	}
	if t[name] == nil {
		t[name] = map[string]uint32{}
	}
	if _, dup := t[name][arch]; dup {
		return fmt.Errorf("%s: %s defined twice", arch, name)
	}
	t[name][arch] = uint32(n) | mask
	return nil
}

// checkUnique fails when two syscalls of arch share a number.
func (t sysTable) checkUnique(arch string) error {
	seen := map[uint32]string{}
	for _, name := range t.names(arch) {
		nr := t[name][arch]
		if _, alias := aliases[arch][name]; alias {
			continue
		}
		if other, dup := seen[nr]; dup {
			return fmt.Errorf("%s: %s and %s are both %d", arch, other, name, nr)
		}
		seen[nr] = name
	}
	return nil
}

// names returns the sorted syscall names of arch ("" for every arch).
func (t sysTable) names(arch string) []string {
	var out []string
	for name, nums := range t {
		if _, ok := nums[arch]; ok || arch == "" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// scanLines calls fn with the submatches of every line of path that re matches.
func scanLines(path string, re *regexp.Regexp, fn func([]string) error) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			if err := fn(m); err != nil {
				return fmt.Errorf("%s: %v", path, err)
			}
		}
	}
	return sc.Err()
}

// formatSyscalls renders data/syscalls.txt: a name per line, then its number per arch.
func formatSyscalls(t sysTable) []byte {
	var b bytes.Buffer
	b.WriteString("# Code generated by stdlib/internal/gen; DO NOT EDIT.\n")
	b.WriteString("# Syscall numbers: a name, then its decimal number on each arch below ('-': absent).\n")
	b.WriteString("# Sources: x/sys/unix zsysnum_linux_*.go; x32: asm/unistd_x32.h (linux-libc-dev), numbers\n")
	b.WriteString("# with __X32_SYSCALL_BIT (0x40000000) set")
	if len(x32FromXSys) > 0 {
		b.WriteString(", except these, newer than the header, \"common\" in\n")
		b.WriteString("# syscall_64.tbl and so x86_64's number (zsysnum_linux_amd64.go) + 0x40000000:")
		line := 80
		for i, name := range x32FromXSys {
			if line+len(name) > 95 {
				b.WriteString("\n#")
				line = 1
			}
			b.WriteString(" " + name)
			line += len(name) + 1
			if i < len(x32FromXSys)-1 {
				b.WriteString(",")
				line++
			}
		}
	}
	b.WriteString(".\n")
	for _, a := range arches {
		if a.Uapi == "" {
			continue
		}
		text := fmt.Sprintf("%s: also linux-headers-*-common's %s, which x/sys leaves out: the private calls %s (a block from %#x)",
			a.Name, a.Uapi, strings.Join(privateFrom[a.Name], ", "), blocks[a.Name][len(blocks[a.Name])-1])
		for _, alias := range sortedKeys(aliases[a.Name]) {
			text += fmt.Sprintf(", and %s, another name for %s", alias, aliases[a.Name][alias])
		}
		writeComment(&b, text+".")
	}
	b.WriteString("# 'block ARCH NR': a block of ARCH's table starts at NR, apart from the syscalls below it,\n")
	b.WriteString("# which grow towards it. 'alias ARCH NAME OTHER': NAME is another name for OTHER on ARCH.\n")
	b.WriteString("arches")
	for _, a := range arches {
		b.WriteString(" " + a.Name)
	}
	b.WriteString("\n")
	for _, a := range arches {
		for _, nr := range blocks[a.Name] {
			fmt.Fprintf(&b, "block %s %d\n", a.Name, nr)
		}
	}
	for _, a := range arches {
		for _, alias := range sortedKeys(aliases[a.Name]) {
			fmt.Fprintf(&b, "alias %s %s %s\n", a.Name, alias, aliases[a.Name][alias])
		}
	}
	for _, name := range t.names("") {
		b.WriteString(name)
		for _, a := range arches {
			if n, ok := t[name][a.Name]; ok {
				fmt.Fprintf(&b, " %d", n)
			} else {
				b.WriteString(" -")
			}
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

// writeComment writes text as '#' lines of at most 95 columns.
func writeComment(b *bytes.Buffer, text string) {
	line := "#"
	for _, w := range strings.Fields(text) {
		if len(line)+1+len(w) > 95 {
			b.WriteString(line + "\n")
			line = "#"
		}
		line += " " + w
	}
	b.WriteString(line + "\n")
}

func sortedKeys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// formatKnown renders groups/known.sc, the @known group.
func formatKnown(t sysTable) []byte {
	var b bytes.Buffer
	b.WriteString("# Code generated by stdlib/internal/gen; DO NOT EDIT.\n\n")
	names := t.names("")
	fmt.Fprintf(&b, "# Every syscall of the architecture's table (%d names over all the architectures).\ngroup @known =", len(names))
	line := 0
	for i, name := range names {
		if line > 80 {
			b.WriteString("\n   ")
			line = 0
		}
		b.WriteString(" " + name)
		line += len(name) + 1
		if i < len(names)-1 {
			b.WriteString(",")
		}
	}
	b.WriteString("\n")
	return b.Bytes()
}
