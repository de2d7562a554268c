package diag

import (
	"fmt"
	"strings"
	"testing"
)

// manyErrors is a list of n errors, one a line of a file "a.sc", whose hints count how many
// times they are computed, and the file's source.
func manyErrors(n int, computed *int) (List, SourceMap) {
	var l List
	var src strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&src, "allow bad%d\n", i)
		d := l.Errorf(Pos{File: "a.sc", Line: i + 1, Col: 7}, "unknown syscall bad%d", i)
		d.SetHintFunc(func() string { *computed++; return fmt.Sprintf("hint %d", i) })
	}
	return l, SourceMap{"a.sc": []byte(src.String())}
}

func TestCapped(t *testing.T) {
	var computed int
	l, _ := manyErrors(25, &computed)
	l.Add(&Diagnostic{Pos: Pos{File: "a.sc", Line: 30, Col: 1}, Severity: Warning, Message: "late warning"})
	c := l.Capped()
	if len(c) != MaxErrors+1 {
		t.Fatalf("Capped kept %d diagnostics, want %d", len(c), MaxErrors+1)
	}
	last := c[MaxErrors]
	if last.Message != "too many errors" || last.Pos != l[MaxErrors].Pos || last.Hint != "25 errors in all; the first 10 are shown" {
		t.Errorf("last = %v, hint %q", last, last.Hint)
	}
	if again := c.Capped(); len(again) != len(c) || again[MaxErrors] != last {
		t.Error("Capped of a capped list changed it")
	}
	short := l[:MaxErrors]
	if got := short.Capped(); len(got) != MaxErrors {
		t.Errorf("a list of %d errors lost some: %d", MaxErrors, len(got))
	}
	// Warnings do not count toward the cap.
	var mixed List
	for i := 0; i < 3*MaxErrors; i++ {
		mixed.Add(&Diagnostic{Pos: Pos{File: "a.sc", Line: i + 1}, Severity: Warning, Message: "w"})
	}
	if got := mixed.Capped(); len(got) != len(mixed) {
		t.Errorf("warnings capped: %d of %d", len(got), len(mixed))
	}
	if computed != 0 {
		t.Errorf("Capped computed %d hints", computed)
	}
}

// TestPrintManyErrors: Print shows MaxErrors errors with their hints and source lines, then
// "too many errors", and computes no other hint.
func TestPrintManyErrors(t *testing.T) {
	var computed int
	l, src := manyErrors(100_000, &computed)
	var b strings.Builder
	Print(&b, l, src)
	out := b.String()
	if computed != MaxErrors {
		t.Errorf("Print computed %d hints, want %d", computed, MaxErrors)
	}
	if n := strings.Count(out, "unknown syscall"); n != MaxErrors {
		t.Errorf("Print showed %d errors, want %d", n, MaxErrors)
	}
	want := "a.sc:11:7: too many errors\n    allow bad10\n          ^\n    hint: 100000 errors in all; the first 10 are shown\n"
	if !strings.HasSuffix(out, want) {
		t.Errorf("Print ends\n%s\nwant\n%s", out[max(0, len(out)-200):], want)
	}
	if !strings.Contains(out, "a.sc:10:7: unknown syscall bad9\n    allow bad9\n          ^\n    hint: hint 9\n") {
		t.Errorf("Print lacks the tenth error with its line and hint:\n%s", out)
	}
	if got := strings.Count(l.Error(), "\n") + 1; got != MaxErrors+1 {
		t.Errorf("Error() has %d lines, want %d", got, MaxErrors+1)
	}
}

// TestSourceLineIndexed: the line of a diagnostic is found from an index of the file's line
// starts, built once per source and right for every line.
func TestSourceLineIndexed(t *testing.T) {
	src := SourceMap{"a.sc": []byte("one\r\ntwo\n\nfour"), "b.sc": []byte("other\n")}
	for _, c := range []struct {
		file string
		line int
		want string
		ok   bool
	}{
		{"a.sc", 1, "one", true}, {"a.sc", 2, "two", true}, {"a.sc", 3, "", true},
		{"a.sc", 4, "four", true}, {"a.sc", 5, "", false}, {"b.sc", 1, "other", true},
		{"b.sc", 2, "", true}, {"b.sc", 3, "", false}, {"a.sc", 2, "two", true}, {"c.sc", 1, "", false},
	} {
		got, ok := sourceLine(src, Pos{File: c.file, Line: c.line, Col: 1})
		if got != c.want || ok != c.ok {
			t.Errorf("%s line %d = %q, %v; want %q, %v", c.file, c.line, got, ok, c.want, c.ok)
		}
	}
}

// TestExcerptLong: on a long line, the window around the caret is what the whole line
// shows, wherever the caret is.
func TestExcerptLong(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 4*longLine; i++ {
		fmt.Fprintf(&b, "fd == %d || é\tx == 1 || ", i)
	}
	line := b.String()
	for _, col := range []int{1, 2, 50, 51, 99, 100, 101, 150, 1000, len(line) / 2, len(line) - 60, len(line) - 1, len(line), len(line) + 1} {
		for col > 1 && col <= len(line) && !utf8RuneStart(line[col-1]) {
			col--
		}
		wantShown, wantPad := excerpt(line, col)
		shown, pad := excerptLong(line, col)
		if shown != wantShown || pad != wantPad {
			t.Errorf("col %d:\n%q\n%q\nwant\n%q\n%q", col, shown, pad, wantShown, wantPad)
		}
	}
}

func utf8RuneStart(b byte) bool { return b&0xc0 != 0x80 }
