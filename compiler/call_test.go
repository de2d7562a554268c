package compiler

import (
	"strings"
	"testing"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
)

func TestResolveCallValues(t *testing.T) {
	const x86, i386 = 0xc000003e, 0x40000003
	cases := []struct {
		call, arch string
		want       program.SeccompData
	}{
		{"read(1, 2, 3)", "x86_64", program.SeccompData{Nr: 0, Arch: x86, Args: [6]uint64{1, 2, 3}}},
		// Raw numbers: x32's, one above every table, the top of the range.
		{"nr=0x40000001", "x86_64", program.SeccompData{Nr: 0x40000001, Arch: x86}},
		{"nr=0x40000000 | 1(7)", "x32", program.SeccompData{Nr: 0x40000001, Arch: x86, Args: [6]uint64{7}}},
		{"nr=5000(1, 2)", "aarch64", program.SeccompData{Nr: 5000, Arch: 0xc00000b7, Args: [6]uint64{1, 2}}},
		{"nr=0xffffffff", "x86_64", program.SeccompData{Nr: -1, Arch: x86}},
		// An int that fits is passed as a program passes it (-1 is 0xffffffff); a value
		// beyond it but within the register is the raw register, high half and all.
		{"ioctl(-1, 0xffffffff00005401)", "x86_64", program.SeccompData{Nr: 16, Arch: x86, Args: [6]uint64{0xffffffff, 0xffffffff00005401}}},
		{"mmap(-1)", "x86_64", program.SeccompData{Nr: 9, Arch: x86, Args: [6]uint64{^uint64(0)}}},
		{"nr=16(-1)", "x86_64", program.SeccompData{Nr: 16, Arch: x86, Args: [6]uint64{0xffffffff}}},
		{"read(0xffffffff)", "i386", program.SeccompData{Nr: 3, Arch: i386, Args: [6]uint64{0xffffffff}}},
	}
	for _, c := range cases {
		got, errs := ResolveCall(c.call, c.arch)
		if errs.HasErrors() {
			t.Errorf("ResolveCall(%q, %s): %v", c.call, c.arch, errs)
			continue
		}
		if got != c.want {
			t.Errorf("ResolveCall(%q, %s) = %+v, want %+v", c.call, c.arch, got, c.want)
		}
	}
}

func TestResolveCallErrors(t *testing.T) {
	cases := []struct{ call, arch, want string }{
		{"read(0, FOO)", "x86_64", "call:1:9: unknown constant FOO"},
		{"read(0,", "x86_64", "call:1:8: incomplete expression: expected an operand after ',', found the end of the call"},
		{"nr=1 << 32", "x86_64", "call:1:4: syscall number 0x100000000 does not fit 32 bits"},
		{"read(0x100000000)", "i386", "call:1:6: 0x100000000 does not fit the 32-bit register of argument 0 of read"},
		{"read(0xffffffffffffffff + 1)", "x86_64", "call:1:6: 0x10000000000000000 does not fit the 64-bit register of argument 0 of read"},
		{"open()", "aarch64", "call:1:1: open does not exist on aarch64"},
		{"frob()", "x86_64", "call:1:1: unknown syscall frob"},
		{"read()", "vax", "--arch: unknown arch vax"},
	}
	for _, c := range cases {
		_, errs := ResolveCall(c.call, c.arch)
		if len(errs) != 1 || errs[0].Error() != c.want {
			t.Errorf("ResolveCall(%q, %s): %v, want %q", c.call, c.arch, errs, c.want)
		}
		for _, d := range errs {
			for _, w := range []string{"policy", "expect ", "=>"} {
				if strings.Contains(d.Message, w) {
					t.Errorf("ResolveCall(%q): %q leaks %q", c.call, d.Message, w)
				}
			}
		}
	}
}

func TestActionTextAsWritten(t *testing.T) {
	res := compileOK(t, `policy p {
    arch x86_64
    default errno(EPERM)
    errno(1) getpid
    errno(EAGAIN) read
    trap(1 << 2) write
    expect read(0) => errno(EWOULDBLOCK)
}`)
	for a, want := range map[ir.Action]string{
		ir.ErrnoAction(1):        "errno(EPERM)", // the first spelling wins
		ir.ErrnoAction(11):       "errno(EAGAIN)",
		{Kind: ir.Trap, Data: 4}: "trap(1 << 2)",
		ir.ErrnoAction(38):       "errno(38)", // not written: canonical
		ir.ActKillProcess:        "kill_process",
	} {
		if got := res.ActionText("x86_64", a); got != want {
			t.Errorf("ActionText(%v) = %q, want %q", a, got, want)
		}
	}
	if got := res.Expects[0].WantText; got != "errno(EWOULDBLOCK)" {
		t.Errorf("WantText = %q, want the expect line's own errno(EWOULDBLOCK)", got)
	}
}

func TestNoPolicyNamedListsPolicies(t *testing.T) {
	_, errs := CompileSource("p.sc", []byte("policy web { allow read }\npolicy base { allow write }\n"), Options{Policy: "wbe"})
	if len(errs) != 1 || errs[0].Message != "no policy named wbe: the policies are web and base" || errs[0].Hint != "did you mean web?" {
		t.Errorf("errors: %v (hint %q)", errs, errs[0].Hint)
	}
}
