package diag

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSuggest(t *testing.T) {
	names := []string{"open", "openat", "openat2", "read", "readv", "close"}
	cases := map[string]string{"opnat": "openat", "reed": "read", "clsoe": "close", "mmap": "", "openat": ""}
	for in, want := range cases {
		if got := Suggest(in, names); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPrint(t *testing.T) {
	var l List
	d := l.Errorf(Pos{File: "a.sc", Line: 2, Col: 8}, "unknown syscall %q", "opnat")
	d.Hint = "did you mean openat?"
	var b strings.Builder
	Print(&b, l, SourceMap{"a.sc": []byte("policy p {\n\tallow opnat\n}\n")})
	want := "a.sc:2:8: unknown syscall \"opnat\"\n    \tallow opnat\n    \t      ^\n    hint: did you mean openat?\n"
	if b.String() != want {
		t.Errorf("Print =\n%q\nwant\n%q", b.String(), want)
	}
	if l.Err() == nil {
		t.Error("Err() = nil for a list with an error")
	}
}

// printed runs Print on one error at line 1, column col, of src, and returns the source line
// and the caret line as printed, without their indent.
func printed(t *testing.T, src string, col int) (line, caret string) {
	t.Helper()
	var l List
	l.Errorf(Pos{File: "a.sc", Line: 1, Col: col}, "oops")
	var b strings.Builder
	Print(&b, l, SourceMap{"a.sc": []byte(src)})
	out := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(out) != 3 {
		t.Fatalf("Print wrote %q", b.String())
	}
	return strings.TrimPrefix(out[1], "    "), strings.TrimPrefix(out[2], "    ")
}

// column is the terminal column at which byte i of s is shown, with tab stops every 8
// columns from the start of s.
func column(s string, i int) int {
	col := 0
	for _, r := range s[:i] {
		switch {
		case r == '\t':
			col = (col/8 + 1) * 8
		default:
			col += runeWidth(r)
		}
	}
	return col
}

// caretAt checks that the caret is shown under the start of want in line.
func caretAt(t *testing.T, line, caret, want string) {
	t.Helper()
	i := strings.Index(line, want)
	if i < 0 {
		t.Fatalf("%q not shown in %q", want, line)
	}
	if !strings.HasSuffix(caret, "^") || strings.Trim(caret[:len(caret)-1], " \t") != "" {
		t.Fatalf("caret line %q", caret)
	}
	// The printed lines share a 4-column indent, which keeps tab stops the same for both.
	if got, at := column(caret, len(caret)-1), column(line, i); got != at {
		t.Errorf("caret at column %d, %q starts at %d:\n%s\n%s", got, want, at, line, caret)
	}
}

func TestPrintEscapesGarbage(t *testing.T) {
	src := "allow re\x01ad\x1b[31m, \u202ewr\xffite, ok\x7f"
	line, caret := printed(t, src, strings.Index(src, "ok")+1)
	want := `allow re\x01ad\x1b[31m, \u202ewr\xffite, ok\x7f`
	if line != want {
		t.Errorf("line %q, want %q", line, want)
	}
	caretAt(t, line, caret, "ok")
	// The caret under an escaped byte points at its escape.
	line, caret = printed(t, src, strings.Index(src, "\xff")+1)
	caretAt(t, line, caret, `\xff`)
	line, caret = printed(t, src, strings.Index(src, "\u202e")+2) // inside the rune
	caretAt(t, line, caret, `\u202e`)
	for _, r := range line + caret {
		if r < 0x20 && r != '\t' || r == 0x7f {
			t.Errorf("control byte %#x printed", r)
		}
	}
}

func TestPrintEscapesMessage(t *testing.T) {
	var l List
	d := l.Errorf(Pos{File: "a\x1b.sc", Line: 1, Col: 1}, "bad \x1b[2J name")
	d.Hint = "not \x07 this"
	var b strings.Builder
	Print(&b, l, nil)
	want := "a\\x1b.sc:1:1: bad \\x1b[2J name\n    hint: not \\x07 this\n"
	if b.String() != want {
		t.Errorf("Print = %q, want %q", b.String(), want)
	}
}

func TestPrintWideAndTabs(t *testing.T) {
	src := "\tallow 日本, é,\t\tread # x"
	line, caret := printed(t, src, strings.Index(src, "read")+1)
	if line != src {
		t.Errorf("line %q changed", line)
	}
	caretAt(t, line, caret, "read")
	// Past the end of the line.
	_, caret = printed(t, src, len(src)+1)
	if column(caret, len(caret)-1) != column(src, len(src)) {
		t.Errorf("caret past the end: %q", caret)
	}
}

func TestPrintLongLine(t *testing.T) {
	head := strings.Repeat("a, ", 100)
	tail := strings.Repeat(", b", 100)
	for _, tc := range []struct {
		name, src, at    string
		cutHead, cutTail bool
	}{
		{"middle", head + "\tHERE" + tail, "HERE", true, true},
		{"start", "HERE" + tail, "HERE", false, true},
		{"end", head + "HERE", "HERE", true, false},
		{"garbage", strings.Repeat("\x00", 300) + "HERE" + strings.Repeat("\x01", 300), "HERE", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line, caret := printed(t, tc.src, strings.Index(tc.src, tc.at)+1)
			if n := utf8.RuneCountInString(line); n > MaxSourceWidth+2 {
				t.Errorf("%d columns shown: %q", n, line)
			}
			if got := strings.HasPrefix(line, "…"); got != tc.cutHead {
				t.Errorf("head cut %v: %q", got, line)
			}
			if got := strings.HasSuffix(line, "…"); got != tc.cutTail {
				t.Errorf("tail cut %v: %q", got, line)
			}
			caretAt(t, line, caret, tc.at)
		})
	}
	// The caret past the end of a long line.
	src := head + "x"
	line, caret := printed(t, src, len(src)+1)
	if !strings.HasPrefix(line, "…") || !strings.HasSuffix(line, "x") {
		t.Errorf("line %q", line)
	}
	if column(caret, len(caret)-1) != column(line, len(line)) {
		t.Errorf("caret past the end: %q under %q", caret, line)
	}
}
