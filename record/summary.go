package record

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/scc-dev/scc/internal/plural"
)

// WriteSummary writes the end-of-run summary: the top syscalls by calls, then the totals and
// the duration.
func WriteSummary(w io.Writer, rec *Recording, top int) error {
	calls := append([]Syscall(nil), rec.Syscalls...)
	sort.SliceStable(calls, func(i, j int) bool {
		if calls[i].Count != calls[j].Count {
			return calls[i].Count > calls[j].Count
		}
		return displayName(calls[i]) < displayName(calls[j])
	})
	if len(calls) > top {
		calls = calls[:top]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "scc record: top syscalls by calls:\n")
	for _, s := range calls {
		fmt.Fprintf(&b, "  %8d  %s\n", s.Count, displayName(s))
	}
	fmt.Fprintf(&b, "scc record: %s, %s, in %s; exit status %d\n",
		plural.Count(rec.Total(), "call", "calls"), plural.Count(len(rec.Syscalls), "distinct syscall", "distinct syscalls"),
		rec.Duration.Round(time.Millisecond), rec.ExitStatus)
	_, err := io.WriteString(w, b.String())
	return err
}

// displayName names a recorded syscall, with its arch when it is not the host's.
func displayName(s Syscall) string {
	name := s.Name
	if name == "" {
		name = fmt.Sprintf("#%d", s.Nr)
	}
	if s.Arch != hostArchName() {
		name += " (" + s.Arch + ")"
	}
	return name
}
