package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lang"
)

// IgnorePrefix starts a comment that silences findings: "# scc:ignore CHECK[,CHECK…] reason".
const IgnorePrefix = "scc:ignore"

// ignore is one scc:ignore comment.
type ignore struct {
	pos    diag.Pos
	checks []string
	reason string
	line   int // the line whose findings it silences
	used   bool
}

// applyIgnores drops the findings that an scc:ignore comment silences, and adds findings for
// the comments that are malformed or silence nothing.
func (l *linter) applyIgnores() diag.List {
	var igs []*ignore
	var bad diag.List
	for _, name := range sortedKeys(l.files) {
		f := l.files[name]
		for _, c := range f.Comments {
			ig, ok := parseIgnore(c, f.Src)
			if !ok {
				continue
			}
			if msg := ig.problem(); msg != "" {
				bad = append(bad, l.finding(BadIgnore, c.At, "write # scc:ignore CHECK reason, with a check from docs/lint.md", msg))
				if ig.reason == "" {
					continue // an ignore without a reason silences nothing
				}
			}
			igs = append(igs, ig)
		}
	}
	var out diag.List
	for _, d := range l.found {
		if ig := silencing(igs, d); ig != nil {
			ig.used = true
			continue
		}
		out = append(out, d)
	}
	for _, ig := range igs {
		if !ig.used {
			out = append(out, l.finding(UnusedIgnore, ig.pos, "remove the comment",
				fmt.Sprintf("this scc:ignore %s silences nothing", strings.Join(ig.checks, ","))))
		}
	}
	return append(out, bad...)
}

// finding builds a finding without recording it.
func (l *linter) finding(check string, pos diag.Pos, hint, msg string) *diag.Diagnostic {
	c, _ := LookupCheck(check)
	return &diag.Diagnostic{Pos: pos, Severity: c.Severity, Check: check, Message: msg, Hint: hint}
}

func silencing(igs []*ignore, d *diag.Diagnostic) *ignore {
	for _, ig := range igs {
		if ig.pos.File == d.Pos.File && ig.line == d.Pos.Line && slices.Contains(ig.checks, d.Check) {
			return ig
		}
	}
	return nil
}

// parseIgnore reads an scc:ignore comment. A comment at the end of a line silences that line;
// a comment on a line of its own silences the next line that holds code.
func parseIgnore(c *lang.Comment, src []byte) (*ignore, bool) {
	text := strings.TrimSpace(strings.TrimPrefix(c.Text, "#"))
	rest, ok := strings.CutPrefix(text, IgnorePrefix)
	if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
		return nil, false
	}
	fields := strings.Fields(rest)
	ig := &ignore{pos: c.At, line: c.At.Line}
	if len(fields) > 0 {
		ig.checks = strings.Split(fields[0], ",")
		ig.reason = strings.Join(fields[1:], " ")
	}
	lines := strings.Split(string(src), "\n")
	if c.At.Line <= len(lines) && strings.TrimSpace(lines[c.At.Line-1][:c.At.Col-1]) == "" {
		ig.line = nextCodeLine(lines, c.At.Line)
	}
	return ig, true
}

// nextCodeLine returns the first line after line (1-based) that is neither blank nor a comment.
func nextCodeLine(lines []string, line int) int {
	for i := line; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if t != "" && !strings.HasPrefix(t, "#") {
			return i + 1
		}
	}
	return line + 1
}

// problem says what is wrong with the comment, or "".
func (ig *ignore) problem() string {
	if len(ig.checks) == 0 {
		return "scc:ignore names no check and gives no reason"
	}
	for _, c := range ig.checks {
		if _, ok := LookupCheck(c); !ok {
			return fmt.Sprintf("scc:ignore names an unknown check %q", c)
		}
	}
	if ig.reason == "" {
		return "scc:ignore " + strings.Join(ig.checks, ",") + " gives no reason: say why the finding does not apply"
	}
	return ""
}
