//go:build linux && cgo

package docker

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/moby/profiles/seccomp"
	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/oci"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/tests/libseccomp"
)

// The host the profile is evaluated for: amd64 (filter arches x86_64, i386, x32), Linux 6.1.
const (
	hostArch = "amd64"
	kernel   = "6.1"
)

// setup is one container configuration the profile is evaluated for.
type setup struct {
	name string
	caps []string // nil: Docker's default set
}

// setups are the configurations every test runs on.
var setups = []setup{
	{"default caps", nil},
	{"default caps + CAP_SYS_ADMIN, CAP_SYS_PTRACE", append(slices.Clone(oci.DefaultCaps), "CAP_SYS_ADMIN", "CAP_SYS_PTRACE")},
}

// pair is Docker's default profile built by scc and by libseccomp for one setup.
type pair struct {
	scc      *pipeline.Output
	lib      []bpf.RawInstruction
	resolved *oci.Resolved
	// libHighest is what runc's ENOSYS stub compares with, per arch (libseccomp.RuncHighest).
	libHighest map[string]uint32
}

// defaultProfile is Docker's default profile as JSON, from the moby/profiles module.
func defaultProfile(t testing.TB) []byte {
	t.Helper()
	data, err := json.Marshal(seccomp.DefaultProfile())
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// build imports and compiles the default profile with scc, and compiles it with libseccomp's
// binary tree as runc does.
func build(t testing.TB, s setup) pair {
	t.Helper()
	data := defaultProfile(t)
	eval := oci.EvalOptions{Arch: hostArch, Caps: s.caps, Kernel: kernel}
	src, err := oci.Import(data, oci.ImportOptions{EvalOptions: eval, Source: "default.json"})
	if err != nil {
		t.Fatal(err)
	}
	out, errs := pipeline.BuildSource("default.sc", src, pipeline.Options{})
	if errs.HasErrors() {
		t.Fatalf("the imported profile does not build: %v\n%s", errs, src)
	}
	lib, err := libseccomp.BuildProfileRunc(data, hostArch, s.caps, kernel, libseccomp.OptimizeBinaryTree)
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := oci.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	r, err := oci.Resolve(p, eval)
	if err != nil {
		t.Fatal(err)
	}
	highest, err := libseccomp.RuncHighest(r)
	if err != nil {
		t.Fatal(err)
	}
	return pair{scc: out, lib: lib, resolved: r, libHighest: highest}
}

// runScc runs scc's filter in scc's emulator.
func (p pair) runScc(t testing.TB, d program.SeccompData) (uint32, int) {
	t.Helper()
	vm, err := program.NewVM(p.scc.Filter.Program, p.scc.Filter.BigEndian)
	if err != nil {
		t.Fatalf("scc's filter does not verify: %v", err)
	}
	return vm.Run(d)
}

// runLib runs libseccomp's filter in tests/libseccomp's interpreter.
func (p pair) runLib(t testing.TB, d program.SeccompData) (uint32, int) {
	t.Helper()
	ret, steps, err := libseccomp.Exec(p.lib, d)
	if err != nil {
		t.Fatalf("libseccomp's filter faults on %s: %v", callString(d), err)
	}
	return ret, steps
}

// arch is scc's policy on one of the filter's arches.
func (p pair) arch(t testing.TB, name string) *ir.ArchPolicy {
	t.Helper()
	for _, ap := range p.scc.Policy.Arches {
		if ap.Arch.Name == name {
			return ap
		}
	}
	t.Fatalf("the imported policy has no arch %s", name)
	return nil
}

// callString writes a call for messages.
func callString(d program.SeccompData) string {
	return fmt.Sprintf("nr %#x arch %#x args %#x", uint32(d.Nr), d.Arch, d.Args)
}

// verdict writes a return value as an action.
func verdict(ret uint32) string { return ir.ActionFromRet(ret).String() }

// mismatches collects disagreements and reports the first few.
type mismatches struct {
	t     *testing.T
	calls int
	bad   int
	known map[string][]string // explained disagreements: the calls, by explanation
}

// explained counts a disagreement that has an explanation.
func (m *mismatches) explained(why, what string) {
	m.calls++
	if m.known == nil {
		m.known = map[string][]string{}
	}
	m.known[why] = append(m.known[why], what)
}

// log reports the totals and every explained disagreement.
func (m *mismatches) log() {
	m.t.Helper()
	m.t.Logf("%d calls, %d unexplained disagreements", m.calls, m.bad)
	whys := make([]string, 0, len(m.known))
	for why := range m.known {
		whys = append(whys, why)
	}
	slices.Sort(whys)
	for _, why := range whys {
		m.t.Logf("  explained, %d calls: %s: %s", len(m.known[why]), why, strings.Join(m.known[why], ", "))
	}
}

// fail counts a disagreement that is a known kind of scc defect and reports it.
func (m *mismatches) fail(format string, args ...any) {
	m.t.Helper()
	m.calls++
	m.bad++
	if m.bad <= 20 {
		m.t.Errorf(format, args...)
	}
}

// check compares scc's verdict with the expected one (libseccomp's, or libseccomp's on
// the call as scc reads it).
func (m *mismatches) check(d program.SeccompData, scc, want uint32, why string) {
	m.t.Helper()
	m.calls++
	if scc == want {
		return
	}
	m.bad++
	if m.bad <= 20 {
		m.t.Errorf("%s: scc %s, libseccomp %s (%s)", callString(d), verdict(scc), verdict(want), why)
	}
}

// runcHighest is libseccomp.RuncHighest of a profile evaluated for the tests' host.
func runcHighest(t testing.TB, profile []byte) map[string]uint32 {
	t.Helper()
	p, _, err := oci.Parse(profile)
	if err != nil {
		t.Fatal(err)
	}
	r, err := oci.Resolve(p, oci.EvalOptions{Arch: hostArch, Kernel: kernel})
	if err != nil {
		t.Fatal(err)
	}
	highest, err := libseccomp.RuncHighest(r)
	if err != nil {
		t.Fatal(err)
	}
	return highest
}
