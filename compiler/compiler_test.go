package compiler

import (
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/stdlib"
)

// writeFiles writes files into a temporary folder and returns its path.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func compileOK(t *testing.T, src string) *Result {
	t.Helper()
	res, errs := CompileSource("test.sc", []byte(src), Options{})
	if errs.HasErrors() {
		t.Fatalf("compile failed:\n%v", errs)
	}
	return res
}

func x86(t *testing.T, p *ir.Policy) *ir.ArchPolicy {
	t.Helper()
	for _, ap := range p.Arches {
		if ap.Arch.Name == "x86_64" {
			return ap
		}
	}
	t.Fatal("no x86_64 in policy")
	return nil
}

func nr(t *testing.T, arch, name string) int32 {
	t.Helper()
	n, ok := stdlib.SyscallNumber(arch, name)
	if !ok {
		t.Fatalf("no syscall %s on %s", name, arch)
	}
	return int32(n)
}

func constant(t *testing.T, name string) uint64 {
	t.Helper()
	v, ok := stdlib.Constant("x86_64", name)
	if !ok {
		t.Fatalf("no constant %s", name)
	}
	return v
}

// TestDesignExample compiles the language's founding example (the one at the top of
// docs/language.md), with the files it refers to, and checks
// the decisions it promises.
func TestDesignExample(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"common.sc": "policy base {\n    allow getpid, gettid\n}\n",
		"web.sc": `# web.sc: a comment runs from '#' to the end of the line
include "common.sc"                         # relative to this file; cycles are errors
const MAX_FD = 1024
group @web-io = read, write, readv, writev, @network-io

policy web {
    arch x86_64, i386, x32                  # optional; default: the host's arch
    default errno(EPERM)                    # what no rule matches

    allow @web-io, close, futex, exit_group, rt_sigreturn
    allow mmap, mprotect if prot & PROT_EXEC == 0          # named args from the signature
    allow socket if domain in {AF_INET, AF_INET6, AF_UNIX}
    errno(EAFNOSUPPORT) socket                             # first match wins, per syscall
    allow fcntl if fd < MAX_FD && (cmd == F_GETFL || cmd == F_SETFL)
    allow ioctl if arg1 == TCGETS                          # positional args arg0..arg5
    kill ptrace, process_vm_writev                         # kill = the whole process
    log personality
    use base                                               # splice policy base's rules here

    expect socket(AF_INET, SOCK_STREAM, 0) => allow        # checked by ` + "`scc test`" + `
    expect socket(AF_PACKET, SOCK_RAW, 0) => errno(EAFNOSUPPORT)
}
`,
	})
	res, errs := CompileFile(filepath.Join(dir, "web.sc"), Options{})
	if errs.HasErrors() {
		t.Fatalf("compile failed:\n%v", errs)
	}
	p := res.Policy
	if got := len(p.Arches); got != 3 {
		t.Fatalf("policy has %d arches, want 3", got)
	}
	audit := x86(t, p).Arch.Audit
	call := func(name string, args ...uint64) ir.Action {
		d := program.SeccompData{Nr: nr(t, "x86_64", name), Arch: audit}
		copy(d.Args[:], args)
		return p.Decide(d)
	}
	eperm := ir.ErrnoAction(uint16(constant(t, "EPERM")))
	checks := []struct {
		got, want ir.Action
		what      string
	}{
		{call("read"), ir.ActAllow, "read"},
		{call("getpid"), ir.ActAllow, "getpid from use base"},
		{call("mmap", 0, 4096, constant(t, "PROT_READ")), ir.ActAllow, "mmap PROT_READ"},
		{call("mmap", 0, 4096, constant(t, "PROT_READ")|constant(t, "PROT_EXEC")), eperm, "mmap PROT_EXEC"},
		{call("socket", constant(t, "AF_INET6")), ir.ActAllow, "socket AF_INET6"},
		{call("socket", constant(t, "AF_PACKET")), ir.ErrnoAction(uint16(constant(t, "EAFNOSUPPORT"))), "socket AF_PACKET"},
		{call("fcntl", 3, constant(t, "F_GETFL")), ir.ActAllow, "fcntl F_GETFL"},
		{call("fcntl", 2000, constant(t, "F_GETFL")), eperm, "fcntl fd 2000"},
		{call("ioctl", 1, constant(t, "TCGETS")), ir.ActAllow, "ioctl TCGETS"},
		{call("ioctl", 1, 0xdead00000000|constant(t, "TCGETS")), ir.ActAllow, "ioctl TCGETS, garbage high half"},
		{call("ptrace"), ir.ActKillProcess, "ptrace"},
		{call("personality"), ir.ActLog, "personality"},
		{call("mount"), eperm, "mount"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.what, c.got, c.want)
		}
	}
	if len(res.Expects) != 6 { // two expect lines on three arches
		t.Errorf("got %d expects, want 6", len(res.Expects))
	}
	for _, e := range res.Expects {
		if got := p.Decide(e.Data); got != e.Want {
			t.Errorf("%s on %s: got %v, want %v", e.Text, e.Arch.Name, got, e.Want)
		}
	}
}

func TestWidths(t *testing.T) {
	res := compileOK(t, `policy p {
    arch x86_64, i386
    allow read if fd == -1
    allow lseek if offset == -1
    allow ioctl if request == TCGETS
}`)
	ap := x86(t, res.Policy)
	cmp := func(name string) ir.Cmp {
		t.Helper()
		r := ap.Rules[uint32(nr(t, "x86_64", name))]
		if len(r) != 1 {
			t.Fatalf("%s has %d rules", name, len(r))
		}
		return r[0].Cond.(ir.Cmp)
	}
	if c := cmp("read"); c.Width != 32 || c.Value != 0xffffffff {
		t.Errorf("read fd == -1: got %+v, want a 32-bit compare with 0xffffffff", c)
	}
	if c := cmp("lseek"); c.Width != 64 || c.Value != ^uint64(0) {
		t.Errorf("lseek offset == -1: got %+v, want a 64-bit compare with all ones", c)
	}
	if c := cmp("ioctl"); c.Width != 32 || c.Arg != 1 {
		t.Errorf("ioctl request: got %+v, want 32-bit arg1", c)
	}
	for _, ap := range res.Policy.Arches {
		if ap.Arch.Name != "i386" {
			continue
		}
		for _, rules := range ap.Rules {
			for _, r := range rules {
				if c := r.Cond.(ir.Cmp); c.Width != 32 {
					t.Errorf("i386: %v is not 32-bit", c)
				}
			}
		}
	}
}

// TestErrors checks each kind of bad input gets its positioned message and hint.
func TestErrors(t *testing.T) {
	cases := []struct {
		name, src, want, hint string
	}{
		{"unknown syscall", "policy p {\n    allow opnat\n}\n", "test.sc:2:11: unknown syscall opnat", "did you mean openat?"},
		{"unknown constant", "policy p {\n    allow socket if domain == AF_INTE\n}\n", "test.sc:2:31: unknown name AF_INTE", "did you mean AF_INET?"},
		{"unknown group", "policy p {\n    allow @basic-oi\n}\n", "test.sc:2:11: unknown group @basic-oi", "did you mean @basic-io?"},
		{"unknown policy", "policy p {\n    use bse\n}\npolicy base {\n    use p\n}\n", "test.sc:2:9: unknown policy bse", "did you mean base?"},
		{"wide constant", "policy p {\n    allow read if fd == 0x100000000\n}\n", "test.sc:2:25: constant 0x100000000 does not fit the 32-bit argument fd of read", ""},
		{"arg6", "policy p {\n    allow read if arg6 == 0\n}\n", "test.sc:2:19: arg6: a syscall has at most 6 arguments", ""},
		{"missing arg", "policy p {\n    allow read, mmap if prot == 0\n}\n", "test.sc:2:25: read has no argument prot", ""},
		{"constant of other arches", "policy p {\n    arch x86_64, aarch64\n    allow mmap if flags & MAP_32BIT == 0\n}\n", "test.sc:3:27: constant MAP_32BIT is not defined on aarch64", "it is on x86_64, i386, x32;"},
		{"no such arg", "policy p {\n    allow read if prto == 0\n}\n", "test.sc:2:19: unknown name prto in the condition for read", ""},
		{"none of the arches", "policy p {\n    arch aarch64\n    allow open\n}\n", "test.sc:3:11: syscall open exists on none of this policy's arches (aarch64)", ""},
		{"errno too big", "policy p {\n    default errno(5000)\n}\n", "test.sc:2:19: errno(5000): the value must be between 0 and 4095", ""},
		{"trap too big", "policy p {\n    trap(70000) read\n}\n", "test.sc:2:10: trap(70000): the value must be between 0 and 65535", ""},
		{"use cycle", "policy p {\n    use q\n}\npolicy q {\n    use p\n}\n", "use cycle", ""},
		{"two arguments", "policy p {\n    allow read if fd == count\n}\n", "cannot compare two arguments", ""},
		{"arith on arg", "policy p {\n    allow read if fd + 1 == 2\n}\n", "an argument can only be compared", ""},
		{"bare arg", "policy p {\n    allow read if fd\n}\n", "a condition must be a comparison", ""},
		{"unknown arch", "policy p {\n    arch x86_46\n}\n", "unknown arch x86_46", "did you mean x86_64?"},
		{"unknown flag", "policy p {\n    flags lgo\n}\n", "unknown filter flag lgo", ""},
		{"empty file", "", "test.sc:1:1: no policy in test.sc", ""},
		{"const cycle", "const A = B\nconst B = A\npolicy p {\n    errno(A) read\n}\n", "defined in terms of itself", ""},
		{"all ones on 32 bits", "policy p {\n    allow read if fd == 0xffffffffffffffff\n}\n", "test.sc:2:25: constant 0xffffffffffffffff does not fit the 32-bit argument fd of read", ""},
		{"too negative", "policy p {\n    allow read if fd == -0x80000001\n}\n", "does not fit the 32-bit argument fd", ""},
		{"shift too far", "const A = 1 << 64\npolicy p {\n    errno(A) read\n}\n", "test.sc:1:13: shift by 64", ""},
		{"negative errno", "policy p {\n    default errno(-1)\n}\n", "errno(-1): the value must be between 0 and 4095", ""},
		{"builtin redefined", "const EPERM = 2\npolicy p {\n}\n", "test.sc:1:7: constant EPERM is built in", ""},
		{"flags twice", "policy p {\n    flags log\n    flags tsync\n}\n", "test.sc:3:5: policy p names its flags twice", ""},
		{"flag combination", "policy p {\n    flags tsync, new_listener\n}\n", "test.sc:2:5: flags tsync and new_listener need tsync_esrch", ""},
		{"killable recv", "policy p {\n    flags wait_killable_recv\n}\n", "test.sc:2:5: flag wait_killable_recv needs new_listener", ""},
		{"duplicate const", "const A = 1\nconst A = 2\npolicy p {\n}\n", "test.sc:2:7: constant A is already defined at test.sc:1:1", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errs := CompileSource("test.sc", []byte(c.src), Options{})
			if !errs.HasErrors() {
				t.Fatalf("no error, want %q", c.want)
			}
			for _, d := range errs {
				if strings.Contains(d.Error(), c.want) && strings.Contains(d.Hint, c.hint) {
					return
				}
			}
			t.Errorf("errors:\n%v\nwant one containing %q with hint %q", errs, c.want, c.hint)
		})
	}
}

// TestExactConstants: constants are exact integers, fitted to the argument's width at the end.
func TestExactConstants(t *testing.T) {
	res := compileOK(t, `const BIG = 1 << 40
policy p {
    arch x86_64
    allow read if fd == -1
    allow lseek if offset == BIG - (BIG - 5)
    allow mmap if prot & ~PROT_EXEC == PROT_READ
    allow write if fd == 0xffffffff
}`)
	ap := x86(t, res.Policy)
	cond := func(name string) ir.Cmp {
		return ap.Rules[uint32(nr(t, "x86_64", name))][0].Cond.(ir.Cmp)
	}
	if c := cond("read"); c.Value != 0xffffffff {
		t.Errorf("fd == -1: %v", c)
	}
	if c := cond("lseek"); c.Value != 5 || c.Width != 64 {
		t.Errorf("offset == 5: %v", c)
	}
	if c := cond("mmap"); c.Mask != 0xffffffff&^uint64(constant(t, "PROT_EXEC")) {
		t.Errorf("prot & ~PROT_EXEC: %v", c)
	}
	if c := cond("write"); c.Value != 0xffffffff {
		t.Errorf("fd == 0xffffffff: %v", c)
	}
}

func TestAllErrorsAtOnce(t *testing.T) {
	_, errs := CompileSource("test.sc", []byte("policy p {\n    allow opnat\n    allow reed\n    errno(5000) close\n}\n"), Options{})
	if len(errs) != 3 {
		t.Errorf("got %d errors, want 3:\n%v", len(errs), errs)
	}
}

func TestIncludes(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.sc":       "include \"sub/b.sc\"\npolicy a {\n    use b\n}\n",
		"sub/b.sc":   "include \"c.sc\"\npolicy b {\n    allow read\n}\n",
		"sub/c.sc":   "const C = 1\n",
		"cycle1.sc":  "include \"cycle2.sc\"\npolicy p {\n}\n",
		"cycle2.sc":  "include \"cycle1.sc\"\n",
		"missing.sc": "include \"nope.sc\"\npolicy p {\n}\n",
	})
	if _, errs := CompileFile(filepath.Join(dir, "a.sc"), Options{}); errs.HasErrors() {
		t.Errorf("nested relative includes: %v", errs)
	}
	_, errs := CompileFile(filepath.Join(dir, "cycle1.sc"), Options{})
	if !strings.Contains(errs.Error(), "include cycle") || !strings.Contains(errs.Error(), "cycle2.sc:1:1") {
		t.Errorf("include cycle: got %v", errs)
	}
	_, errs = CompileFile(filepath.Join(dir, "missing.sc"), Options{})
	if !strings.Contains(errs.Error(), "missing.sc:1:1: cannot include \"nope.sc\": no such file") {
		t.Errorf("missing include: got %v", errs)
	}
}

func TestFirstMatchAndNewer(t *testing.T) {
	res := compileOK(t, `policy p {
    arch x86_64
    default errno(EPERM)
    default newer errno(ENOSYS)
    errno(EACCES) openat if flags & O_CREAT != 0
    allow openat
    errno(ENOENT) openat
}`)
	p := res.Policy
	ap := x86(t, p)
	openat := nr(t, "x86_64", "openat")
	d := program.SeccompData{Nr: openat, Arch: ap.Arch.Audit, Args: [6]uint64{0, 0, constant(t, "O_CREAT")}}
	if got := p.Decide(d); got != ir.ErrnoAction(uint16(constant(t, "EACCES"))) {
		t.Errorf("openat O_CREAT: got %v", got)
	}
	d.Args[2] = 0
	if got := p.Decide(d); got != ir.ActAllow {
		t.Errorf("openat: got %v", got)
	}
	d.Nr = int32(ap.MaxKnown + 1)
	if got := p.Decide(d); got != ir.ErrnoAction(uint16(constant(t, "ENOSYS"))) {
		t.Errorf("newer syscall: got %v", got)
	}
	d.Nr = 0x40000000 | openat
	if got := p.Decide(d); got != ir.ActKillProcess {
		t.Errorf("x32 number without x32 declared: got %v", got)
	}
}

func TestStdlibGroupsParse(t *testing.T) {
	if errs := stdGroups().errs; len(errs) > 0 {
		t.Fatalf("standard groups do not parse:\n%v", errs)
	}
	if len(StdGroups()) < 29 {
		t.Errorf("only %d standard groups", len(StdGroups()))
	}
	for _, g := range StdGroups() {
		for _, a := range stdlib.Arches() {
			if _, err := ExpandStdGroup(g.Name, a.Name); err != nil {
				t.Errorf("%s on %s: %v", g.Name, a.Name, err)
			}
		}
	}
}

// TestFitWidth checks the bounds of each width: [-2^(bits-1), 2^bits), negatives in two's
// complement.
func TestFitWidth(t *testing.T) {
	big1 := func(s string) *big.Int {
		v, ok := new(big.Int).SetString(s, 0)
		if !ok {
			t.Fatalf("bad number %s", s)
		}
		return v
	}
	cases := []struct {
		v    string
		bits int
		want uint64
		ok   bool
	}{
		{"0", 16, 0, true}, {"0xffff", 16, 0xffff, true}, {"0x10000", 16, 0, false},
		{"-1", 16, 0xffff, true}, {"-0x8000", 16, 0x8000, true}, {"-0x8001", 16, 0, false},
		{"0xffffffff", 32, 0xffffffff, true}, {"0x100000000", 32, 0, false},
		{"-0x80000000", 32, 0x80000000, true}, {"-0x80000001", 32, 0, false},
		{"0xffffffffffffffff", 64, ^uint64(0), true}, {"0x10000000000000000", 64, 0, false},
		{"-1", 64, ^uint64(0), true}, {"-0x8000000000000000", 64, 1 << 63, true},
		{"-0x8000000000000001", 64, 0, false},
	}
	for _, c := range cases {
		if got, ok := fitWidth(big1(c.v), c.bits); got != c.want || ok != c.ok {
			t.Errorf("fitWidth(%s, %d) = %#x, %v; want %#x, %v", c.v, c.bits, got, ok, c.want, c.ok)
		}
	}
}

func TestBinaryGarbage(t *testing.T) {
	cases := []struct {
		src  string
		want int
	}{
		{"policy p {}\n", -1}, {"# héllo ✓\n", -1}, {"ab\x00c", 2}, {"ab\xffc\x00", 2},
		{"a\x00b\xff", 1}, {"é\xe2\x9c", 2}, {"\xed\xa0\x80", 0}, {"", -1},
	}
	for _, c := range cases {
		if got := binaryGarbage([]byte(c.src)); got != c.want {
			t.Errorf("binaryGarbage(%q) = %d, want %d", c.src, got, c.want)
		}
	}
}
