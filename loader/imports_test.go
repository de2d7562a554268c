//go:build linux

package loader_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportsOnlyProgram keeps the loader light: of scc it imports only package program
// (which imports nothing of the compiler, as its own test checks), so that a Go program that
// installs a blob links neither the compiler nor the optimizer.
func TestImportsOnlyProgram(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files: %v", err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(path, "github.com/scc-dev/scc/") && path != "github.com/scc-dev/scc/program" {
				t.Errorf("%s imports %s", f, path)
			}
		}
	}
}
