package main

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// sigParam is a parameter with its width class: 'h' (16 bits: umode_t, short), 'i' (32
// bits), 'l' (the ABI's long: 32 or 64) or 'q' (64 bits; split into two 32-bit registers on
// i386 and arm).
type sigParam struct {
	Class byte
	Name  string
	Type  string
}

// signature is a syscall's parameter list on one arch.
type signature struct {
	Source string // "syscalls.h", "syscalls.h+man2", "man2" or "gen"
	Params []sigParam
}

// sigTable maps syscall name -> arch name -> signature.
type sigTable map[string]map[string]signature

// typeClasses gives the width class of every non-pointer type the sources use. The
// generator fails on a type missing here rather than guess.
var typeClasses = map[string]byte{
	"int": 'i', "unsigned int": 'i', "unsigned": 'i', "u32": 'i', "__u32": 'i', "s32": 'i',
	"__s32": 'i', "int32_t": 'i', "uint32_t": 'i', "pid_t": 'i', "uid_t": 'i', "gid_t": 'i',
	"old_uid_t": 'h', "old_gid_t": 'h', "mode_t": 'i', "umode_t": 'h', "key_serial_t": 'i',
	"clockid_t": 'i', "timer_t": 'i', "mqd_t": 'i', "qid_t": 'i', "rwf_t": 'i', "key_t": 'i',
	"idtype_t": 'i', "id_t": 'i', "socklen_t": 'i', "old_time32_t": 'i', "unsigned short": 'h',
	"short": 'h', "char": 'i', "unsigned char": 'i', "old_sigset_t": 'l', "dev_t": 'i',
	"long": 'l', "unsigned long": 'l', "size_t": 'l', "ssize_t": 'l', "off_t": 'l',
	"aio_context_t": 'l', "__sighandler_t": 'l', "sighandler_t": 'l', "cap_user_header_t": 'l',
	"cap_user_data_t": 'l', "time_t": 'l', "intptr_t": 'l', "uintptr_t": 'l', "caddr_t": 'l',
	"loff_t": 'q', "off64_t": 'q', "u64": 'q', "__u64": 'q', "s64": 'q', "__s64": 'q',
	"uint64_t": 'q', "int64_t": 'q', "long long": 'q', "unsigned long long": 'q',
	"__aligned_u64": 'q',
}

// classOf returns the width class of a C type.
func classOf(typ string) (byte, error) {
	if strings.Contains(typ, "*") {
		return 'l', nil
	}
	var words []string
	for _, w := range strings.Fields(typ) {
		if w != "const" && w != "volatile" {
			words = append(words, w)
		}
	}
	if len(words) > 1 && words[0] == "enum" {
		return 'i', nil // C enums are int
	}
	if c, ok := typeClasses[strings.Join(words, " ")]; ok {
		return c, nil
	}
	return 0, fmt.Errorf("unknown C type %q: add it to typeClasses", typ)
}

// entryPoints maps a syscall name to the kernel function behind it when the names differ.
var entryPoints = map[string]string{
	"_llseek": "llseek", "_newselect": "select", "umount": "oldumount", "umount2": "umount",
	"uname": "newuname", "olduname": "uname", "oldolduname": "olduname", "stat": "newstat",
	"lstat": "newlstat", "fstat": "newfstat", "oldstat": "stat", "oldlstat": "lstat",
	"oldfstat": "fstat", "ugetrlimit": "getrlimit", "mmap2": "mmap_pgoff", "readdir": "old_readdir",
	"arm_sync_file_range": "sync_file_range2",
	"chown32":             "chown", "lchown32": "lchown", "fchown32": "fchown", "getuid32": "getuid",
	"getgid32": "getgid", "geteuid32": "geteuid", "getegid32": "getegid", "setuid32": "setuid",
	"setgid32": "setgid", "setreuid32": "setreuid", "setregid32": "setregid",
	"setresuid32": "setresuid", "getresuid32": "getresuid", "setresgid32": "setresgid",
	"getresgid32": "getresgid", "setfsuid32": "setfsuid", "setfsgid32": "setfsgid",
	"getgroups32": "getgroups", "setgroups32": "setgroups",
	// 64-bit time versions of 32-bit ABIs share the 64-bit ABIs' entry points.
	"clock_gettime64": "clock_gettime", "clock_settime64": "clock_settime",
	"clock_adjtime64": "clock_adjtime", "clock_getres_time64": "clock_getres",
	"clock_nanosleep_time64": "clock_nanosleep", "timer_gettime64": "timer_gettime",
	"timer_settime64": "timer_settime", "timerfd_gettime64": "timerfd_gettime",
	"timerfd_settime64": "timerfd_settime", "utimensat_time64": "utimensat",
	"pselect6_time64": "pselect6", "ppoll_time64": "ppoll", "io_pgetevents_time64": "io_pgetevents",
	"recvmmsg_time64": "recvmmsg", "mq_timedsend_time64": "mq_timedsend",
	"mq_timedreceive_time64": "mq_timedreceive", "semtimedop_time64": "semtimedop",
	"rt_sigtimedwait_time64": "rt_sigtimedwait", "futex_time64": "futex",
	"sched_rr_get_interval_time64": "sched_rr_get_interval",
}

// manNames maps a syscall to the man page function that documents it under another name.
var manNames = map[string]string{
	"rt_sigaction": "sigaction", "rt_sigprocmask": "sigprocmask", "rt_sigpending": "sigpending",
	"rt_sigsuspend": "sigsuspend", "rt_sigtimedwait": "sigtimedwait", "pselect6": "pselect",
	"rt_sigqueueinfo": "sigqueueinfo", "newfstatat": "fstatat", "fstatat64": "fstatat",
	"pread64": "pread", "pwrite64": "pwrite", "prlimit64": "prlimit", "sendfile64": "sendfile",
	"fadvise64": "posix_fadvise", "fadvise64_64": "posix_fadvise", "truncate64": "truncate",
	"ftruncate64": "ftruncate", "fcntl64": "fcntl",
}

// archEntryPoints are the entry points particular to one arch (from its syscall table).
var archEntryPoints = map[string]map[string]string{
	"i386":  withUID16(map[string]string{"mmap": "old_mmap", "select": "old_select", "getrlimit": "old_getrlimit"}),
	"arm":   withUID16(map[string]string{}),
	"s390x": {"mmap": "old_mmap"},
}

// uid16Calls are the syscalls whose unsuffixed numbers on i386 and arm enter kernel/uid16.c's
// 16-bit versions (syscall_32.tbl: 23 i386 setuid sys_setuid16): their old_uid_t and
// old_gid_t arguments are 16 bits there, and the kernel drops the rest of the register.
var uid16Calls = []string{
	"chown", "lchown", "fchown", "setregid", "setgid", "setreuid", "setuid", "setresuid",
	"getresuid", "setresgid", "getresgid", "setfsuid", "setfsgid", "getgroups", "setgroups",
}

// withUID16 adds the 16-bit entry points of uid16Calls to an arch's entry points.
func withUID16(m map[string]string) map[string]string {
	for _, name := range uid16Calls {
		m[name] = name + "16"
	}
	return m
}

// manual holds the signatures the sources cannot give: clone's per-arch argument order
// (kernel/fork.c's CLONE_BACKWARDS variants, names from clone(2)'s NOTES) and arm's own calls.
var manual = map[string]map[string]string{
	"clone": {
		"":           "unsigned long flags, void *stack, int *parent_tid, int *child_tid, unsigned long tls",
		"backwards":  "unsigned long flags, void *stack, int *parent_tid, unsigned long tls, int *child_tid",
		"backwards2": "void *stack, unsigned long flags, int *parent_tid, int *child_tid, unsigned long tls",
	},
	"arm_fadvise64_64": {"": "int fd, int advice, loff_t offset, loff_t len"},
}

// archManual holds the signatures of an arch's private calls, which no header declares.
// arm's are run by arch/arm/kernel/traps.c's arm_syscall (transcribed here: the kernel
// headers leave it out): cacheflush is do_cache_op(r0, r1, r2), set_tls is set_tls(r0), the
// others read no register.
var archManual = map[string]map[string]string{
	"arm": {
		"breakpoint": "void", "usr26": "void", "usr32": "void", "get_tls": "void",
		"cacheflush": "unsigned long start, unsigned long end, int flags",
		"set_tls":    "unsigned long val",
	},
}

// sigBuilder holds the parsed sources while signatures are built.
type sigBuilder struct {
	kernel map[string][]kernelDecl
	man    map[string][]manProto
}

// buildSignatures computes every syscall's signature on every arch that has it.
func buildSignatures(src *sources, t sysTable) (sigTable, error) {
	kernel, err := readKernelDecls(src.syscalls)
	if err != nil {
		return nil, err
	}
	man, err := readManPages(src.man2)
	if err != nil {
		return nil, err
	}
	b := &sigBuilder{kernel: kernel, man: man}
	out := sigTable{}
	for _, name := range t.names("") {
		for _, a := range arches {
			if _, ok := t[name][a.Name]; !ok {
				continue
			}
			sig, ok, err := b.signature(a, name)
			if err != nil {
				return nil, fmt.Errorf("%s on %s: %v", name, a.Name, err)
			}
			if ok {
				if out[name] == nil {
					out[name] = map[string]signature{}
				}
				out[name][a.Name] = sig
			}
		}
	}
	return out, nil
}

// signature builds one syscall's signature on one arch.
func (b *sigBuilder) signature(a archSpec, name string) (signature, bool, error) {
	params, source, err := b.cSignature(a, name)
	if err != nil || params == nil && source == "" {
		return signature{}, false, err
	}
	sig := signature{Source: source}
	for i, p := range params {
		c, err := classOf(p.Type)
		if err != nil {
			return sig, false, err
		}
		if positional.MatchString(p.Name) && p.Name != fmt.Sprintf("arg%d", i) {
			p.Name = "" // keyctl's arg2 is its argument 1: don't shadow the positional name
		}
		sig.Params = append(sig.Params, sigParam{Class: c, Name: p.Name, Type: p.Type})
	}
	sig.Params = splitPairs(sig.Params, a.Pairs)
	if len(sig.Params) > 6 {
		return sig, false, fmt.Errorf("%d arguments", len(sig.Params))
	}
	return sig, true, uniqueNames(sig.Params)
}

var positional = regexp.MustCompile(`^arg\d+$`)

// cSignature finds the C parameters of a syscall on an arch and says where they came from.
func (b *sigBuilder) cSignature(a archSpec, name string) ([]cParam, string, error) {
	if proto, ok := archManual[a.Name][name]; ok {
		params, err := splitParams(proto)
		if params == nil {
			params = []cParam{}
		}
		return params, "gen", err
	}
	if variants, ok := manual[name]; ok {
		proto, ok := variants[a.Clone]
		if !ok {
			proto = variants[""]
		}
		params, err := splitParams(proto)
		return params, "gen", err
	}
	entry := name
	if e, ok := archEntryPoints[a.Name][name]; ok {
		entry = e
	} else if e, ok := entryPoints[name]; ok {
		entry = e
	}
	decl, ok, err := b.kernelDecl(a.Name, "sys_"+entry)
	if err != nil {
		return nil, "", err
	}
	if !ok {
		if params := b.manOnly(name); params != nil {
			return params, "man2", nil
		}
		return nil, "", nil
	}
	params := append([]cParam(nil), decl.Params...)
	names := []string{name, entry, strings.TrimSuffix(name, "_time64"), manNames[strings.TrimSuffix(name, "_time64")]}
	if b.nameFromMan(params, false, names...) || b.nameFromMan(params, true, names...) {
		return params, "syscalls.h+man2", nil
	}
	return params, "syscalls.h", nil
}

// kernelDecl returns the declaration of entry in syscalls.h that applies to arch.
func (b *sigBuilder) kernelDecl(arch, entry string) (kernelDecl, bool, error) {
	var found []kernelDecl
	for _, d := range b.kernel[entry] {
		if d.applies(arch) {
			found = append(found, d)
		}
	}
	if len(found) > 1 {
		return kernelDecl{}, false, fmt.Errorf("%d declarations of %s apply: add the condition to condArches", len(found), entry)
	}
	if len(found) == 0 {
		return kernelDecl{}, false, nil
	}
	return found[0], true, nil
}

// nameFromMan replaces the kernel's parameter names by those of a man page prototype
// documenting one of names with a compatible arity (the same, or fewer fixed parameters and
// "..."). In fill mode it instead names only the parameters syscalls.h leaves unnamed, from a
// prototype with no more parameters (ppoll(2) lacks the kernel's trailing sigsetsize). It
// reports whether it used a man page.
func (b *sigBuilder) nameFromMan(params []cParam, fill bool, names ...string) bool {
	if fill && namedAll(params) {
		return false
	}
	for _, n := range names {
		for _, m := range b.man[n] {
			fixed := len(m.Params)
			if m.Variadic {
				fixed--
			}
			exact := fixed == len(params) || m.Variadic && fixed < len(params)
			if fixed > len(params) || !fill && !exact || !namedAll(m.Params[:fixed]) {
				continue
			}
			for i, p := range m.Params {
				if i < len(params) && p.Name != "" && (!fill || params[i].Name == "") {
					params[i].Name = p.Name
				}
			}
			return true
		}
	}
	return false
}

// manOnly returns the man page's prototype of a syscall syscalls.h lacks, if it has one
// without variadic parameters and with every parameter named.
func (b *sigBuilder) manOnly(name string) []cParam {
	for _, m := range b.man[name] {
		if !m.Variadic && namedAll(m.Params) {
			if m.Params == nil {
				return []cParam{}
			}
			return m.Params
		}
	}
	return nil
}

func namedAll(params []cParam) bool {
	for _, p := range params {
		if p.Name == "" || !ident.MatchString(p.Name) {
			return false
		}
	}
	return true
}

// uniqueNames fails when two parameters share a name.
func uniqueNames(params []sigParam) error {
	seen := map[string]bool{}
	for _, p := range params {
		if p.Name != "" && seen[p.Name] {
			return fmt.Errorf("parameter %s twice", p.Name)
		}
		seen[p.Name] = true
	}
	return nil
}

// splitPairs passes each 64-bit parameter of a 32-bit ABI in two 32-bit registers, low word
// first (both ABIs here are little-endian); "aligned" first skips to an even register.
func splitPairs(params []sigParam, pairs string) []sigParam {
	if pairs == "" {
		return params
	}
	var out []sigParam
	for _, p := range params {
		if p.Class != 'q' {
			out = append(out, p)
			continue
		}
		if pairs == "aligned" && len(out)%2 == 1 {
			out = append(out, sigParam{Class: 'i', Type: "padding"})
		}
		out = append(out,
			sigParam{Class: 'i', Name: halfName(p.Name, "lo"), Type: p.Type + " (low word)"},
			sigParam{Class: 'i', Name: halfName(p.Name, "hi"), Type: p.Type + " (high word)"})
	}
	return out
}

func halfName(name, half string) string {
	if name == "" {
		return ""
	}
	return name + "_" + half
}

// formatSignatures renders data/signatures.txt (see the header it writes).
func formatSignatures(t sigTable, sys sysTable) []byte {
	var b bytes.Buffer
	b.WriteString("# Code generated by stdlib/internal/gen; DO NOT EDIT.\n")
	b.WriteString("# Signatures, tab-separated: syscall, arches ('*': every arch that has it), source,\n")
	b.WriteString("# then parameters separated by '|', each 'class name type': class h = 16 bits,\n")
	b.WriteString("# i = 32 bits, l = the ABI's long (Arch.LongBits), q = 64 bits; name '-' = unnamed.\n")
	names := make([]string, 0, len(t))
	for name := range t {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		groups := groupSignatures(t[name], len(sys[name]))
		for _, g := range groups {
			fmt.Fprintf(&b, "%s\t%s\t%s\n", name, g.arches, g.line)
		}
	}
	return b.Bytes()
}

type sigGroup struct{ arches, line string }

// groupSignatures groups arches with identical signatures; a group covering all the
// syscall's arches (it exists on total of them) is written '*'.
func groupSignatures(perArch map[string]signature, total int) []sigGroup {
	var out []sigGroup
	index := map[string]int{}
	for _, a := range arches {
		sig, ok := perArch[a.Name]
		if !ok {
			continue
		}
		line := encodeSignature(sig)
		i, seen := index[line]
		if !seen {
			i = len(out)
			index[line] = i
			out = append(out, sigGroup{line: line})
		}
		out[i].arches = strings.TrimPrefix(out[i].arches+","+a.Name, ",")
	}
	if len(out) == 1 && len(perArch) == total {
		out[0].arches = "*"
	}
	return out
}

func encodeSignature(sig signature) string {
	parts := make([]string, len(sig.Params))
	for i, p := range sig.Params {
		name := p.Name
		if name == "" {
			name = "-"
		}
		parts[i] = fmt.Sprintf("%c %s %s", p.Class, name, p.Type)
	}
	return sig.Source + "\t" + strings.Join(parts, "|")
}
