package diag

import "testing"

// TestDedupe: a diagnostic that repeats an earlier one's position, severity, check and
// message is dropped, whatever its hint; one that differs in any of them stays, in order.
func TestDedupe(t *testing.T) {
	at := Pos{File: "a.sc", Offset: 14, Line: 2, Col: 5}
	first := &Diagnostic{Pos: at, Severity: Error, Message: "unknown constant X", Hint: "on x86_64"}
	l := List{
		first,
		{Pos: at, Severity: Error, Message: "unknown constant X", Hint: "on aarch64"},
		{Pos: at, Severity: Warning, Message: "unknown constant X"},
		{Pos: at, Severity: Error, Message: "unknown constant X", Check: "some-check"},
		{Pos: at, Severity: Error, Message: "unknown constant Y"},
		{Pos: Pos{File: "a.sc", Offset: 20, Line: 2, Col: 11}, Severity: Error, Message: "unknown constant X"},
		{Pos: Pos{File: "b.sc", Offset: 14, Line: 2, Col: 5}, Severity: Error, Message: "unknown constant X"},
		{Pos: at, Severity: Warning, Message: "unknown constant X", Hint: "again"},
	}
	got := l.Dedupe()
	want := List{l[0], l[2], l[3], l[4], l[5], l[6]}
	if len(got) != len(want) {
		t.Fatalf("Dedupe kept %d diagnostics, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("diagnostic %d = %v (hint %q), want %v (hint %q)", i, got[i], got[i].Hint, want[i], want[i].Hint)
		}
	}
	if got[0].Hint != "on x86_64" {
		t.Errorf("the first diagnostic's hint was not kept: %q", got[0].Hint)
	}
	if len(l) != 8 || l[1].Hint != "on aarch64" {
		t.Error("Dedupe changed the list it was given")
	}
	if List(nil).Dedupe() != nil {
		t.Error("Dedupe of nil is not nil")
	}
}
