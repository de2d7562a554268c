package oci

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestExportArchConditions: rules that apply on some arches are exported as entries whose
// includes.arches name the hosts (Docker's native arches) whose calls they decide, when
// every host's arches decide alike; the profile imported for each host decides as the
// policy on that host's arches. A rule that splits a host's arches does not fit.
func TestExportArchConditions(t *testing.T) {
	p := compile(t, `policy p {
    arch x86_64, x32, i386, aarch64, arm
    default errno(EPERM)
    allow read, write
    allow ptrace if arch in {x86_64, i386, x32}
    errno(ENOSYS) getpid if arch in {aarch64, arm}
    allow ioctl if arch != aarch64 && arch != arm && request == 0x5401
    allow uname if arch != x32
}
`)
	out, misfits, err := Export(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(misfits) != 1 || !strings.Contains(misfits[0], "uname: has rules on x86_64 but none on x32") {
		t.Errorf("misfits: %q", misfits)
	}
	var prof Profile
	if err := json.Unmarshal(out, &prof); err != nil {
		t.Fatal(err)
	}
	hosts := map[string]string{}
	for _, s := range prof.Syscalls {
		if s.Includes != nil {
			hosts[strings.Join(s.Names, ",")] = strings.Join(s.Includes.Arches, ",")
		}
	}
	for name, want := range map[string]string{"ptrace": "amd64,x86", "getpid": "arm,arm64", "ioctl": "amd64,x86"} {
		if hosts[name] != want {
			t.Errorf("%s: includes.arches %q, want %q\n%s", name, hosts[name], want, out)
		}
	}
	for host, arches := range hostArches {
		if host != "amd64" && host != "arm64" && host != "x86" && host != "arm" {
			continue
		}
		back, err := Import(out, ImportOptions{EvalOptions: EvalOptions{Arch: host, Kernel: "6.1"}, Name: "back"})
		if err != nil {
			t.Fatal(err)
		}
		q := compile(t, string(back))
		for _, arch := range arches {
			for _, c := range []struct {
				name string
				args []uint64
			}{{"read", nil}, {"ptrace", nil}, {"getpid", nil}, {"ioctl", []uint64{0, 0x5401}}, {"ioctl", []uint64{0, 1}}} {
				if arch == "x32" && c.name == "uname" {
					continue // the misfit
				}
				want, got := decideCall(t, p, arch, c.name, c.args...), decideCall(t, q, arch, c.name, c.args...)
				if got != want {
					t.Errorf("host %s, %s %s%v: the profile decides %v, the policy %v", host, arch, c.name, c.args, got, want)
				}
			}
		}
	}
}
