// Package cli holds the script tests of the scc command line: each testdata/*.txtar file is a
// testscript (github.com/rogpeppe/go-internal/testscript). scc runs from this test binary
// itself (testscript.Main with cmd/scc/cli), not from a separately built program: `scc` in a
// script, `exec scc` and a shell's `scc` all run the code under test.
//
// go test ./tests/cli -update rewrites the scripts' golden files (cmp stdout, cmp stderr) from
// what scc now prints; review the diff before committing it.
package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/moby/profiles/seccomp"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/scc-dev/scc/cmd/scc/cli"
	"github.com/scc-dev/scc/lint/lintgen"
)

var update = flag.Bool("update", false, "rewrite the scripts' golden files from scc's output")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"scc":     func() { os.Exit(cli.Main()) },
		"scc-gen": genMain, // writes large generated policies: see gen_test.go
		// docker-default-profile FILE writes Docker's default seccomp profile, as the
		// moby/profiles module ships it, to FILE.
		"docker-default-profile": func() {
			data, err := json.MarshalIndent(seccomp.DefaultProfile(), "", "\t")
			if err == nil {
				err = os.WriteFile(os.Args[1], data, 0o644)
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			os.Exit(0)
		},
		"lintgen": lintgenMain, // lintgen N SEED writes lintgen.Policy(N, SEED)
		// rawsyscall NR makes syscall NR and prints its errno's name (see helpers_test.go).
		"rawsyscall": rawSyscall,
		// bpf-raw IN OUT writes a program written by hand as a raw program (bpfraw_test.go).
		"bpf-raw": bpfRawMain,
	})
}

// lintgenMain writes lintgen.Policy(N, SEED) to stdout: `lintgen N SEED` in a script.
func lintgenMain() {
	n, err1 := strconv.Atoi(os.Args[1])
	seed, err2 := strconv.ParseUint(os.Args[2], 10, 64)
	if len(os.Args) != 3 || err1 != nil || err2 != nil {
		os.Stderr.WriteString("usage: lintgen RULES SEED\n")
		os.Exit(2)
	}
	os.Stdout.Write(lintgen.Policy(n, seed))
	os.Exit(0)
}

func TestScripts(t *testing.T) {
	examples, err := filepath.Abs("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:           "testdata",
		UpdateScripts: *update,
		Setup: func(env *testscript.Env) error {
			env.Setenv("EXAMPLES", examples)
			return nil
		},
	})
}
