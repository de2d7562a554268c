//go:build linux

// Command embed-go is a small Go program that sandboxes itself with a seccomp filter compiled
// into it. sandbox_filter.go is what `scc build --format go` makes of sandbox.sc; go generate
// makes it again after the policy changes, and it is committed so that the program builds
// without scc.
//
// Usage:
//
//	embed-go DIR [CMD]
//
// embed-go installs the filter on all its threads, then tries to make the directory DIR and
// to open an IPv4 socket, and prints what the kernel said; the policy denies both. Given CMD,
// it then tries to execute it, which the policy answers by killing the whole process with
// SIGSYS.
package main

//go:generate go run ../../cmd/scc build --format go --package main --name sandbox -o sandbox_filter.go sandbox.sc

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"syscall"

	"github.com/scc-dev/scc/loader"
)

func main() {
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: embed-go DIR [CMD]")
		os.Exit(2)
	}
	if err := sandboxSelf(); err != nil {
		fmt.Fprintln(os.Stderr, "embed-go:", err)
		os.Exit(1)
	}
	fmt.Println(seccompStatus())
	fmt.Println(outcome(os.Mkdir(os.Args[1], 0o755))) // "mkdir DIR: permission denied"
	_, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	fmt.Printf("socket(AF_INET): %s\n", outcome(err))
	if len(os.Args) == 3 {
		err := syscall.Exec(os.Args[2], os.Args[2:], nil) // not reached: the filter kills the process
		fmt.Printf("exec %s: %s\n", os.Args[2], outcome(err))
	}
}

// sandboxSelf installs the compiled-in filter on every thread of the process (InstallGo),
// after the loader has checked it against the running kernel: its architecture, its flags,
// and SECCOMP_RET_KILL_PROCESS, since the filter kills whole processes.
func sandboxSelf() error {
	_, err := loader.InstallGo(loader.FromSockFilter(sandbox), loader.Options{
		Flags:       sandboxFlags,
		KillProcess: sandboxProcessKilling,
		Arches:      sandboxArches,
	})
	return err
}

// outcome spells an error, or "ok".
func outcome(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}

// seccompStatus returns the Seccomp line of /proc/self/status: "Seccomp: 2" once filtered.
func seccompStatus() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && k == "Seccomp" {
			return "Seccomp: " + strings.TrimSpace(v)
		}
	}
	return "Seccomp: unknown"
}
