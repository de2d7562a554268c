package pipeline

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/stdlib"
)

// WeightsByNumber turns counts by syscall name on arch into optimizer.Options.Weights.
func WeightsByNumber(counts map[string]float64, arch string) map[uint32]float64 {
	w := make(map[uint32]float64, len(counts))
	for name, n := range counts {
		if nr, ok := stdlib.SyscallNumber(arch, name); ok {
			w[nr] += n
		}
	}
	return w
}

// ParseFrequencies reads syscall counts on arch from a frequency profile (--profile): lines "NAME COUNT", and the
// summary table of strace -c (also with -w, -f, or both; the header, separator, total and
// strace's own messages are skipped). '#' starts a comment; blank lines are ignored. Counts
// of a name given twice add up. Unknown names and malformed lines are positioned errors.
func ParseFrequencies(file string, data []byte, arch string) (map[string]float64, diag.List) {
	counts := make(map[string]float64)
	var errs diag.List
	for i, line := range strings.Split(string(data), "\n") {
		pos := diag.Pos{File: file, Line: i + 1, Col: 1}
		if j := strings.IndexByte(line, '#'); j >= 0 {
			line = line[:j]
		}
		name, count, col, err := profileLine(line)
		switch {
		case err != nil:
			pos.Col = col
			errs.Errorf(pos, "%v", err)
		case name == "":
		case !knownOn(arch, name):
			pos.Col = col
			d := errs.Errorf(pos, "unknown syscall %q on %s", name, arch)
			if s := diag.Suggest(name, stdlib.SyscallNames(arch)); s != "" {
				d.Hint = "did you mean " + s + "?"
			}
		default:
			counts[name] += count
		}
	}
	return counts, errs
}

func knownOn(arch, name string) bool {
	_, ok := stdlib.SyscallNumber(arch, name)
	return ok
}

// profileLine parses one line without its comment: a name and its count, with the column of
// the name, or no name for a line that holds none.
func profileLine(line string) (name string, count float64, col int, err error) {
	fields := strings.Fields(line)
	switch {
	case len(fields) == 0, isStraceChrome(line, fields):
		return "", 0, 0, nil
	case len(fields) == 2:
		return nameCount(line, fields[0], fields[1])
	case len(fields) == 5 || len(fields) == 6:
		// % time, seconds, usecs/call, calls, [errors,] syscall
		if _, err := strconv.ParseFloat(fields[0], 64); err != nil {
			break
		}
		name := fields[len(fields)-1]
		if name == "total" {
			return "", 0, 0, nil
		}
		return nameCount(line, name, fields[3])
	}
	return "", 0, 1, fmt.Errorf("not a profile line: want NAME COUNT, or a row of strace -c's table")
}

// isStraceChrome tells whether a line is strace's header, separator, or own message: a
// process attached or exited, a signal, a section title ("System call usage summary for 32
// bit mode:").
func isStraceChrome(line string, fields []string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, "% time") || strings.Trim(t, "- ") == "" ||
		strings.HasPrefix(t, "strace:") || strings.HasPrefix(t, "+++") || strings.HasPrefix(t, "--- ") ||
		strings.HasSuffix(t, ":") || fields[0] == "System"
}

// nameCount checks a name and parses its count, a non-negative number.
func nameCount(line, name, count string) (string, float64, int, error) {
	col := strings.Index(line, name) + 1
	n, err := strconv.ParseFloat(count, 64)
	if err != nil || n < 0 || n != n || n > 1e300 {
		return "", 0, strings.LastIndex(line, count) + 1, fmt.Errorf("count %q of %s is not a non-negative number", count, name)
	}
	return name, n, col, nil
}
