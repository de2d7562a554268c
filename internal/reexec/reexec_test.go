package reexec

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The test binary's helper prints its arguments, its argv[0] and what Env it sees, and exits
// with status 7.
func init() {
	Register("reexec-test", func() int {
		fmt.Printf("args=%q argv0=%q env=%q\n", os.Args[1:], os.Args[0], os.Getenv(Env))
		return 7
	})
}

func TestCommand(t *testing.T) {
	env := append(os.Environ(), Env+"=stale", "REEXEC_TEST=kept")
	cmd := Command(context.Background(), "reexec-test", env, "a", "b c")
	out, err := cmd.Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 7 {
		t.Fatalf("the helper: %v, want exit status 7; output %q", err, out)
	}
	want := fmt.Sprintf("args=%q argv0=%q env=%q\n", []string{"a", "b c"}, os.Args[0], "")
	if string(out) != want {
		t.Errorf("the helper printed %q, want %q", out, want)
	}
	n := 0
	for _, kv := range cmd.Env {
		if strings.HasPrefix(kv, Env+"=") {
			n++
			if kv != Env+"=reexec-test" {
				t.Errorf("the helper's environment has %q", kv)
			}
		}
	}
	if n != 1 || !strings.Contains(strings.Join(cmd.Env, "\n"), "REEXEC_TEST=kept") {
		t.Errorf("the helper's environment: %q", cmd.Env)
	}
}

func TestCommandUnknownRole(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Command of an unregistered role did not panic")
		}
	}()
	Command(context.Background(), "no-such-role", nil)
}

func TestRegisterTwice(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("registering a role twice did not panic")
		}
	}()
	Register("reexec-test", func() int { return 0 })
}
