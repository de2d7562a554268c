package calls

import (
	"strings"
	"testing"
)

// TestTime times the calls without a filter: one positive time per call, formatted as
// "NAME NS" lines in Calls' order.
func TestTime(t *testing.T) {
	times := Time(2 * Chunks)
	if len(times) != len(Calls) {
		t.Fatalf("%d times for %d calls", len(times), len(Calls))
	}
	lines := strings.Split(strings.TrimSpace(Format(times)), "\n")
	for i, c := range Calls {
		if times[i] <= 0 {
			t.Errorf("%s: %v ns", c.Name, times[i])
		}
		if !strings.HasPrefix(lines[i], c.Name+" ") {
			t.Errorf("line %d: %q, want %s's", i, lines[i], c.Name)
		}
	}
}
