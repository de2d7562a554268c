package cli

import "testing"

func TestUnifiedDiff(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"same", "a\nb\n", "a\nb\n", ""},
		{"one line", "policy   p{\n}\n", "policy p {\n}\n",
			"--- x.sc.orig\n+++ x.sc\n@@ -1,2 +1,2 @@\n-policy   p{\n+policy p {\n }\n"},
		{"no final newline", "a\nb", "a\nb\n",
			"--- x.sc.orig\n+++ x.sc\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"},
		{"empty old", "", "a\n", "--- x.sc.orig\n+++ x.sc\n@@ -0,0 +1 @@\n+a\n"},
	}
	for _, tt := range tests {
		if got := unifiedDiff("x.sc", []byte(tt.old), []byte(tt.new)); got != tt.want {
			t.Errorf("%s: unifiedDiff =\n%s\nwant\n%s", tt.name, got, tt.want)
		}
	}
}
