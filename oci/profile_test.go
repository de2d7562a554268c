package oci

import (
	"strings"
	"testing"
)

func TestParseFormats(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Format
	}{
		{`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": []}`, FormatOCI},
		{`{"defaultAction": "SCMP_ACT_ALLOW", "archMap": [{"architecture": "SCMP_ARCH_X86_64"}], "syscalls": []}`, FormatDocker},
		{`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"name": "read", "action": "SCMP_ACT_ALLOW"}]}`, FormatDocker},
		{`{"ociVersion": "1.0.2", "linux": {"seccomp": {"defaultAction": "SCMP_ACT_ERRNO"}}}`, FormatOCIConfig},
	} {
		_, got, err := Parse([]byte(c.in))
		if err != nil || got != c.want {
			t.Errorf("Parse(%s) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{`[1]`, `{"syscalls": []}`, `{"linux": {}}`, "\x00garbage"} {
		if _, _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

func TestResolveErrors(t *testing.T) {
	for _, c := range []struct{ profile, want string }{
		{`{"defaultAction": "SCMP_ACT_NOPE", "syscalls": []}`, "unknown seccomp action"},
		{`{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86"], "archMap": [{"architecture": "SCMP_ARCH_X86"}], "syscalls": []}`, "both"},
		{`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"name": "a", "names": ["b"], "action": "SCMP_ACT_LOG"}]}`, "both name and names"},
		{`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_LOG", "args": [{"index": 6, "op": "SCMP_CMP_EQ"}]}]}`, "index 6"},
		{`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_LOG", "args": [{"index": 0, "op": "SCMP_CMP_XX"}]}]}`, "unknown comparison"},
		{`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5000}]}`, "above 4095"},
		{`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_LOG", "includes": {"minKernel": "4"}}]}`, "bad minKernel"},
	} {
		_, err := Import([]byte(c.profile), ImportOptions{EvalOptions: EvalOptions{Arch: "amd64", Kernel: "6.1"}})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Import(%s): %v, want an error with %q", c.profile, err, c.want)
		}
	}
	if _, err := Import([]byte(`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": []}`), ImportOptions{EvalOptions: EvalOptions{Arch: "vax"}}); err == nil {
		t.Error("an unknown arch was accepted")
	}
	if _, err := Import([]byte(`{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_PPC"], "syscalls": []}`), ImportOptions{}); err == nil {
		t.Error("a profile for an arch without tables was accepted")
	}
}

func TestResolveFilters(t *testing.T) {
	p := &Profile{DefaultAction: "SCMP_ACT_ERRNO", Syscalls: []Syscall{
		{Names: []string{"a"}, Action: "SCMP_ACT_ALLOW", Includes: &Filter{MinKernel: "5.10"}},
		{Names: []string{"b"}, Action: "SCMP_ACT_ALLOW", Excludes: &Filter{MinKernel: "5.10"}},
		{Names: []string{"c"}, Action: "SCMP_ACT_ALLOW", Includes: &Filter{Arches: []string{"arm64"}}},
		{Names: []string{"d"}, Action: "SCMP_ACT_ALLOW", Excludes: &Filter{Arches: []string{"amd64"}}},
		{Names: []string{"e"}, Action: "SCMP_ACT_ALLOW", Includes: &Filter{Caps: []string{"CAP_SYS_ADMIN", "CAP_KILL"}}},
		{Names: []string{"f"}, Action: "SCMP_ACT_ALLOW", Excludes: &Filter{Caps: []string{"CAP_KILL"}}},
	}}
	for _, c := range []struct {
		opts EvalOptions
		want string
	}{
		{EvalOptions{Arch: "amd64", Kernel: "5.10.0-18-amd64"}, "a"},
		{EvalOptions{Arch: "x86_64", Kernel: "5.9"}, "b"},
		{EvalOptions{Arch: "aarch64", Kernel: "5.9", Caps: []string{"kill"}}, "bcd"},
		{EvalOptions{Arch: "amd64", Kernel: "4.4", Caps: []string{"sys_admin", "KILL"}}, "be"},
		{EvalOptions{Arch: "amd64", Kernel: "4.4", Caps: []string{}}, "bf"},
	} {
		r, err := Resolve(p, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		var got string
		for _, e := range r.Entries {
			got += e.Names[0]
		}
		if got != c.want {
			t.Errorf("%+v: entries %q, want %q", c.opts, got, c.want)
		}
	}
}
