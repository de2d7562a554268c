package meaning

import (
	"go/build"
	"strings"
	"testing"
)

// TestImports: the engine imports only the program package and the standard library.
func TestImports(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if strings.Contains(imp, ".") && imp != "github.com/scc-dev/scc/program" &&
			imp != "github.com/scc-dev/scc/program/opcode" && imp != "golang.org/x/net/bpf" {
			t.Errorf("meaning imports %s", imp)
		}
	}
}
