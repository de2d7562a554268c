package stdlib

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestRegenerate checks that the generator, run on this machine's sources, reproduces the
// checked-in tables. It is skipped where the sources are not installed. SCC_GEN_HEADERS names
// a linux-headers-*-common tree to read instead of /usr/src's (make generate HEADERS=DIR).
func TestRegenerate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	headers := os.Getenv("SCC_GEN_HEADERS")
	hdrs, _ := filepath.Glob("/usr/src/linux-headers-*-common/include/linux/syscalls.h")
	if headers != "" {
		hdrs = []string{headers}
	}
	for _, p := range []string{"/usr/share/man/man2/mmap.2.gz", "/usr/include/x86_64-linux-gnu/asm/unistd_x32.h", "/usr/include/linux/futex.h"} {
		if _, err := os.Stat(p); err != nil || len(hdrs) == 0 {
			t.Skipf("generator sources absent (%v, %d kernel headers)", err, len(hdrs))
		}
	}
	out := t.TempDir()
	cmd := exec.Command("go", "run", "./internal/gen", "-out", out, "-headers", headers)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generator: %v\n%s", err, msg)
	}
	for _, name := range []string{"zsources.go", "zarches.go", "data/syscalls.txt", "data/signatures.txt", "data/constants.txt", "groups/known.sc", "ztables.go"} {
		want, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case bytes.Equal(got, want):
		case name == "zsources.go":
			t.Errorf("zsources.go records other versions of the sources than this machine's "+
				"(checked in: %v; here: %s): run make generate, or install the recorded ones", TableSources(), got)
		default:
			t.Errorf("%s is stale: run make generate", name)
		}
	}
}
