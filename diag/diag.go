// Package diag holds positioned diagnostics: every error scc reports about a policy names
// file:line:col, shows the source line with a caret under the column, and may carry a hint.
package diag

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Pos is a position in a source file. Line and Col count from 1; Col counts bytes.
type Pos struct {
	File   string
	Offset int
	Line   int
	Col    int
}

// String formats the position as file:line:col.
func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Severity ranks a diagnostic.
type Severity uint8

// The severities, from least to most severe.
const (
	Info Severity = iota
	Warning
	Error
)

func (s Severity) String() string {
	return [...]string{"info", "warning", "error"}[s]
}

// Diagnostic is one message about one place in a source file.
type Diagnostic struct {
	Pos      Pos
	Severity Severity
	Message  string
	Hint     string // optional, e.g. "did you mean openat?"
	Check    string // optional name of the lint check that found it
}

// Error implements error with the one-line form "file:line:col: message".
func (d *Diagnostic) Error() string { return d.Pos.String() + ": " + d.Message }

// List collects diagnostics; it is an error when it holds any of severity Error.
type List []*Diagnostic

// Errorf adds an error at pos.
func (l *List) Errorf(pos Pos, format string, args ...any) *Diagnostic {
	d := &Diagnostic{Pos: pos, Severity: Error, Message: fmt.Sprintf(format, args...)}
	*l = append(*l, d)
	return d
}

// Add appends diagnostics.
func (l *List) Add(ds ...*Diagnostic) { *l = append(*l, ds...) }

// HasErrors tells whether the list holds an error.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Err returns the list as an error when it holds errors, else nil.
func (l List) Err() error {
	if !l.HasErrors() {
		return nil
	}
	return l
}

// Error implements error: one line per diagnostic.
func (l List) Error() string {
	var b strings.Builder
	for i, d := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.Error())
	}
	return b.String()
}

// Sort orders the list by file, line and column, keeping the order of equal positions.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Sources gives the text of source files by name, for printing the line of a diagnostic.
type Sources interface {
	Source(file string) ([]byte, bool)
}

// SourceMap is a Sources kept in memory.
type SourceMap map[string][]byte

// Source implements Sources.
func (m SourceMap) Source(file string) ([]byte, bool) {
	b, ok := m[file]
	return b, ok
}

// Print writes each diagnostic as
//
//	file:line:col: severity: message
//	    the source line
//	         ^
//	    hint: ...
//
// Errors are written without the "error: " prefix, so that the first line reads as the
// conventional file:line:col: message. src may be nil.
func Print(w io.Writer, l List, src Sources) {
	for _, d := range l {
		sev := ""
		if d.Severity != Error {
			sev = d.Severity.String() + ": "
		}
		check := ""
		if d.Check != "" {
			check = " [" + d.Check + "]"
		}
		fmt.Fprintf(w, "%s: %s%s%s\n", d.Pos, sev, d.Message, check)
		if line, ok := sourceLine(src, d.Pos); ok {
			fmt.Fprintf(w, "    %s\n    %s^\n", line, caretPad(line, d.Pos.Col))
		}
		if d.Hint != "" {
			fmt.Fprintf(w, "    hint: %s\n", d.Hint)
		}
	}
}

func sourceLine(src Sources, p Pos) (string, bool) {
	if src == nil || p.Line < 1 {
		return "", false
	}
	b, ok := src.Source(p.File)
	if !ok {
		return "", false
	}
	lines := strings.Split(string(b), "\n")
	if p.Line > len(lines) {
		return "", false
	}
	return strings.TrimRight(lines[p.Line-1], "\r"), true
}

// caretPad returns the blanks that put a caret under byte column col of line, keeping tabs.
func caretPad(line string, col int) string {
	var b strings.Builder
	for i := 0; i < col-1 && i < len(line); i++ {
		if line[i] == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}
