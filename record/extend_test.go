package record

import (
	"strings"
	"testing"
	"time"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/stdlib"
)

// TestExtend: the base's rules stay first and decide what they decide; the run's other
// calls are allowed after them; a call the base refuses unconditionally is named, not added.
func TestExtend(t *testing.T) {
	base := Base{Name: "base.sc", Source: []byte(`policy base {
    arch x86_64
    default errno(EPERM)
    errno(EACCES) mkdir
    allow socket if domain == AF_UNIX
    allow read, write
}
`)}
	nr := func(name string) uint32 {
		n, ok := stdlib.SyscallNumber("x86_64", name)
		if !ok {
			t.Fatalf("no %s", name)
		}
		return n
	}
	var calls []Syscall
	for _, name := range []string{"read", "mkdir", "socket", "openat", "close"} {
		calls = append(calls, Syscall{Arch: "x86_64", Nr: nr(name), Name: name, Count: 1})
	}
	calls = append(calls, Syscall{Arch: "i386", Nr: 5, Name: "open", Count: 1}) // not the base's arch
	rec := &Recording{Argv: []string{"app", "--flag"}, Started: time.Unix(0, 0), Syscalls: calls}
	src, err := Extend(base, rec, PolicyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	for _, want := range []string{
		"    errno(EACCES) mkdir\n",
		"    # Added by scc record on 1970-01-01T00:00:00Z:\n    #   app --flag\n",
		"which the base refuses with a rule of its own: mkdir.",
		"    allow close, openat, socket\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the extended policy lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "allow close, mkdir") || strings.Contains(text, " open\n") {
		t.Errorf("the extended policy allows what it should not:\n%s", text)
	}
	out, errs := pipeline.BuildSource("ext.sc", src, pipeline.Options{})
	if errs.HasErrors() {
		t.Fatalf("%v\n%s", errs, text)
	}
	decide := func(name string, args ...uint64) ir.Action {
		d := program.SeccompData{Nr: int32(nr(name)), Arch: ir.AuditArchX86_64}
		copy(d.Args[:], args)
		return out.Policy.Decide(d)
	}
	if got := decide("mkdir"); got != ir.ErrnoAction(13) {
		t.Errorf("mkdir: %v, want the base's EACCES", got)
	}
	if got := decide("socket", 2); got != ir.ActAllow {
		t.Errorf("socket(AF_INET): %v, want allow (the run called socket)", got)
	}
	if got := decide("execve"); got != ir.ErrnoAction(1) {
		t.Errorf("execve: %v, want the default", got)
	}
}

// TestExtendNothingToAdd: a run the base covers adds a comment and no rule.
func TestExtendNothingToAdd(t *testing.T) {
	base := Base{Name: "b.sc", Source: []byte("policy b {\n    arch x86_64\n    allow read\n}\n")}
	rec := &Recording{Argv: []string{"x"}, Syscalls: []Syscall{{Arch: "x86_64", Nr: 0, Name: "read", Count: 3}}}
	src, err := Extend(base, rec, PolicyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), "Nothing to add") || strings.Count(string(src), "    allow ") != 1 {
		t.Errorf("got:\n%s", src)
	}
}
