package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/moby/profiles/seccomp"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/oci"
)

// loadProfile loads a profile as scc build does, for a host and kernel.
func loadProfile(t *testing.T, name string, data []byte, host, kernel string) *Source {
	t.Helper()
	opts := Options{}
	opts.Compile.Arches = []string{host}
	opts.Import.Kernel = kernel
	src, err := Load(&Input{Name: name, Data: data, Kind: Profile}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// TestProfileBuildsFromItsTree: a profile builds from the syntax tree of its import, with
// no text written and parsed, into the very filter and IR its text (scc import's) builds.
func TestProfileBuildsFromItsTree(t *testing.T) {
	docker, err := json.Marshal(seccomp.DefaultProfile())
	if err != nil {
		t.Fatal(err)
	}
	conflicts := `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
		"flags": ["SECCOMP_FILTER_FLAG_LOG"], "listenerPath": "/run/a.sock",
		"syscalls": [
		{"names": ["read", "write", "no_such_call"], "action": "SCMP_ACT_ALLOW"},
		{"names": ["mount"], "action": "SCMP_ACT_NOTIFY"},
		{"names": ["lseek"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 18446744073709551615, "op": "SCMP_CMP_EQ"}]},
		{"names": ["clone"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38, "args": [
			{"index": 0, "value": 268435456, "valueTwo": 268435456, "op": "SCMP_CMP_MASKED_EQ"}]},
		{"names": ["clone"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 4, "op": "SCMP_CMP_LT"}]},
		{"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]},
		{"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 10, "op": "SCMP_CMP_EQ"}]}]}`
	for _, c := range []struct {
		name, host, kernel string
		data               []byte
	}{
		{"docker.json", "amd64", "6.1", docker},
		{"docker.json", "arm64", "4.4", docker},
		{"docker.json", "s390x", "6.8", docker},
		{"docker.json", "riscv64", "6.8", docker},
		{"conflicts.json", "amd64", "6.1", []byte(conflicts)},
	} {
		t.Run(c.name+"/"+c.host, func(t *testing.T) {
			tree, errs := loadProfile(t, c.name, c.data, c.host, c.kernel).Build("")
			if errs.HasErrors() {
				t.Fatal(errs)
			}
			if len(tree.Sources) != 0 {
				t.Errorf("the build wrote and parsed the policy's text: sources %v", tree.Sources)
			}
			text := loadProfile(t, c.name, c.data, c.host, c.kernel)
			res, errs := text.Compile("")
			if errs.HasErrors() {
				t.Fatal(errs)
			}
			if len(res.Sources[c.name+".sc"]) == 0 {
				t.Errorf("Compile did not compile the text: sources %v", res.Sources)
			}
			want, errs := finish(res, errs, text.opts)
			if errs.HasErrors() {
				t.Fatal(errs)
			}
			if !bytes.Equal(tree.Filter.Raw(), want.Filter.Raw()) {
				t.Error("the tree's filter differs from the text's")
			}
			if got, want := unpositioned(tree.Policy), unpositioned(want.Policy); !reflect.DeepEqual(got, want) {
				t.Errorf("the tree's IR differs from the text's:\n%s\n%s", got, want)
			}
		})
	}
}

// unpositioned is a policy's IR as text, without the rules' positions: a tree has none.
func unpositioned(p *ir.Policy) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %v %#x %+v\n", p.Name, p.BadArch, p.Flags, p.Listener)
	for _, ap := range p.Arches {
		rules := make(map[uint32][]ir.Rule, len(ap.Rules))
		for nr, rs := range ap.Rules {
			for _, r := range rs {
				r.Pos = diag.Pos{}
				rules[nr] = append(rules[nr], r)
			}
		}
		fmt.Fprintf(&b, "%+v %v %v %v %v\n%v\n", ap.Arch, ap.Default, ap.Newer, ap.NewerAbove, ap.NewerGaps, rules)
	}
	return b.String()
}

// TestProfileErrorsPointIntoItsText: a profile whose policy does not build reports its
// errors positioned in the policy's text, as scc import writes it, with the line shown.
func TestProfileErrorsPointIntoItsText(t *testing.T) {
	var entries []string
	for i := range 4097 {
		entries = append(entries, fmt.Sprintf(`{"names": ["personality"], "action": "SCMP_ACT_ALLOW",
			"args": [{"index": 0, "value": %d, "op": "SCMP_CMP_EQ"}]}`, i))
	}
	data := []byte(`{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
		"syscalls": [` + strings.Join(entries, ",") + `]}`)
	out, errs := loadProfile(t, "dir/big.json", data, "amd64", "6.1").Build("")
	if !errs.HasErrors() {
		t.Fatal("a set of 4097 members built")
	}
	d := errs[0]
	text, err := oci.Import(data, oci.ImportOptions{EvalOptions: oci.EvalOptions{Arch: "amd64", Kernel: "6.1"}, Source: "big.json"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Pos.File != "dir/big.json.sc" || d.Pos.Line == 0 || !strings.Contains(d.Message, "4096") {
		t.Errorf("error %v, want one in dir/big.json.sc with a line", d)
	}
	if got := out.Sources[d.Pos.File]; !bytes.Equal(got, text) {
		t.Errorf("the sources do not hold the imported text:\n%s", got)
	}
}
