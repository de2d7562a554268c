// Package reexec is scc's one protocol for re-executing its own binary as a helper process,
// which record (the helper that installs the recording filter and executes the command) and
// kerneltest (the child that installs a filter and makes a call) use.
//
// The protocol: the parent starts /proc/self/exe with the environment variable SCC_HELPER
// set to the helper's role (Command), keeping its own argv[0] and passing the helper its
// arguments, descriptors and standard streams as the role defines. In the re-executed
// binary, the package that owns the role calls Register from its init function: when
// SCC_HELPER names the role, Register runs the helper and exits, before any main (the
// program's, or a test binary's TestMain) and while the main goroutine is locked to the
// process's main thread, the thread-group leader. The helper's own children do not inherit
// SCC_HELPER.
//
// reexec imports nothing of scc's.
package reexec

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
)

// Env is the environment variable that names the role a helper process was started for.
const Env = "SCC_HELPER"

var (
	mu    sync.Mutex
	roles = map[string]bool{}
)

// Register declares the helper of a role. When this process was started as that role's
// helper, Register removes Env from the environment, runs main and exits with the status it
// returns: Register then never returns. Call it from the init function of the package that
// owns the role. Registering a role twice panics.
func Register(role string, main func() int) {
	mu.Lock()
	if roles[role] {
		mu.Unlock()
		panic("reexec: role " + role + " registered twice")
	}
	roles[role] = true
	mu.Unlock()
	if os.Getenv(Env) != role {
		return
	}
	os.Unsetenv(Env)
	os.Exit(main())
}

// Command returns the command that re-executes this binary as role's helper with args. env
// is the helper's environment (nil: this process's), without any Env of its own; the
// command's argv[0] is this process's, which a multi-call binary (a test binary standing in
// for scc) dispatches on. Command panics when this binary registers no helper for role:
// the re-executed binary would run its main instead.
func Command(ctx context.Context, role string, env []string, args ...string) *exec.Cmd {
	mu.Lock()
	ok := roles[role]
	mu.Unlock()
	if !ok {
		panic("reexec: no helper registered for role " + role)
	}
	cmd := exec.CommandContext(ctx, self(), args...)
	cmd.Args[0] = os.Args[0]
	if env == nil {
		env = os.Environ()
	}
	cmd.Env = append(without(env), fmt.Sprintf("%s=%s", Env, role))
	return cmd
}

// without is env without Env.
func without(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if !strings.HasPrefix(kv, Env+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// self is the path that starts this binary again: /proc/self/exe on Linux, which names the
// running binary even when its file was renamed or replaced.
func self() string {
	if runtime.GOOS == "linux" {
		return "/proc/self/exe"
	}
	if exe, err := os.Executable(); err == nil {
		return exe
	}
	return os.Args[0]
}
