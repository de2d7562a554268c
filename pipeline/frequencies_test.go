package pipeline

import (
	"strings"
	"testing"
)

// TestParseFrequencies reads NAME COUNT lines and strace -c's table alike.
func TestParseFrequencies(t *testing.T) {
	src := `# counts
read 10
% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
 60.00    0.000060           6        10           write
 40.00    0.000040           4        10         2 read
------ ----------- ----------- --------- --------- ----------------
100.00    0.000100           5        20         2 total
`
	counts, errs := ParseFrequencies("p.txt", []byte(src), "x86_64")
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	if counts["read"] != 20 || counts["write"] != 10 || len(counts) != 2 {
		t.Errorf("counts = %v", counts)
	}
	w := WeightsByNumber(counts, "x86_64")
	if w[0] != 20 || w[1] != 10 { // read, write on x86_64
		t.Errorf("weights = %v", w)
	}
	_, errs = ParseFrequencies("p.txt", []byte("raed 3\nwrite -1\n"), "x86_64")
	if len(errs) != 2 || !strings.Contains(errs[0].Hint, "read") || errs[1].Pos.Line != 2 {
		t.Errorf("errors = %v", errs)
	}
}
