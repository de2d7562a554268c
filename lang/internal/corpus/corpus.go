// Package corpus reads the repository's policy files, the inputs the tests of the parser and
// of its lexer run on.
package corpus

import (
	"os"
	"path/filepath"
	"testing"
)

// Policies returns the contents of the repository's policy files: the parser's test data,
// the examples, the stdlib groups and the tests' policies. root is the repository's root,
// relative to the calling test's package.
func Policies(t testing.TB, root string) []string {
	var srcs []string
	for _, pat := range []string{
		"lang/testdata/*.sc", "lang/testdata/format/*", "examples/*.sc", "stdlib/groups/*.sc",
		"tests/*/testdata/*.sc",
	} {
		files, err := filepath.Glob(filepath.Join(root, pat))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			srcs = append(srcs, string(b))
		}
	}
	if len(srcs) < 10 {
		t.Fatalf("only %d policy files under %s", len(srcs), root)
	}
	return srcs
}
