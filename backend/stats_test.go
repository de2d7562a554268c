package backend

import (
	"testing"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
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
		if got := program.CacheAllowed(prog, tc.audit, tc.nr); got != tc.want {
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
