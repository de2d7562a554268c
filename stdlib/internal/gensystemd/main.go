// Command gensystemd writes scc's standard groups from systemd's syscall filter sets, as
// `systemd-analyze syscall-filter` lists them, with scc's deliberate differences
// (differences.go) applied, and docs/groups.md, which lists the groups, the differences and
// the syscalls no group has.
//
// Run from the repository's root:
//
//	go run ./stdlib/internal/gensystemd            # from the saved listing (testdata)
//	go run ./stdlib/internal/gensystemd -refresh   # first save this machine's listing
//
// The listing is saved with the systemd version that printed it (its first line), and the
// generated files name that version.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
)

// listingPath is the saved `systemd-analyze syscall-filter`, from the repository's root.
const listingPath = "stdlib/internal/gensystemd/testdata/syscall-filter.txt"

func main() {
	refresh := flag.Bool("refresh", false, "save this machine's `systemd-analyze syscall-filter` first")
	root := flag.String("root", ".", "the repository's root")
	flag.Parse()
	if err := run(*root, *refresh); err != nil {
		fmt.Fprintln(os.Stderr, "gensystemd:", err)
		os.Exit(1)
	}
}

func run(root string, refresh bool) error {
	path := filepath.Join(root, listingPath)
	if refresh {
		listing, err := liveListing()
		if err != nil {
			return err
		}
		if err := os.WriteFile(path, listing, 0o644); err != nil {
			return err
		}
	}
	listing, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	files, err := generate(listing)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := os.WriteFile(filepath.Join(root, name), files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// liveListing runs systemd-analyze: its version line as a comment, then the sets.
func liveListing() ([]byte, error) {
	version, err := exec.Command("systemd-analyze", "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("systemd-analyze --version: %w", err)
	}
	sets, err := exec.Command("systemd-analyze", "syscall-filter").Output()
	if err != nil {
		return nil, fmt.Errorf("systemd-analyze syscall-filter: %w", err)
	}
	first, _, _ := bytes.Cut(version, []byte("\n"))
	return append([]byte("# "+string(first)+"\n"), sets...), nil
}
