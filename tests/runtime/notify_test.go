//go:build linux

package runtime

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestNotifySupervisor builds examples/notify-supervisor and runs its demo: a child installs
// sandbox.sc (user_notif socket, getppid) and sends the listener over a socket, as runc sends
// it to a profile's listenerPath; the supervisor answers socket with ADDFD (a socket it bound
// itself becomes the call's result) and getppid with CONTINUE.
func TestNotifySupervisor(t *testing.T) {
	if !kernelAtLeast(5, 14) {
		t.Skip("SECCOMP_ADDFD_FLAG_SEND needs Linux 5.14")
	}
	bin := filepath.Join(t.TempDir(), "notify-supervisor")
	if err := goBuild(bin, "github.com/scc-dev/scc/examples/notify-supervisor"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // a hang guard only
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "-demo").CombinedOutput()
	if err != nil {
		t.Fatalf("notify-supervisor -demo: %v\n%s", err, out)
	}
	for _, want := range []string{
		`(?m)^supervising pid \d+ \(metadata "demo"\)$`,
		`(?m)^socket\(2, 0x80002, 0\) of task \d+: gave it fd (\d+)$`,
		`(?m)^child: socket\(\) returned fd \d+, bound to 127\.0\.0\.1:\d+ by the supervisor$`,
		`(?m)^continue syscall \d+ of task \d+$`,
		`(?m)^child: getppid\(\) ran: it is the supervisor's pid: true$`,
	} {
		if !regexp.MustCompile(want).Match(out) {
			t.Errorf("the demo's output lacks %s:\n%s", want, out)
		}
	}
}

// kernelAtLeast tells whether the running kernel is major.minor or newer.
func kernelAtLeast(major, minor int) bool {
	var u unix.Utsname
	if unix.Uname(&u) != nil {
		return false
	}
	var ma, mi int
	if n, _ := fmt.Sscanf(unix.ByteSliceToString(u.Release[:]), "%d.%d", &ma, &mi); n != 2 {
		return false
	}
	return ma > major || ma == major && mi >= minor
}
