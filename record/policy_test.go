package record

import (
	"strings"
	"testing"
	"time"

	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/stdlib"
)

func TestSpell(t *testing.T) {
	for _, c := range []struct {
		fam  Family
		v    uint64
		want string
	}{
		{socketDomain, 1, "AF_UNIX"}, // not AF_LOCAL, its alias
		{socketDomain, 10, "AF_INET6"},
		{socketDomain, 0x777, "0x777"},
		{socketType, 0x80001, "SOCK_STREAM | SOCK_CLOEXEC"},
		{socketType, 2, "SOCK_DGRAM"},
		{socketType, 0x100002, "0x100002"}, // bit 20 is no SOCK_ flag
		{cloneFlags, 0x1200011, "SIGCHLD | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID"},
		{cloneFlags, 0x11, "SIGCHLD"},
		{ioctlRequest, 0x5401, "TCGETS"},
		{ioctlRequest, 0x5413, "TIOCGWINSZ"},
		{prctlOption, 15, "PR_SET_NAME"},
		{prctlOption, 1, "PR_SET_PDEATHSIG"}, // not PR_SET_MM_START_CODE
		{fcntlCmd, 1, "F_GETFD"},
		{fcntlCmd, 0x406, "F_DUPFD_CLOEXEC"},
		{Family{}, 0xffffffff, "0xffffffff"},
	} {
		if got := c.fam.Spell("x86_64", c.v); got != c.want {
			t.Errorf("Spell(%#x) = %q, want %q", c.v, got, c.want)
		}
	}
}

func TestGroupsOnlyWhenEveryMemberWasCalled(t *testing.T) {
	members, err := compiler.ExpandStdGroup("@signal", "x86_64")
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{"read": true}
	for _, m := range members {
		allowed[m] = true
	}
	groups, names := groupNames(allowed, []string{"x86_64"})
	if strings.Join(groups, ",") != "@signal" || strings.Join(names, ",") != "read" {
		t.Errorf("all of @signal and read: groups %v, names %v", groups, names)
	}
	delete(allowed, members[0])
	groups, names = groupNames(allowed, []string{"x86_64"})
	if len(groups) != 0 || len(names) != len(members) {
		t.Errorf("@signal less %s: groups %v, names %v", members[0], groups, names)
	}
}

// syntheticRecording is a recording of calls on x86_64 and i386, with an unknown number.
func syntheticRecording(t *testing.T, i386 bool) *Recording {
	t.Helper()
	rec := &Recording{Argv: []string{"/usr/bin/my prog", "a b"}, Started: time.Unix(0, 0),
		Duration: 5 * time.Millisecond, ExitStatus: 1}
	add := func(arch, name string, count int, args map[string][]uint64) {
		nr, ok := stdlib.SyscallNumber(arch, name)
		if !ok {
			t.Fatalf("no %s on %s", name, arch)
		}
		rec.Syscalls = append(rec.Syscalls, Syscall{Arch: arch, Nr: nr, Name: name, Count: count, Args: args})
	}
	signal, _ := compiler.ExpandStdGroup("@signal", "x86_64")
	for _, m := range signal {
		add("x86_64", m, 1, nil)
	}
	add("x86_64", "execve", 1, nil)
	add("x86_64", "write", 40, nil)
	add("x86_64", "socket", 3, map[string][]uint64{"domain": {1, 2}, "type": {0x80001}})
	if i386 {
		add("i386", "write", 2, nil)
	}
	rec.Syscalls = append(rec.Syscalls, Syscall{Arch: "x86_64", Nr: 999, Count: 4})
	return rec
}

func TestGenerate(t *testing.T) {
	rec := syntheticRecording(t, false)
	src, err := Generate(rec, PolicyOptions{Args: true, Default: "kill"})
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	for _, want := range []string{
		`#   "/usr/bin/my prog" "a b"`,
		"# Exit status 1; 52 calls of 11 syscalls in 5ms.",
		"# Not allowed: syscall 999 of x86_64 (4 calls), unknown to scc's tables.",
		"policy my_prog {",
		"arch x86_64\n",
		"default kill",
		"allow @signal\n",
		"allow execve, write\n",
		"write 40",
		"allow socket if domain in {AF_UNIX, AF_INET} && type in {SOCK_STREAM | SOCK_CLOEXEC}",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
	out, errs := pipeline.BuildSource("p.sc", src, pipeline.Options{})
	if errs.HasErrors() {
		t.Fatalf("%v\n%s", errs.Err(), text)
	}
	if len(out.Filter.Arches) != 1 {
		t.Errorf("the filter covers %#x", out.Filter.Arches)
	}
	without, err := Generate(rec, PolicyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(without), "allow execve, socket, write\n") {
		t.Errorf("without args, socket is not allowed by name:\n%s", without)
	}
}

func TestGenerateOtherABIs(t *testing.T) {
	src, err := Generate(syntheticRecording(t, true), PolicyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	// @signal's i386 members (sigaction, ...) were not called: the group is not used.
	for _, want := range []string{"arch x86_64, i386", "write 42", "rt_sigaction, "} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
	if strings.Contains(text, "@signal") {
		t.Errorf("@signal used though its i386 members were not called:\n%s", text)
	}
	out, errs := pipeline.BuildSource("p.sc", src, pipeline.Options{})
	if errs.HasErrors() {
		t.Fatalf("%v\n%s", errs.Err(), text)
	}
	if len(out.Filter.Arches) != 2 {
		t.Errorf("the filter covers %#x", out.Filter.Arches)
	}
}

func TestPolicyName(t *testing.T) {
	for argv, want := range map[string]string{
		"/usr/bin/ls": "ls", "python3.11": "python3_11", "2to3": "recorded_2to3",
		"policy": "recorded_policy", "": "recorded", "./my-prog": "my_prog", "/opt/café": "caf_",
		"/": "_",
	} {
		if got := PolicyName([]string{argv}); got != want {
			t.Errorf("PolicyName(%q) = %q, want %q", argv, got, want)
		}
	}
}

// TestIdentifier: every name becomes one that a policy can be named, and an identifier stays.
func TestIdentifier(t *testing.T) {
	for name, want := range map[string]string{
		"my-prog": "my_prog", "web_server2": "web_server2", "a.b c": "a_b_c", "9lives": "recorded_9lives",
		"if": "recorded_if", "": "recorded_", "日本": "__",
	} {
		got := Identifier(name)
		if got != want {
			t.Errorf("Identifier(%q) = %q, want %q", name, got, want)
		}
		src := "policy " + got + " {\n}\n"
		if _, errs := pipeline.BuildSource("id.sc", []byte(src), pipeline.Options{}); errs.HasErrors() {
			t.Errorf("policy %s does not build: %v", got, errs)
		}
	}
}
