package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestManPages(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "man")
	if err := run(dir); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"scc.1", "scc-build.1", "scc-fmt.1", "scc-version.1", "scc-completion-bash.1"} {
		data, err := os.ReadFile(filepath.Join(dir, page))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), ".TH \"SCC\"") {
			t.Errorf("%s has no .TH header:\n%s", page, data)
		}
	}
	build, _ := os.ReadFile(filepath.Join(dir, "scc-build.1"))
	if !strings.Contains(string(build), "\\fB--format\\fP") {
		t.Errorf("scc-build.1 does not document --format:\n%s", build)
	}
}
