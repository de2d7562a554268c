package diag

import (
	"strings"
	"testing"
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
