package backend

import (
	"testing"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/ir"
)

func TestCacheAllowedSample(t *testing.T) {
	prog := sampleFilter(t).Program
	x86 := ir.AuditArchX86_64
	for _, tc := range []struct {
		name  string
		audit uint32
		nr    uint32
		want  bool
	}{
		{"read: nr and arch only, allow", x86, 0, true},
		{"write", x86, 2, true},
		{"close: errno is not cached", x86, 3, false},
		{"openat loads args[2]", x86, 257, false},
		{"other arch is killed", 0x40000003, 0, false},
	} {
		if got := CacheAllowed(prog, tc.audit, tc.nr); got != tc.want {
			t.Errorf("%s: CacheAllowed = %v; want %v", tc.name, got, tc.want)
		}
	}
}

func TestCacheAllowedInstructions(t *testing.T) {
	allow := bpf.RawInstruction{Op: 0x06, K: ir.RetAllow}
	for _, tc := range []struct {
		name string
		prog []bpf.RawInstruction
		want bool
	}{
		{"AND K, JSET, JA", []bpf.RawInstruction{
			{Op: 0x20, K: 0}, {Op: 0x54, K: 0xff}, {Op: 0x45, Jt: 0, Jf: 1, K: 0x1}, {Op: 0x05, K: 1}, {Op: 0x06}, allow,
		}, true},
		{"JGT and JGE on arch", []bpf.RawInstruction{
			{Op: 0x20, K: 4}, {Op: 0x25, Jt: 1, Jf: 0, K: 0xc000003e}, {Op: 0x35, Jt: 1, Jf: 0, K: 0xc000003e}, {Op: 0x06}, allow,
		}, true},
		{"load of the instruction pointer", []bpf.RawInstruction{{Op: 0x20, K: 8}, allow}, false},
		{"load of args[0] on the path", []bpf.RawInstruction{{Op: 0x20, K: 16}, {Op: 0x15, Jt: 0, Jf: 0}, allow}, false},
		{"args load off the path", []bpf.RawInstruction{
			{Op: 0x20, K: 0}, {Op: 0x15, Jt: 0, Jf: 1, K: 1}, allow, {Op: 0x20, K: 16}, allow,
		}, true},
		{"X-form jump", []bpf.RawInstruction{{Op: 0x1d, Jt: 0, Jf: 0}, allow}, false},
		{"OR K", []bpf.RawInstruction{{Op: 0x44, K: 1}, allow}, false},
		{"RET A", []bpf.RawInstruction{{Op: 0x00, K: ir.RetAllow}, {Op: 0x16}}, false},
		{"LD IMM", []bpf.RawInstruction{{Op: 0x00, K: 1}, allow}, false},
		{"log is not allow", []bpf.RawInstruction{{Op: 0x06, K: ir.RetLog}}, false},
		{"allow with data is not allow", []bpf.RawInstruction{{Op: 0x06, K: ir.RetAllow | 1}}, false},
		{"runs off the end", []bpf.RawInstruction{{Op: 0x20, K: 0}}, false},
	} {
		if got := CacheAllowed(tc.prog, ir.AuditArchX86_64, 1); got != tc.want {
			t.Errorf("%s: CacheAllowed = %v; want %v", tc.name, got, tc.want)
		}
	}
}

func TestStats(t *testing.T) {
	prog := sampleFilter(t).Program
	st, err := Stats(prog, ir.AuditArchX86_64, Numbers(0, 299), false)
	if err != nil {
		t.Fatal(err)
	}
	// 0..2: 5 steps (arch, nr, JGE, ret); 257: 9; others: 6.
	wantMean := (3*5 + 296*6 + 9) / 300.0
	if st.Syscalls != 300 || st.MaxSteps != 9 || st.MaxNr != 257 || st.MeanSteps != wantMean {
		t.Errorf("Stats = %+v; want max 9 at 257, mean %v", st, wantMean)
	}
	if len(st.Cached) != 3 || st.Cached[2] != 2 {
		t.Errorf("Cached = %v; want [0 1 2]", st.Cached)
	}
	if n := Numbers(0xfffffffe, 0xffffffff); len(n) != 2 {
		t.Errorf("Numbers at the top = %v", n)
	}
}
