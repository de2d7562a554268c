// Command gen regenerates stdlib's tables from sources installed on this machine:
//
//   - syscall numbers: golang.org/x/sys/unix's zsysnum_linux_*.go in the Go module cache, and
//     Debian's asm/unistd_x32.h (linux-libc-dev) for x32, completed with the x86_64 syscalls
//     newer than that header that syscall_64.tbl marks "common" (x32ABI in sysnum.go); for
//     arm, also the private calls and aliases of arch/arm/include/uapi/asm/unistd.h in the
//     newest /usr/src/linux-headers-*-common (archSpec.Uapi);
//   - signatures: include/linux/syscalls.h from the newest /usr/src/linux-headers-*-common,
//     with user-facing parameter names from the man pages' SYNOPSIS (manpages-dev, man2);
//   - constants: x/sys/unix's zerrors_linux*.go and a few ztypes_linux.go families, plus
//     linux/futex.h;
//   - the @known group: every syscall name of every arch;
//   - zsources.go: the versions of these sources (x/sys's module version, the kernel
//     headers', linux-libc-dev's and manpages-dev's), which scc version prints;
//   - ztables.go: the text tables (data/*.txt) as Go arrays, which the stdlib package reads
//     in place (package stdlib/internal/tables).
//
// Run it from the module root: go run ./stdlib/internal/gen (or make generate). -headers DIR
// reads another linux-headers-*-common tree, e.g. one unpacked with dpkg-deb -x. -go-only
// rewrites ztables.go from the checked-in text tables alone, which needs none of the sources
// (go generate ./stdlib).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/scc-dev/scc/stdlib/internal/tables"
)

func main() {
	out := flag.String("out", "stdlib", "the stdlib directory to write into")
	headers := flag.String("headers", "", "the linux-headers-*-common tree to read (default: the newest under /usr/src)")
	goOnly := flag.Bool("go-only", false, "only rewrite ztables.go from the text tables under -out")
	flag.Parse()
	var err error
	if *goOnly {
		err = writeGoTables(*out)
	} else {
		err = run(*out, *headers)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// run reads every source and writes every output file under out.
func run(out, headers string) error {
	src, err := findSources(headers)
	if err != nil {
		return err
	}
	tables, err := readSyscalls(src)
	if err != nil {
		return err
	}
	sigs, err := buildSignatures(src, tables)
	if err != nil {
		return err
	}
	consts, err := readConstants(src)
	if err != nil {
		return err
	}
	audit, err := auditValues(consts)
	if err != nil {
		return err
	}
	vers, err := readVersions(src)
	if err != nil {
		return err
	}
	files := map[string][]byte{
		"zsources.go":         formatVersions(vers),
		"zarches.go":          formatArches(audit),
		"data/syscalls.txt":   formatSyscalls(tables),
		"data/signatures.txt": formatSignatures(sigs, tables),
		"data/constants.txt":  formatConstants(consts),
		"groups/known.sc":     formatKnown(tables),
	}
	for name, data := range files {
		path := filepath.Join(out, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	return writeGoTables(out)
}

// writeGoTables renders out/ztables.go from the text tables under out/data.
func writeGoTables(out string) error {
	var text [3]string
	for i, name := range []string{"syscalls.txt", "signatures.txt", "constants.txt"} {
		b, err := os.ReadFile(filepath.Join(out, "data", name))
		if err != nil {
			return err
		}
		text[i] = string(b)
	}
	t, err := tables.Parse(text[0], text[1], text[2])
	if err != nil {
		return err
	}
	src, err := t.Go()
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "ztables.go"), src, 0o644)
}
