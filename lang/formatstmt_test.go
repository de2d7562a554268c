package lang

import (
	"strings"
	"testing"
)

// TestFormatStmt: a statement prints as Format prints it in a policy body, wrapped the same,
// with no comment of the source.
func TestFormatStmt(t *testing.T) {
	src := `policy p {
    arch x86_64, i386
    default newer named errno(ENOSYS)
    listener "/run/a \"b\".sock" metadata "m"
    allow read, write, close, openat, fstat, mmap, mprotect, munmap, brk, rt_sigaction, rt_sigprocmask # why
    allow socket if domain in {AF_INET, AF_INET6, AF_UNIX, AF_NETLINK, AF_PACKET, AF_BRIDGE, AF_ALG, AF_VSOCK, AF_XDP}
    errno(EPERM) clone if flags & (CLONE_NEWUSER | CLONE_NEWNS) != 0 && (stack == 0 || -1 == tls)
}
`
	f, errs := Parse("p.sc", []byte(src))
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	var b strings.Builder
	for _, s := range f.Decls[0].(*PolicyDecl).Body {
		b.WriteString(FormatStmt(s))
	}
	f.Comments = nil
	want := strings.TrimSuffix(strings.TrimPrefix(string(Format(f)), "policy p {\n"), "}\n")
	if got := b.String(); got != want {
		t.Errorf("FormatStmt wrote\n%s\nFormat wrote\n%s", got, want)
	}
	if !strings.Contains(want, ",\n") {
		t.Errorf("no statement wrapped:\n%s", want)
	}
}
