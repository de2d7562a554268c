package program

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestImportsNothingOfTheCompiler keeps the package small: of scc, it and its opcode table
// import only the opcode table, so that a program which only installs or runs a finished
// filter links neither the compiler nor the optimizer.
func TestImportsNothingOfTheCompiler(t *testing.T) {
	for dir, allowed := range map[string][]string{
		".":      {"github.com/scc-dev/scc/program/opcode"},
		"opcode": nil,
	} {
		for _, imp := range sccImports(t, dir) {
			if !slices.Contains(allowed, imp) {
				t.Errorf("%s imports %s", filepath.Join("program", dir), imp)
			}
		}
	}
}

// sccImports returns the imports of scc's own packages by the non-test files in dir.
func sccImports(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files in %s: %v", dir, err)
	}
	var out []string
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
			if strings.HasPrefix(path, "github.com/scc-dev/scc/") {
				out = append(out, path)
			}
		}
	}
	return out
}
