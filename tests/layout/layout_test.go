// Package layout holds the test of scc's package map: each package does one job, and the
// packages it must know nothing of (README.md's map, DESIGN.md's table) stay out of its
// imports, direct or indirect.
package layout

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/scc-dev/scc/"

// forbidden lists, for a package (and the packages under it), the packages of scc it must
// not depend on, directly or through others.
var forbidden = map[string][]string{
	// The front end knows nothing of syscalls or BPF.
	"lang": {"stdlib", "ir", "program", "compiler", "optimizer", "backend", "loader", "pipeline"},
	"diag": {"lang", "stdlib", "ir", "program", "compiler", "optimizer", "backend", "loader"},
	// A finished program's base: a loader or an embedding program links nothing more.
	"program": {"lang", "diag", "stdlib", "ir", "compiler", "optimizer", "backend", "loader", "pipeline", "oci", "lint"},
	"loader":  {"lang", "diag", "stdlib", "ir", "compiler", "optimizer", "backend", "pipeline", "oci", "lint"},
	// The meaning of any program: what it is given is a program, whoever built it.
	"meaning": {"lang", "diag", "stdlib", "ir", "compiler", "optimizer", "backend", "loader", "pipeline", "oci", "lint"},
	// The IR and the stages after the front end know nothing of the source text.
	"ir":        {"lang", "compiler", "optimizer", "backend", "loader", "pipeline"},
	"optimizer": {"lang", "compiler", "backend", "loader", "pipeline", "oci", "lint"},
	"irmeaning": {"lang", "compiler", "optimizer", "backend", "loader", "pipeline"},
	"backend":   {"lang", "compiler", "loader", "pipeline", "oci", "lint"},
	// The compiler knows nothing of how a policy becomes instructions.
	"compiler": {"optimizer", "backend", "loader", "pipeline", "oci", "lint"},
	"stdlib":   {"lang", "compiler", "optimizer", "backend", "loader", "pipeline"},
	"lint":     {"optimizer", "backend", "loader", "pipeline"},
	"oci":      {"optimizer", "backend", "loader", "pipeline", "lint"},
	// The VM runner packs and boots; the agent it builds brings the harness, not the runner.
	"vm": {"lang", "diag", "stdlib", "ir", "compiler", "optimizer", "backend", "loader", "pipeline", "oci", "lint", "kerneltest", "cmd"},
	// Tools around finished programs and policies.
	"kerneltest": {"lang", "compiler", "optimizer", "backend", "pipeline", "lint"},
	"measure":    {"lang", "compiler", "pipeline", "lint"},
	"record":     {"optimizer", "backend", "pipeline", "lint"},
	// The one way in serves the command line, never the reverse.
	"pipeline": {"cmd", "lint"},
}

// only lists, for the packages at the base of a finished program, every package of scc they
// may depend on at all: a Go program that installs a blob, or analyses one, links nothing else.
var only = map[string][]string{
	"program": {"program/opcode"},
	"loader":  {"program", "program/opcode"},
	"meaning": {"program", "program/opcode"},
}

// TestOnlyAllowedImports checks the packages of only against go list -deps.
func TestOnlyAllowedImports(t *testing.T) {
	deps := listDeps(t)
	for pkg, allowed := range only {
		ds, ok := deps[pkg]
		if !ok {
			t.Errorf("package %s is in the map but not in the module", pkg)
		}
		for _, d := range ds {
			if !slices.Contains(allowed, d) {
				t.Errorf("%s depends on %s; of scc it may depend only on %s", pkg, d, strings.Join(allowed, ", "))
			}
		}
	}
}

// TestForbiddenImports checks the map against what `go list -deps` says each package needs.
func TestForbiddenImports(t *testing.T) {
	deps := listDeps(t)
	if len(deps) == 0 {
		t.Fatal("go list found no packages")
	}
	for pkg, bad := range forbidden {
		found := false
		for p, ds := range deps {
			if p != pkg && !strings.HasPrefix(p, pkg+"/") {
				continue
			}
			found = true
			for _, d := range ds {
				for _, b := range bad {
					if d == b || strings.HasPrefix(d, b+"/") {
						t.Errorf("%s depends on %s, which it must know nothing of", p, d)
					}
				}
			}
		}
		if !found {
			t.Errorf("package %s is in the map but not in the module", pkg)
		}
	}
}

// TestOnlyTheCommandImportsCLI keeps the command line a leaf: no library package imports it.
func TestOnlyTheCommandImportsCLI(t *testing.T) {
	for p, ds := range listDeps(t) {
		if strings.HasPrefix(p, "cmd/scc") || strings.HasPrefix(p, "tests/") {
			continue
		}
		for _, d := range ds {
			if strings.HasPrefix(d, "cmd/") {
				t.Errorf("%s depends on %s", p, d)
			}
		}
	}
}

// listDeps maps each of the module's packages (without the module prefix) to the module's
// packages it depends on, transitively, by its non-test files.
func listDeps(t *testing.T) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 || !strings.HasPrefix(fields[0], module) {
			continue
		}
		pkg := strings.TrimPrefix(fields[0], module)
		deps[pkg] = nil
		for _, d := range fields[1:] {
			if strings.HasPrefix(d, module) {
				deps[pkg] = append(deps[pkg], strings.TrimPrefix(d, module))
			}
		}
	}
	return deps
}
