//go:build linux

// Command scc-vmagent is the /init of the initramfs that `scc test --kernel --vm` boots under
// qemu for another arch (package vm). It mounts /proc, reads /checks.json, checks each
// expectation in the running kernel with package kerneltest (the filter installed in a child
// process, the call made at the agent's own call site), writes one result line per check on
// the console, and powers the machine off. It is built static, for the arch under test.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/kerneltest"
	"github.com/scc-dev/scc/loader"
	"github.com/scc-dev/scc/vm"
)

func main() {
	n, err := run()
	if err != nil {
		fmt.Printf("\n%s%s\n", vm.ErrorPrefix, err)
	} else {
		fmt.Printf("\n%s%d\n", vm.EndPrefix, n)
	}
	unix.Sync()
	if os.Getpid() == 1 {
		unix.Reboot(unix.LINUX_REBOOT_CMD_POWER_OFF)
	}
}

// run runs every check and returns how many it ran.
func run() (int, error) {
	if err := os.MkdirAll("/proc", 0o755); err != nil {
		return 0, err
	}
	if err := unix.Mount("proc", "/proc", "proc", 0, ""); err != nil && err != unix.EBUSY {
		return 0, fmt.Errorf("mounting /proc: %w", err)
	}
	data, err := os.ReadFile("/checks.json")
	if err != nil {
		return 0, err
	}
	var checks []vm.Check
	if err := json.Unmarshal(data, &checks); err != nil {
		return 0, fmt.Errorf("reading /checks.json: %w", err)
	}
	for _, c := range checks {
		start := time.Now()
		r := check(c)
		r.Millis = time.Since(start).Milliseconds()
		line, _ := json.Marshal(r)
		fmt.Printf("%s%s\n", vm.ResultPrefix, line)
	}
	return len(checks), nil
}

// check runs one check as `scc test --kernel` does on the host.
func check(c vm.Check) vm.Result {
	r := vm.Result{ID: c.ID}
	abi, ok := kerneltest.ABIFor(c.Audit)
	if !ok {
		r.Err = fmt.Sprintf("the agent cannot make calls of AUDIT_ARCH %#x", c.Audit)
		return r
	}
	f := &loader.Filter{Program: c.Program, Options: loader.Options{Flags: c.Flags, KillProcess: c.KillProcess}}
	v, err := kerneltest.Check(f, kerneltest.Call{ABI: abi, Nr: c.Nr, Args: c.Args}, c.Safe)
	if err != nil {
		r.Err = err.Error()
		return r
	}
	for _, k := range v.Kinds {
		r.Kinds = append(r.Kinds, uint8(k))
	}
	r.Data, r.Unresolved, r.Runs = v.Data, v.Unresolved, v.Runs
	return r
}
