//go:build linux

package loader

import (
	"errors"
	"strings"
	"testing"
)

// TestKillProcessUnsupportedWraps: the error says what is missing and wraps ErrUnsupported.
func TestKillProcessUnsupportedWraps(t *testing.T) {
	if !errors.Is(ErrKillProcessUnsupported, ErrUnsupported) {
		t.Error("ErrKillProcessUnsupported does not wrap ErrUnsupported")
	}
	if msg := ErrKillProcessUnsupported.Error(); !strings.Contains(msg, "SECCOMP_RET_KILL_PROCESS is "+ErrUnsupported.Error()) {
		t.Errorf("message %q", msg)
	}
}
