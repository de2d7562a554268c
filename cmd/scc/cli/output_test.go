package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestWriteOutputKeepsSpecialFiles: a FIFO (like /dev/null, a device) is written in place,
// never replaced by the atomic rename that regular files get.
func TestWriteOutputKeepsSpecialFiles(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("mkfifo:", err)
	}
	got := make(chan []byte)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- nil
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- b
	}()
	if err := writeOutput(io.Discard, fifo, []byte("filter")); err != nil {
		t.Fatal(err)
	}
	if b := <-got; !bytes.Equal(b, []byte("filter")) {
		t.Errorf("reader got %q", b)
	}
	if st, err := os.Stat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v %v", st.Mode(), err)
	}
}

func TestWriteOutputAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.bpf")
	for _, data := range []string{"one", "two"} {
		if err := writeOutput(io.Discard, path, []byte(data)); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(path); string(b) != data {
			t.Errorf("got %q, want %q", b, data)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

// TestWriteOutputMissingDir: -o into a directory that does not exist fails, naming it, and
// creates nothing.
func TestWriteOutputMissingDir(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "no", "such", "out.bpf")
	err := writeOutput(io.Discard, path, []byte("one"))
	if err == nil || !strings.Contains(err.Error(), "directory "+filepath.Join(dir, "no", "such")+" does not exist") {
		t.Errorf("err = %v, want the missing directory named", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("created: %v", entries)
	}
	// A file where a directory should be.
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeOutput(io.Discard, filepath.Join(file, "out.bpf"), []byte("one")); err == nil {
		t.Error("writing under a regular file succeeded")
	}
}

// TestWriteOutputSymlink: a symlink is kept and its target replaced atomically, with the
// target's mode; through a chain of links, relative ones too, and to a dangling link's target.
func TestWriteOutputSymlink(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(sub, "real.bpf")
	if err := os.WriteFile(target, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.bpf")
	link2 := filepath.Join(dir, "link2.bpf")
	if err := os.Symlink("sub/real.bpf", link); err != nil {
		t.Skip("symlink:", err)
	}
	if err := os.Symlink("link.bpf", link2); err != nil {
		t.Fatal(err)
	}
	for i, path := range []string{link, link2} {
		data := []byte{'n', 'e', 'w', byte('0' + i)}
		if err := writeOutput(io.Discard, path, data); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(target); !bytes.Equal(b, data) {
			t.Errorf("target holds %q, want %q", b, data)
		}
		for _, l := range []string{link, link2} {
			if fi, err := os.Lstat(l); err != nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Errorf("%s is no longer a symlink: %v %v", l, fi.Mode(), err)
			}
		}
		if fi, err := os.Stat(target); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("target mode %v, want 0600 kept (%v)", fi.Mode(), err)
		}
	}
	if entries, _ := os.ReadDir(sub); len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}

	dangling := filepath.Join(dir, "dangling.bpf")
	if err := os.Symlink("sub/created.bpf", dangling); err != nil {
		t.Fatal(err)
	}
	if err := writeOutput(io.Discard, dangling, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(sub, "created.bpf")); err != nil || string(b) != "x" {
		t.Errorf("dangling link's target: %q %v", b, err)
	}
	if fi, err := os.Lstat(dangling); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the dangling link was replaced: %v", err)
	}

	loop := filepath.Join(dir, "loop")
	if err := os.Symlink("loop", loop); err != nil {
		t.Fatal(err)
	}
	if err := writeOutput(io.Discard, loop, []byte("x")); err == nil || !strings.Contains(err.Error(), "symbolic links") {
		t.Errorf("a symlink loop: err = %v", err)
	}
}

// TestWriteOutputDevNull: /dev/null stays the device.
func TestWriteOutputDevNull(t *testing.T) {
	if err := writeOutput(io.Discard, "/dev/null", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat("/dev/null"); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Errorf("/dev/null: %v %v", fi.Mode(), err)
	}
}
