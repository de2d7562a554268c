package lint

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/scc-dev/scc/diag"
)

func TestDangerousSyscall(t *testing.T) {
	checkCase(t, DangerousSyscall, `allow read, ptrace`, want{"3:17", "ptrace is allowed (allow) without a condition: it reads and writes"})
	checkCase(t, DangerousSyscall, `log bpf`, want{"3:9", "bpf is allowed (log)"})
	checkCase(t, DangerousSyscall, `kill ptrace
    allow ptrace`)
	checkCase(t, DangerousSyscall, `allow ptrace if request == 0`)
	// clone: only namespace flags make it dangerous.
	checkCase(t, DangerousSyscall, `allow clone`, want{"3:11", "namespace flags"})
	checkCase(t, DangerousSyscall, `allow clone if flags & CLONE_NEWUSER == 0`, want{"3:11", "namespace flags"})
	checkCase(t, DangerousSyscall, `errno(EPERM) clone if flags & (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP) != 0
    allow clone`)
	checkCase(t, DangerousSyscall, `allow clone3 if size == 88`, want{"3:11", "clone3"})
}

func TestDefaultAllow(t *testing.T) {
	checkCase(t, DefaultAllow, `default allow
    kill ptrace`, want{"3:5", "the default is allow"})
	checkCase(t, DefaultAllow, `default errno(EPERM)
    default newer log`, want{"4:5", "newer than scc's tables is log"})
	checkCase(t, DefaultAllow, `default errno(EPERM)
    allow read`)
}

func TestSiblingBypass(t *testing.T) {
	checkCase(t, SiblingBypass, `default allow
    errno(EPERM) open`, want{"4:18", "open is refused here, but openat, openat2, creat, which do the same"})
	checkCase(t, SiblingBypass, `default errno(EPERM)
    allow openat if flags & O_ACCMODE == O_RDONLY
    allow open`, want{"4:11", "openat is refused here, but open, which does the same"})
	checkCase(t, SiblingBypass, `default errno(EPERM)
    kill open, openat, openat2, creat`)
	// errno(ENOSYS) is a fallback, not a refusal.
	checkCase(t, SiblingBypass, `default errno(EPERM)
    errno(ENOSYS) clone3
    allow clone`)
}

func TestMultiplexerBypass(t *testing.T) {
	checkCase(t, SocketcallBypass, `arch i386
    allow socket if domain == AF_INET
    allow socketcall`, want{"3:11", "socket is refused here on i386, but socketcall(1, …)"})
	checkCase(t, SocketcallBypass, `arch i386
    allow socket if domain == AF_INET
    allow socketcall if call != 1`)
	checkCase(t, SocketcallBypass, `arch x86_64
    allow socket if domain == AF_INET`)
	checkCase(t, IPCBypass, `arch i386
    default allow
    errno(EPERM) shmget`, want{"4:18", "shmget is refused here on i386, but ipc(23, …)"})
	// ipc's call number is the low 16 bits: a version in the high ones changes nothing.
	checkCase(t, IPCBypass, `arch i386
    errno(EPERM) shmget
    allow ipc if call & 0xffff != 23`)
}

func TestPartialArch(t *testing.T) {
	checkCase(t, PartialArch, `arch x86_64, aarch64
    allow read, open`, want{"3:17", "open does not exist on aarch64"})
	checkCase(t, PartialArch, `arch x86_64, aarch64
    allow read, @basic-io`)
}

func TestArchSkippedRule(t *testing.T) {
	checkCase(t, ArchSkippedRule, `arch x86_64, i386
    allow mmap if prot & PROT_EXEC == 0`, want{"3:19", "does not apply to mmap on i386"})
	checkCase(t, ArchSkippedRule, `arch x86_64, i386
    allow mprotect if prot & PROT_EXEC == 0`)
}

func TestEmptyPolicy(t *testing.T) {
	checkCase(t, EmptyPolicy, `default errno(EPERM)`, want{"1:1", "policy p has no rules"})
	checkCase(t, EmptyPolicy, `allow read`)
}

func TestKillThreadAndErrnoZero(t *testing.T) {
	checkCase(t, KillThread, `kill_thread ptrace`, want{"3:5", "only the calling thread"})
	checkCase(t, KillThread, `kill ptrace`)
	checkCase(t, ErrnoZero, `errno(0) ptrace`, want{"3:5", "does not refuse"})
	checkCase(t, ErrnoZero, `default errno(0)
    allow read`, want{"3:13", "does not refuse"})
	checkCase(t, ErrnoZero, `errno(EPERM) ptrace`)
}

func TestX32Long(t *testing.T) {
	checkCase(t, X32Long, `arch x86_64, x32
    errno(EINVAL) lseek if fd == 3 && offset == -1`, want{"3:39", "on x32, lseek's offset is a 32-bit long"})
	checkCase(t, X32Long, `arch x32
    allow mmap if arg0 == 0x100000000`, want{"3:19", "compares all 64 bits with 0x100000000"})
	// The same comparison on x86_64 alone, a value within 32 bits, an int argument, and a
	// mask that keeps only the low word are all fine.
	checkCase(t, X32Long, `arch x86_64
    errno(EINVAL) lseek if offset == -1`)
	checkCase(t, X32Long, `arch x32
    errno(EINVAL) lseek if offset == 0xffffffff`)
	checkCase(t, X32Long, `arch x32
    errno(EINVAL) lseek if fd == -1`)
	checkCase(t, X32Long, `arch x32
    errno(EINVAL) lseek if offset & 0xffffffff == 0xffffffff`)
}

func TestUserNotifWithoutListener(t *testing.T) {
	checkCase(t, NotifNoListener, `user_notif mount`, want{"3:5", "new_listener"})
	checkCase(t, NotifNoListener, `flags new_listener
    user_notif mount`)
}

func TestIgnore(t *testing.T) {
	body := `default errno(EPERM)
    # scc:ignore dangerous-syscall the tracer is this process's own child
    allow ptrace
    allow bpf  # scc:ignore dangerous-syscall loads our own socket filters
    allow personality # scc:ignore dangerous-syscall
    allow read  # scc:ignore dangerous-syscall nothing to silence here
    allow write # scc:ignore no-such-check reason`
	l := lintPolicy(t, body)
	if got := findingsOf(l, DangerousSyscall); len(got) != 1 || !strings.HasPrefix(got[0], "7:11 personality") {
		t.Errorf("dangerous-syscall findings: %q, want only personality at 7:11 (its ignore has no reason)", got)
	}
	if got := findingsOf(l, BadIgnore); len(got) != 2 || !strings.HasPrefix(got[0], "7:23 ") || !strings.HasPrefix(got[1], "9:17 ") {
		t.Errorf("bad-ignore findings: %q, want 7:23 (no reason) and 9:17 (unknown check)", got)
	}
	if got := findingsOf(l, UnusedIgnore); len(got) != 2 || !strings.HasPrefix(got[0], "8:17 ") || !strings.HasPrefix(got[1], "9:17 ") {
		t.Errorf("unused-ignore findings: %q, want 8:17 and 9:17", got)
	}
}

func sampleFindings(t *testing.T) diag.List {
	l := lintPolicy(t, `default allow
    kill_thread ptrace`)
	if len(l) != 2 {
		t.Fatalf("want 2 findings, got %v", l)
	}
	return l
}

func TestJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, sampleFindings(t)); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	first := got[0]
	for k, v := range map[string]any{"file": "p.sc", "line": 3.0, "col": 5.0, "severity": "warning", "check": DefaultAllow} {
		if first[k] != v {
			t.Errorf("%s = %v, want %v", k, first[k], v)
		}
	}
	if first["message"] == "" || first["hint"] == "" {
		t.Errorf("message or hint missing: %v", first)
	}
	buf.Reset()
	if err := WriteJSON(&buf, nil); err != nil || strings.TrimSpace(buf.String()) != "[]" {
		t.Errorf("no findings: %q, %v; want []", buf.String(), err)
	}
}

func TestSARIF(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, sampleFindings(t)); err != nil {
		t.Fatal(err)
	}
	var log SARIFLog
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "scc" {
		t.Fatalf("bad log header: %+v", log)
	}
	run := log.Runs[0]
	if len(run.Tool.Driver.Rules) != len(Checks()) {
		t.Errorf("%d rules, want one per check (%d)", len(run.Tool.Driver.Rules), len(Checks()))
	}
	for _, r := range run.Tool.Driver.Rules {
		if r.ID == "" || r.Help.Text == "" || r.ShortDescription.Text == "" {
			t.Errorf("rule without id or help: %+v", r)
		}
	}
	if len(run.Results) != 2 {
		t.Fatalf("%d results, want 2", len(run.Results))
	}
	res := run.Results[1]
	loc := res.Locations[0].PhysicalLocation
	if res.RuleID != KillThread || res.Level != "note" || run.Tool.Driver.Rules[res.RuleIndex].ID != KillThread ||
		loc.ArtifactLocation.URI != "p.sc" || loc.Region.StartLine != 4 || loc.Region.StartColumn != 5 {
		t.Errorf("bad result: %+v", res)
	}
}

func TestTextAlwaysNamesTheSeverity(t *testing.T) {
	var buf bytes.Buffer
	l := diag.List{{Pos: diag.Pos{File: "p.sc", Line: 2, Col: 3}, Severity: diag.Error, Message: "m", Check: "c"},
		{Pos: diag.Pos{File: "p.sc", Line: 4, Col: 1}, Severity: diag.Info, Message: "n", Check: "d"}}
	WriteText(&buf, l, nil)
	want := "p.sc:2:3: error: m [c]\np.sc:4:1: info: n [d]\n"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

func TestEveryCheckIsDocumented(t *testing.T) {
	doc := readDoc(t)
	for _, c := range Checks() {
		if !strings.Contains(doc, "## "+c.Name) {
			t.Errorf("docs/lint.md has no section for %s", c.Name)
		}
	}
}
