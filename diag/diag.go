// Package diag holds positioned diagnostics: every error scc reports about a policy names
// file:line:col, shows the source line with a caret under the column, and may carry a hint.
//
// It imports nothing of scc: every layer, from the parser on, reports through it.
package diag

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
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

	lazy *lazyHint // computes Hint when the diagnostic is shown; see SetHintFunc
}

// lazyHint holds a hint's function; a pointer to it keeps Diagnostic comparable.
type lazyHint struct{ f func() string }

// SetHintFunc gives the diagnostic a hint that costs a search to compute, such as a
// suggestion among every syscall name: f runs only if the diagnostic is shown (Print,
// List.Error, List.ResolveHints), so that a file with very many errors, most of them past
// MaxErrors, is still reported in time linear in its size.
func (d *Diagnostic) SetHintFunc(f func() string) { d.lazy = &lazyHint{f} }

// resolveHint sets Hint from the function SetHintFunc gave, once.
func (d *Diagnostic) resolveHint() {
	if d.lazy != nil {
		d.Hint, d.lazy = d.lazy.f(), nil
	}
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

// Dedupe returns l without the diagnostics that repeat an earlier one: the same position,
// severity, check and message. The first one stays, with its hint: a name resolved on several
// arches, or a finding in a file that several policies use, is reported once.
func (l List) Dedupe() List {
	type key struct {
		pos      Pos
		severity Severity
		check    string
		message  string
	}
	seen := make(map[key]bool, len(l))
	var out List
	for _, d := range l {
		k := key{d.Pos, d.Severity, d.Check, d.Message}
		if !seen[k] {
			seen[k] = true
			out = append(out, d)
		}
	}
	return out
}

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

// MaxErrors is how many errors a list shows, as Go's compiler shows ten: past them, one
// last error, "too many errors", stands for the rest (see Capped). Print, List.Error and the
// compiler's results all apply it.
const MaxErrors = 10

// tooManyErrors is the message of the error that stands for those past MaxErrors.
const tooManyErrors = "too many errors"

// Capped returns l cut after its MaxErrors-th error: the next error's position then gets
// the error "too many errors", with the count of errors in a hint, and everything after it
// is dropped. A list with at most MaxErrors errors, or one already capped, is returned as it
// is.
func (l List) Capped() List {
	n := 0
	for i, d := range l {
		if d.Severity != Error {
			continue
		}
		if n++; n <= MaxErrors {
			continue
		}
		if d.Message == tooManyErrors && i == len(l)-1 {
			return l
		}
		total := MaxErrors
		for _, rest := range l[i:] {
			if rest.Severity == Error {
				total++
			}
		}
		out := append(List{}, l[:i]...)
		return append(out, &Diagnostic{Pos: d.Pos, Severity: Error, Message: tooManyErrors,
			Hint: fmt.Sprintf("%d errors in all; the first %d are shown", total, MaxErrors)})
	}
	return l
}

// ResolveHints computes the hints given by SetHintFunc.
func (l List) ResolveHints() {
	for _, d := range l {
		d.resolveHint()
	}
}

// Error implements error: one line per diagnostic, capped as Capped does.
func (l List) Error() string {
	var b strings.Builder
	for i, d := range l.Capped() {
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
// Print remembers where the lines of the last text it read start: a text must not change in
// place once given.
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
// conventional file:line:col: message. src may be nil. At most MaxErrors errors are
// written, then "too many errors" (see Capped).
//
// The source line is shown safe for a terminal and with the caret under the column whatever
// the line holds: bytes that are not printable text (control bytes, invalid UTF-8, format
// characters such as bidi overrides) are escaped as \x00 or \u202e, tabs are kept (the caret
// line keeps them too, so both lines share tab stops), wide characters count two columns,
// and a line wider than MaxSourceWidth columns is cut to a window around the caret with "…"
// where it was cut. Messages, hints and file names are escaped the same way.
func Print(w io.Writer, l List, src Sources) {
	for _, d := range l.Capped() {
		d.resolveHint()
		sev := ""
		if d.Severity != Error {
			sev = d.Severity.String() + ": "
		}
		check := ""
		if d.Check != "" {
			check = " [" + d.Check + "]"
		}
		pos := d.Pos
		pos.File = Escape(pos.File)
		fmt.Fprintf(w, "%s: %s%s%s\n", pos, sev, Escape(d.Message), Escape(check))
		if line, ok := sourceLine(src, d.Pos); ok {
			shown, pad := excerptLong(line, d.Pos.Col)
			fmt.Fprintf(w, "    %s\n    %s^\n", shown, pad)
		}
		if d.Hint != "" {
			fmt.Fprintf(w, "    hint: %s\n", Escape(d.Hint))
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
	starts := lineStarts(b)
	if p.Line > len(starts) {
		return "", false
	}
	line := b[starts[p.Line-1]:]
	if end := bytes.IndexByte(line, '\n'); end >= 0 {
		line = line[:end]
	}
	return strings.TrimRight(string(line), "\r"), true
}

// lineIndex remembers the line starts of the last source Print looked into: printing many
// diagnostics of one file, one Print call each as lint does, then scans the file once, not
// once per diagnostic.
var lineIndex struct {
	sync.Mutex
	src    []byte
	starts []int
}

// lineStarts returns the offsets at which the lines of src start.
func lineStarts(src []byte) []int {
	lineIndex.Lock()
	defer lineIndex.Unlock()
	if len(lineIndex.src) == len(src) && (len(src) == 0 || &lineIndex.src[0] == &src[0]) {
		return lineIndex.starts
	}
	starts := make([]int, 1, 1+bytes.Count(src, []byte{'\n'}))
	for off := 0; ; {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
		starts = append(starts, off)
	}
	lineIndex.src, lineIndex.starts = src, starts
	return starts
}

// MaxSourceWidth is the widest source line Print shows whole, in columns; a wider one is cut
// to a window of about this width around the caret.
const MaxSourceWidth = 100

// tabWidth is the most columns a tab can take, assumed when cutting a window.
const tabWidth = 8

// cell is what Print shows for one rune (or one stray byte) of a source line.
type cell struct {
	text  string // as shown: the rune itself, an escape, or a tab
	width int    // columns it takes (a tab: tabWidth, its most)
	end   int    // byte offset in the line just past it
}

// cells splits line into what Print shows for each rune or stray byte.
func cells(line string) []cell {
	var out []cell
	for i := 0; i < len(line); {
		r, size := utf8.DecodeRuneInString(line[i:])
		c := cell{end: i + size}
		switch {
		case r == '\t':
			c.text, c.width = "\t", tabWidth
		case r == utf8.RuneError && size == 1:
			c.text = fmt.Sprintf("\\x%02x", line[i])
		case r < 0x80 && !unicode.IsPrint(r):
			c.text = fmt.Sprintf("\\x%02x", r)
		case !unicode.IsPrint(r):
			c.text = strings.Trim(strconv.QuoteRuneToASCII(r), "'")
		default:
			c.text, c.width = line[i:i+size], runeWidth(r)
		}
		if c.width == 0 && c.text != line[i:i+size] {
			c.width = len(c.text) // an escape: ASCII, a column a byte
		}
		out = append(out, c)
		i += size
	}
	return out
}

// Escape returns s with what is not printable text escaped as Print escapes source lines
// (\x1b, \u202e); tabs are kept.
func Escape(s string) string {
	clean := true
	for _, r := range s {
		if r != '\t' && (r == utf8.RuneError || !unicode.IsPrint(r)) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, c := range cells(s) {
		b.WriteString(c.text)
	}
	return b.String()
}

// longLine is the length from which excerptLong looks at a window of the line only.
const longLine = 1 << 14

// excerptLong is excerpt, looking only at the bytes near the caret when the line is long
// (a generated policy may be one line of megabytes): showing each diagnostic then costs the
// same whatever the line's length. The window holds more than MaxSourceWidth columns on
// each side of the caret unless the line has long runs of zero-width characters, where it
// shows less context; a window cut from a longer line is marked with "…" as excerpt marks
// its own cuts.
func excerptLong(line string, col int) (shown, pad string) {
	if len(line) <= longLine {
		return excerpt(line, col)
	}
	const reach = 16 * MaxSourceWidth // bytes each side: a column takes at most 10 bytes
	caret := min(max(col-1, 0), len(line))
	from, to := max(caret-reach, 0), min(caret+reach, len(line))
	for from < caret && !utf8.RuneStart(line[from]) {
		from++
	}
	for to > caret && to < len(line) && !utf8.RuneStart(line[to]) {
		to--
	}
	shown, pad = excerpt(line[from:to], caret-from+1)
	if from > 0 && !strings.HasPrefix(shown, "…") {
		shown, pad = "…"+shown, " "+pad
	}
	if to < len(line) && !strings.HasSuffix(shown, "…") {
		shown += "…"
	}
	return shown, pad
}

// excerpt returns what Print shows of line, and the blanks that put a caret under byte
// column col (from 1; one past the end for the end of the line) in it.
func excerpt(line string, col int) (shown, pad string) {
	cs := cells(line)
	// k: the cell that holds byte col-1 (len(cs) past the end); x[j]: the column cell j
	// starts at.
	k := len(cs)
	for j, c := range cs {
		if col-1 < c.end {
			k = j
			break
		}
	}
	x := make([]int, len(cs)+1)
	for j, c := range cs {
		x[j+1] = x[j] + c.width
	}
	// The window [from, to) of cells to show: all, or MaxSourceWidth columns with the
	// caret near the middle (a caret past the end takes one column).
	from, to := 0, len(cs)
	if total := x[len(cs)]; total > MaxSourceWidth {
		lo := min(max(x[k]-MaxSourceWidth/2, 0), total+1-MaxSourceWidth)
		hi := lo + MaxSourceWidth
		for from < k && x[from] < lo {
			from++
		}
		for to > k+1 && x[to] > hi {
			to--
		}
	}
	var sb, pb strings.Builder
	if from > 0 {
		sb.WriteString("…")
		pb.WriteByte(' ')
	}
	for j := from; j < to; j++ {
		sb.WriteString(cs[j].text)
		if j >= k {
			continue
		}
		if cs[j].text == "\t" {
			pb.WriteByte('\t')
		} else {
			pb.WriteString(strings.Repeat(" ", cs[j].width))
		}
	}
	if to < len(cs) {
		sb.WriteString("…")
	}
	return sb.String(), pb.String()
}

// runeWidth is the columns a printable rune takes in a terminal: 0 for combining marks, 2 for
// East Asian wide and fullwidth characters and emoji (the ranges of Markus Kuhn's wcwidth),
// else 1.
func runeWidth(r rune) int {
	switch {
	case unicode.In(r, unicode.Mn, unicode.Me):
		return 0
	case r >= 0x1100 && (r <= 0x115f || r == 0x2329 || r == 0x232a ||
		r >= 0x2e80 && r <= 0xa4cf && r != 0x303f ||
		r >= 0xac00 && r <= 0xd7a3 ||
		r >= 0xf900 && r <= 0xfaff ||
		r >= 0xfe30 && r <= 0xfe6f ||
		r >= 0xff00 && r <= 0xff60 ||
		r >= 0xffe0 && r <= 0xffe6 ||
		r >= 0x1f300 && r <= 0x1f64f ||
		r >= 0x1f900 && r <= 0x1f9ff ||
		r >= 0x20000 && r <= 0x3fffd):
		return 2
	}
	return 1
}
