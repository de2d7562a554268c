package oci

import (
	"strings"
	"testing"

	"github.com/scc-dev/scc/lang"
)

// treeCases are profiles and evaluations that reach every statement and expression the
// importer builds: Docker's default on several hosts, kernels and capability sets, every
// action and operator, values of every width, libseccomp's ordered rules, listeners and
// flags, runc's ENOSYS stub with and without the extra named rule.
func treeCases(t *testing.T) map[string]struct {
	profile []byte
	opts    ImportOptions
} {
	docker := dockerDefault(t)
	cases := map[string]struct {
		profile []byte
		opts    ImportOptions
	}{}
	for _, host := range []string{"amd64", "arm64", "x86", "s390x", "riscv64", "ppc64le", "mips64"} {
		for _, kernel := range []string{"3.10", "6.1"} {
			cases["docker "+host+" "+kernel] = struct {
				profile []byte
				opts    ImportOptions
			}{docker, ImportOptions{EvalOptions: EvalOptions{Arch: host, Kernel: kernel}, Source: "default.json"}}
		}
	}
	add := func(name, profile string, opts ImportOptions) {
		if opts.Arch == "" {
			opts.Arch, opts.Kernel = "amd64", "6.1"
		}
		cases[name] = struct {
			profile []byte
			opts    ImportOptions
		}{[]byte(profile), opts}
	}
	add("docker admin", string(docker), ImportOptions{EvalOptions: EvalOptions{Caps: []string{"CAP_SYS_ADMIN", "CAP_SYS_PTRACE"}}})
	add("docker no ENOSYS", string(docker), ImportOptions{EvalOptions: EvalOptions{NoNewerENOSYS: true}})
	add("every action and operator", ociAll, ImportOptions{Name: "all"})
	add("precedence", precedence, ImportOptions{})
	add("widths", `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
		"syscalls": [{"names": ["lseek"], "action": "SCMP_ACT_ALLOW",
		 "args": [{"index": 1, "value": 18446744073709551615, "op": "SCMP_CMP_EQ"}]},
		{"names": ["dup"], "action": "SCMP_ACT_ALLOW",
		 "args": [{"index": 0, "value": 4294967297, "op": "SCMP_CMP_EQ"}]},
		{"names": ["lseek"], "action": "SCMP_ACT_ALLOW",
		 "args": [{"index": 1, "value": 18446744071562067968, "op": "SCMP_CMP_GT"}]}]}`, ImportOptions{})
	add("listener and unknown flags", `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
		"flags": ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_NOPE"],
		"listenerPath": "/run/a \"b\".sock", "listenerMetadata": "m",
		"syscalls": [{"names": ["read", "no_such_call"], "action": "SCMP_ACT_ALLOW"},
		             {"names": ["mount"], "action": "SCMP_ACT_NOTIFY"}]}`, ImportOptions{})
	add("metadata without a path", `{"defaultAction": "SCMP_ACT_ALLOW", "listenerMetadata": "m",
		"syscalls": [{"names": ["mount"], "action": "SCMP_ACT_NOTIFY"}]}`, ImportOptions{})
	add("default-action names for the stub", `{"defaultAction": "SCMP_ACT_ERRNO",
		"architectures": ["SCMP_ARCH_X86_64"],
		"syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"},
		             {"names": ["openat2", "socket"], "action": "SCMP_ACT_ERRNO"},
		             {"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [
		               {"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]},
		             {"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [
		               {"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]},
		             {"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [
		               {"index": 0, "value": 10, "op": "SCMP_CMP_EQ"}]},
		             {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "args": [
		               {"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 4, "op": "SCMP_CMP_LT"}]},
		             {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "args": [
		               {"index": 0, "value": 3, "op": "SCMP_CMP_MASKED_EQ", "valueTwo": 1}]}]}`, ImportOptions{Name: "if"})
	return cases
}

// TestTreeIsText: the syntax tree ImportPolicy builds, which builds compile, is the tree of
// the text scc import writes: their statements print alike.
func TestTreeIsText(t *testing.T) {
	for name, c := range treeCases(t) {
		imp, err := ImportPolicy(c.profile, c.opts)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		text, err := imp.Text()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		parsed, errs := lang.Parse("text.sc", text)
		if errs.HasErrors() {
			t.Errorf("%s: the text does not parse: %v", name, errs)
			continue
		}
		if got, want := bare(imp.File), bare(parsed); got != want {
			t.Errorf("%s: the tree prints\n%s\nits text parses to\n%s", name, got, want)
		}
		if again := lang.Format(parsed); string(again) != string(text) {
			t.Errorf("%s: the text is not in scc fmt's layout:\n%s", name, text)
		}
	}
}

// bare prints a file's declarations without its comments and blank lines.
func bare(f *lang.File) string {
	return string(lang.Format(&lang.File{Decls: f.Decls}))
}

// TestPolicyNameNeverReserved: a profile file called if.json imports as a policy that
// parses.
func TestPolicyNameNeverReserved(t *testing.T) {
	for _, source := range []string{"if.json", "in.json", "-.json"} {
		out, err := Import([]byte(`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": []}`),
			ImportOptions{EvalOptions: EvalOptions{Arch: "amd64", Kernel: "6.1"}, Source: source})
		if err != nil {
			t.Errorf("%s: %v", source, err)
		} else if !strings.Contains(string(out), "policy imported {") {
			t.Errorf("%s:\n%s", source, out)
		}
	}
}
