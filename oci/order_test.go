package oci

import (
	"strings"
	"testing"

	"github.com/scc-dev/scc/ir"
)

// The cases below were checked against libseccomp 2.5.4 (seccomp_export_pfc).
const precedence = `{
	"defaultAction": "SCMP_ACT_ERRNO",
	"architectures": ["SCMP_ARCH_X86_64"],
	"syscalls": [
		{"names": ["clone"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38,
		 "args": [{"index": 0, "value": 268435456, "valueTwo": 268435456, "op": "SCMP_CMP_MASKED_EQ"}]},
		{"names": ["clone", "socket"], "action": "SCMP_ACT_ALLOW"},
		{"names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38},
		{"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]},
		{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5, "args": [{"index": 1, "value": 3, "op": "SCMP_CMP_EQ"}]},
		{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]},
		{"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5, "args": [
			{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 2, "op": "SCMP_CMP_EQ"}]},
		{"names": ["write"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]},
		{"names": ["write"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 5, "op": "SCMP_CMP_LT"}]},
		{"names": ["ioctl"], "action": "SCMP_ACT_ALLOW", "args": [
			{"index": 1, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 2, "op": "SCMP_CMP_EQ"}]}
	]
}`

func TestLibseccompPrecedence(t *testing.T) {
	out, err := Import([]byte(precedence), ImportOptions{Name: "prec"})
	if err != nil {
		t.Fatal(err)
	}
	src := string(out)
	for _, want := range []string{
		"allow clone, socket\n", // the unconditional rule overrides the masked one
		"Decided by another rule under libseccomp",
		"In the ordered rules at the end: personality",
		"runc adds comparisons of the same argument as separate rules",
		"allow ioctl if request in {1, 2}\n",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("the import lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("import:\n%s", src)
	}
	p := compile(t, src)
	e5 := ir.ErrnoAction(5)
	checkCalls(t, p, []call{
		{"x86_64", "clone", []uint64{0x10000000}, allow},
		{"x86_64", "socket", nil, allow},                           // the first unconditional rule counts
		{"x86_64", "personality", []uint64{2, 3}, e5},              // arg1 is tried before arg0
		{"x86_64", "personality", []uint64{2, 0}, allow},           //
		{"x86_64", "read", []uint64{1, 2}, allow},                  // the shorter rule wins
		{"x86_64", "write", []uint64{1}, allow},                    // errno(EPERM) = default: left out
		{"x86_64", "ioctl", []uint64{0, 2}, allow},                 // runc ORs same-argument comparisons
		{"x86_64", "ioctl", []uint64{0, 3}, eperm},                 //
		{"x86_64", "personality", []uint64{5, 5}, eperm},           //
		{"x86_64", "write", []uint64{7}, eperm},                    //
		{"x86_64", "read", []uint64{2, 2}, eperm},                  //
		{"x86_64", "clone3", nil, enosys},                          // above all the profile names: runc's stub
		{"x86_64", "personality", []uint64{0, 3}, e5},              //
		{"x86_64", "write", []uint64{4}, allow},                    //
		{"x86_64", "ioctl", []uint64{0, 1}, allow},                 //
		{"x86_64", "personality", []uint64{2, 0x100000003}, allow}, // 64-bit value: no match
	})
}

func TestCompareNodes(t *testing.T) {
	eq := func(i uint, v uint64) Arg { return Arg{Index: i, Value: v, Op: opEQ} }
	lt := func(i uint, v uint64) Arg { return Arg{Index: i, Value: v, Op: opLT} }
	gt := func(i uint, v uint64) Arg { return Arg{Index: i, Value: v, Op: opGT} }
	for _, c := range []struct {
		x, y Arg
		want int // sign
	}{
		{eq(2, 1), eq(0, 1), -1},
		{eq(0, 1), lt(0, 1), -1},
		{lt(0, 1), gt(0, 1), -1},
		{eq(0, 9), eq(0, 1), -1},
		{lt(0, 1), lt(0, 9), -1},
		{eq(0, 1), eq(0, 1), 0},
	} {
		got := compareNodes(c.x, c.y)
		if sign(got) != c.want {
			t.Errorf("compareNodes(%v, %v) = %d, want sign %d", c.x, c.y, got, c.want)
		}
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
