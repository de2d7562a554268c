//go:build linux

package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMoveIntoPlace: the exchange replaces an existing file and leaves no temporary file, a
// missing target is created, and a directory that took the target's place is put back.
func TestMoveIntoPlace(t *testing.T) {
	dir := t.TempDir()
	tmp, target := filepath.Join(dir, ".tmp"), filepath.Join(dir, "out.bpf")
	write := func(path, data string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			return "error: " + err.Error()
		}
		return string(b)
	}

	write(tmp, "first")
	if err := moveIntoPlace(tmp, target); err != nil {
		t.Fatal("onto nothing:", err)
	}
	write(tmp, "second")
	if err := moveIntoPlace(tmp, target); err != nil {
		t.Fatal("onto a file:", err)
	}
	if got := read(target); got != "second" {
		t.Errorf("target holds %q, want %q", got, "second")
	}
	if _, err := os.Lstat(tmp); !os.IsNotExist(err) {
		t.Errorf("the temporary file (the old contents) is left: %v", err)
	}

	if err := os.Remove(target); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(target, "kept"), "kept")
	write(tmp, "third")
	if err := moveIntoPlace(tmp, target); err == nil {
		t.Fatal("a directory at the target was replaced")
	}
	if got := read(filepath.Join(target, "kept")); got != "kept" {
		t.Errorf("the directory was not put back: %s", got)
	}
	if got := read(tmp); got != "third" {
		t.Errorf("the temporary file holds %q, want it back as it was", got)
	}
}
