package stdlib

import (
	"bufio"
	"fmt"
	"io/fs"
	"maps"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
)

var positional = regexp.MustCompile(`^arg[0-9]+$`)

func TestSyscallNumbers(t *testing.T) {
	tests := []struct {
		arch, name string
		nr         uint32
	}{
		{"x86_64", "read", 0},
		{"x86_64", "openat", 257},
		{"x86_64", "newfstatat", 262},
		{"amd64", "mmap", 9},
		{"i386", "socketcall", 102},
		{"i386", "_llseek", 140},
		{"i386", "fstatat64", 300},
		{"x32", "read", 0x40000000},
		{"x32", "rt_sigaction", 0x40000000 + 512},
		{"aarch64", "openat", 56},
		{"arm", "arm_fadvise64_64", 270},
		{"riscv64", "read", 63},
		{"ppc64le", "_newselect", 142},
		{"s390x", "read", 3},
		{"mips64le", "read", 5000},
		{"mips64", "read", 5000},
		{"loongarch64", "openat", 56},
	}
	for _, tt := range tests {
		nr, ok := SyscallNumber(tt.arch, tt.name)
		if !ok || nr != tt.nr {
			t.Errorf("SyscallNumber(%s, %s) = %d, %t; want %d", tt.arch, tt.name, nr, ok, tt.nr)
		}
	}
	absent := [][2]string{{"x86_64", "socketcall"}, {"aarch64", "open"}, {"x86_64", "_llseek"}, {"x86_64", "nosuchcall"}, {"vax", "read"}}
	for _, c := range absent {
		if nr, ok := SyscallNumber(c[0], c[1]); ok {
			t.Errorf("SyscallNumber(%s, %s) = %d, want absent", c[0], c[1], nr)
		}
	}
}

func TestSyscallTablesRoundTrip(t *testing.T) {
	for _, a := range Arches() {
		names := SyscallNames(a.Name)
		if len(names) < 250 || !slices.IsSorted(names) {
			t.Errorf("%s: %d names, sorted %t", a.Name, len(names), slices.IsSorted(names))
		}
		var highest uint32
		for _, name := range names {
			nr, ok := SyscallNumber(a.Name, name)
			if back, _ := SyscallName(a.Name, nr); !ok || back != name {
				t.Errorf("%s: %s -> %d -> %s", a.Name, name, nr, back)
			}
			if nr&a.NrMask != a.NrMask {
				t.Errorf("%s: %s = %#x lacks NrMask %#x", a.Name, name, nr, a.NrMask)
			}
			if !KnownSyscall(name) {
				t.Errorf("%s: %s not KnownSyscall", a.Name, name)
			}
			highest = max(highest, nr)
		}
		if got := MaxSyscall(a.Name); got != highest {
			t.Errorf("MaxSyscall(%s) = %d, want %d", a.Name, got, highest)
		}
	}
	if KnownSyscall("nosuchcall") {
		t.Error("KnownSyscall(nosuchcall) = true")
	}
	all := AllSyscallNames()
	if !slices.IsSorted(all) || !slices.Contains(all, "_llseek") || !slices.Contains(all, "newfstatat") {
		t.Errorf("AllSyscallNames: %d names, sorted %t", len(all), slices.IsSorted(all))
	}
	if got := ArchesWith("socketcall"); !slices.Equal(got, []string{"i386", "ppc64le", "s390x"}) {
		t.Errorf("ArchesWith(socketcall) = %v", got)
	}
	if got := ArchesWith("nosuchcall"); got != nil {
		t.Errorf("ArchesWith(nosuchcall) = %v", got)
	}
}

func TestArches(t *testing.T) {
	want := []string{"x86_64", "i386", "x32", "aarch64", "arm", "riscv64", "ppc64le", "s390x", "mips64", "mips64le", "loongarch64"}
	var got []string
	for _, a := range Arches() {
		got = append(got, a.Name)
	}
	if !slices.Equal(got, want) {
		t.Errorf("Arches() = %v, want %v", got, want)
	}
	aliases := map[string]string{"amd64": "x86_64", "X86-64": "x86_64", "386": "i386", "x86": "i386",
		"i686": "i386", "arm64": "aarch64", "mipsel64": "mips64le", "loong64": "loongarch64", "x32": "x32"}
	for alias, name := range aliases {
		if a, ok := LookupArch(alias); !ok || a.Name != name {
			t.Errorf("LookupArch(%s) = %s, %t; want %s", alias, a.Name, ok, name)
		}
	}
	if _, ok := LookupArch("vax"); ok {
		t.Error("LookupArch(vax) found an arch")
	}
	x86, _ := LookupArch("x86_64")
	x32, _ := LookupArch("x32")
	i386, _ := LookupArch("i386")
	s390x, _ := LookupArch("s390x")
	if x86.Audit != 0xc000003e || x32.Audit != x86.Audit || i386.Audit != 0x40000003 || x32.NrMask != 0x40000000 {
		t.Errorf("audit/mask: x86_64 %#x x32 %#x/%#x i386 %#x", x86.Audit, x32.Audit, x32.NrMask, i386.Audit)
	}
	if x32.LongBits != 32 || i386.LongBits != 32 || x86.LongBits != 64 || !s390x.BigEndian || x86.BigEndian {
		t.Error("wrong LongBits or endianness")
	}
}

func TestHostArch(t *testing.T) {
	h := HostArch()
	supported := slices.ContainsFunc(Arches(), func(a Arch) bool { return a.GoArch == runtime.GOARCH })
	if supported != (h.Name != "") || supported && h.GoArch != runtime.GOARCH {
		t.Errorf("HostArch() = %+v on %s", h, runtime.GOARCH)
	}
}

// param returns the named parameter's position and width.
func param(t *testing.T, arch, call, name string) (int, int) {
	t.Helper()
	sig, ok := LookupSignature(arch, call)
	if !ok {
		t.Fatalf("no signature for %s on %s", call, arch)
	}
	for i, p := range sig.Params {
		if p.Name == name {
			return i, p.Bits
		}
	}
	t.Fatalf("%s on %s has no parameter %s: %+v", call, arch, name, sig.Params)
	return 0, 0
}

func TestSignatures(t *testing.T) {
	tests := []struct {
		arch, call, param string
		index, bits       int
	}{
		{"x86_64", "mmap", "prot", 2, 32},
		{"x86_64", "mmap", "addr", 0, 64},
		{"aarch64", "mmap", "offset", 5, 64},
		{"x86_64", "socket", "domain", 0, 32},
		{"x86_64", "openat", "dirfd", 0, 32},
		{"x86_64", "openat", "pathname", 1, 64},
		{"x86_64", "openat", "mode", 3, 16},
		{"x86_64", "ioctl", "request", 1, 32},
		{"x86_64", "fcntl", "cmd", 1, 32},
		{"x86_64", "fcntl", "arg", 2, 64},
		{"x86_64", "lseek", "offset", 1, 64},
		{"i386", "lseek", "offset", 1, 32},
		{"x32", "lseek", "offset", 1, 64}, // x32 enters the 64-bit lseek: all of the register counts
		{"x32", "pread64", "offset", 3, 64},
		{"x86_64", "pread64", "offset", 3, 64},
		{"i386", "pread64", "offset_lo", 3, 32},
		{"i386", "pread64", "offset_hi", 4, 32},
		{"arm", "pread64", "offset_lo", 4, 32}, // EABI: an even register pair
		{"x86_64", "clone", "flags", 0, 64},
		{"x86_64", "clone", "child_tid", 3, 64},
		{"x86_64", "clone", "tls", 4, 64},
		{"i386", "clone", "tls", 3, 32},
		{"i386", "clone", "child_tid", 4, 32},
		{"s390x", "clone", "stack", 0, 64},
		{"s390x", "clone", "flags", 1, 64},
		{"x86_64", "futex", "futex_op", 1, 32},
		{"i386", "_llseek", "whence", 4, 32},
		{"i386", "setuid", "uid", 0, 16}, // sys_setuid16
		{"i386", "setuid32", "uid", 0, 32},
		{"x86_64", "setuid", "uid", 0, 32},
	}
	for _, tt := range tests {
		i, bits := param(t, tt.arch, tt.call, tt.param)
		if i != tt.index || bits != tt.bits {
			t.Errorf("%s(%s) on %s: arg%d, %d bits; want arg%d, %d bits", tt.call, tt.param, tt.arch, i, bits, tt.index, tt.bits)
		}
	}
}

func TestSignatureSources(t *testing.T) {
	for _, c := range [][3]string{{"x86_64", "mmap", "man2"}, {"x86_64", "socket", "syscalls.h+man2"},
		{"s390x", "clone", "gen"}, {"i386", "oldolduname", "syscalls.h"}, {"i386", "mmap", "syscalls.h"}} {
		if sig, _ := LookupSignature(c[0], c[1]); sig.Source != c[2] {
			t.Errorf("%s on %s: source %q, want %q", c[1], c[0], sig.Source, c[2])
		}
	}
	if sig, _ := LookupSignature("i386", "oldolduname"); len(sig.Params) != 1 || sig.Params[0].Name != "" {
		t.Errorf("oldolduname's parameter is unnamed in syscalls.h: %+v", sig.Params)
	}
	if sig, _ := LookupSignature("i386", "mmap"); len(sig.Params) != 1 {
		t.Errorf("i386 mmap is old_mmap(struct *): got %+v", sig.Params)
	}
	if sig, ok := LookupSignature("x86_64", "getpid"); !ok || len(sig.Params) != 0 {
		t.Errorf("getpid: %+v, %t", sig, ok)
	}
	if _, ok := LookupSignature("x86_64", "socketcall"); ok {
		t.Error("x86_64 has no socketcall, yet a signature")
	}
}

func TestSignaturesWellFormed(t *testing.T) {
	for _, a := range Arches() {
		for _, name := range SyscallNames(a.Name) {
			sig, ok := LookupSignature(a.Name, name)
			if !ok {
				continue
			}
			seen := map[string]bool{}
			for i, p := range sig.Params {
				if p.Bits != 16 && p.Bits != 32 && p.Bits != 64 || p.Bits > 32 && a.LongBits == 32 && a.NrMask == 0 {
					t.Errorf("%s %s: %s is %d bits", a.Name, name, p.Name, p.Bits)
				}
				// A parameter named like a positional argument must be that argument.
				if p.Name != "" && (seen[p.Name] || positional.MatchString(p.Name) && p.Name != fmt.Sprintf("arg%d", i)) {
					t.Errorf("%s %s: bad parameter name %q at %d", a.Name, name, p.Name, i)
				}
				seen[p.Name] = true
			}
			if len(sig.Params) > 6 {
				t.Errorf("%s %s: %d parameters", a.Name, name, len(sig.Params))
			}
		}
	}
}

func TestConstants(t *testing.T) {
	for _, name := range []string{"AT_FDCWD", "O_RDONLY", "O_CREAT", "PROT_EXEC", "MAP_SHARED", "AF_INET",
		"AF_INET6", "AF_UNIX", "AF_PACKET", "AF_NETLINK", "SOCK_STREAM", "SOCK_RAW", "SOCK_CLOEXEC",
		"F_GETFL", "F_SETFL", "TCGETS", "TIOCSTI", "FIONREAD", "CLONE_NEWUSER", "EPERM", "ENOSYS",
		"EAFNOSUPPORT", "EACCES", "FUTEX_WAIT_PRIVATE", "SIGSYS", "PR_SET_NO_NEW_PRIVS", "MS_BIND",
		"PTRACE_TRACEME", "EPOLL_CTL_ADD", "MADV_DONTNEED", "S_IFREG", "SEEK_SET", "IPC_RMID"} {
		if _, ok := Constant("x86_64", name); !ok {
			t.Errorf("x86_64 lacks %s", name)
		}
	}
	tests := []struct {
		arch, name string
		value      uint64
	}{
		{"x86_64", "AT_FDCWD", 0xffffffffffffff9c},
		{"x86_64", "EPERM", 1},
		{"x86_64", "ENOSYS", 38},
		{"mips64le", "ENOSYS", 89},
		{"x86_64", "AF_INET6", 10},
		{"x86_64", "SOCK_STREAM", 1},
		{"mips64", "SOCK_STREAM", 2},
		{"x86_64", "O_CREAT", 0x40},
		{"aarch64", "O_DIRECTORY", 0x4000},
		{"x86_64", "TCGETS", 0x5401},
		{"ppc64le", "TCGETS", 0x402c7413},
		{"x86_64", "FIONREAD", 0x541b},
		{"x86_64", "PROT_EXEC", 4},
		{"x86_64", "FUTEX_WAIT_PRIVATE", 128},
		{"x32", "O_CREAT", 0x40},
	}
	for _, tt := range tests {
		if v, ok := Constant(tt.arch, tt.name); !ok || v != tt.value {
			t.Errorf("Constant(%s, %s) = %#x, %t; want %#x", tt.arch, tt.name, v, ok, tt.value)
		}
	}
	if _, ok := Constant("x86_64", "NO_SUCH_CONSTANT"); ok {
		t.Error("found NO_SUCH_CONSTANT")
	}
}

func TestConstantNames(t *testing.T) {
	for _, a := range Arches() {
		names := ConstantNames(a.Name)
		if len(names) < 4000 || !slices.IsSorted(names) {
			t.Errorf("%s: %d constant names, sorted %t", a.Name, len(names), slices.IsSorted(names))
		}
		for _, n := range names[:50] {
			if _, ok := Constant(a.Name, n); !ok {
				t.Errorf("%s: listed %s has no value", a.Name, n)
			}
		}
	}
	x86, x32 := ConstantNames("x86_64"), ConstantNames("x32")
	if !slices.Equal(x86, x32) {
		t.Error("x32's constants are not x86_64's")
	}
}

// readGroups reads the group files with a line-based reader: comments, then
// "group @name = a, b," lines continued after a trailing comma.
func readGroups(t *testing.T) map[string][]string {
	t.Helper()
	files, err := fs.Glob(Groups, "groups/*.sc")
	if err != nil || len(files) == 0 {
		t.Fatalf("no group files: %v", err)
	}
	groups := map[string][]string{}
	for _, file := range files {
		f, _ := Groups.Open(file)
		sc := bufio.NewScanner(f)
		stmt := ""
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			stmt += " " + line
			if strings.HasSuffix(line, ",") {
				continue
			}
			head, members, ok := strings.Cut(stmt, "=")
			name, isGroup := strings.CutPrefix(strings.TrimSpace(head), "group ")
			if !ok || !isGroup {
				t.Fatalf("%s: not a group declaration: %q", file, stmt)
			}
			for _, m := range strings.Split(members, ",") {
				groups[name] = append(groups[name], strings.TrimSpace(m))
			}
			stmt = ""
		}
		f.Close()
		if stmt != "" {
			t.Errorf("%s: unterminated declaration %q", file, stmt)
		}
	}
	return groups
}

func TestGroups(t *testing.T) {
	groups := readGroups(t)
	for _, name := range []string{"@default", "@basic-io", "@file-system", "@network-io", "@process",
		"@signal", "@ipc", "@timer", "@sync", "@aio", "@chown", "@setuid", "@privileged", "@mount",
		"@module", "@reboot", "@swap", "@raw-io", "@clock", "@debug", "@obsolete", "@keyring",
		"@memlock", "@pkey", "@resources", "@io-event", "@cpu-emulation", "@system-service", "@known",
		"@socket-create"} {
		if len(groups[name]) == 0 {
			t.Errorf("group %s missing or empty", name)
		}
	}
	for name, members := range groups {
		for _, m := range members {
			if strings.HasPrefix(m, "@") && groups[m] == nil || !strings.HasPrefix(m, "@") && !KnownSyscall(m) {
				t.Errorf("%s: member %q exists on no arch", name, m)
			}
		}
	}
	known := groups["@known"]
	for _, a := range Arches() {
		for _, n := range SyscallNames(a.Name) {
			if !slices.Contains(known, n) {
				t.Errorf("@known lacks %s (%s)", n, a.Name)
			}
		}
	}
}

func BenchmarkSyscallNumber(b *testing.B) {
	for i := 0; i < b.N; i++ {
		SyscallNumber("x86_64", "openat")
	}
}

// TestSharedSyscallNumbers checks that each arch's sorted numbers are its table's keys.
func TestSharedSyscallNumbers(t *testing.T) {
	for _, a := range Arches() {
		nrs := SharedSyscallNumbers(a.Name)
		if !slices.IsSorted(nrs) || len(nrs) == 0 {
			t.Errorf("%s: numbers not sorted or empty", a.Name)
		}
		if want := slices.Sorted(maps.Keys(SharedSyscallTable(a.Name))); !slices.Equal(nrs, want) {
			t.Errorf("%s: %d numbers, table has %d", a.Name, len(nrs), len(want))
		}
	}
	if SharedSyscallNumbers("vax") != nil {
		t.Error("unknown arch has numbers")
	}
}
