//go:build linux && cgo

package bench

import (
	"errors"
	"fmt"

	seccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/tests/libseccomp"
)

// libseccompProgram builds c with libseccomp at an optimization level (1 linear, 2 binary
// tree): a Docker profile as runc builds it (libseccomp.BuildProfile, for amd64 with Docker's
// default capabilities on DockerKernel), else scc's compiled policy p when it is within the
// subset libseccomp expresses with scc's semantics.
func libseccompProgram(c Case, p *ir.Policy, level int) ([]bpf.RawInstruction, error) {
	if c.Profile != nil {
		return libseccomp.BuildProfile(c.Profile, "amd64", nil, DockerKernel, level)
	}
	prog, err := libseccomp.Build(p, libseccomp.Options{Optimize: level})
	if errors.Is(err, libseccomp.ErrNotExpressible) {
		return nil, &NotAvailable{Reason: err.Error()}
	}
	return prog, err
}

// LibseccompVersion is the version of the libseccomp library linked in.
func LibseccompVersion() string {
	major, minor, micro := seccomp.GetLibraryVersion()
	return fmt.Sprintf("%d.%d.%d", major, minor, micro)
}

// SmallPolicies compares scc's programs of n seeds' small policies with libseccomp's
// (tests/libseccomp.CompareSmallPolicies, which TestNeverLargerThanLibseccompTree holds scc
// to).
func SmallPolicies(n int) (SmallResult, error) {
	c, err := libseccomp.CompareSmallPolicies(n)
	return SmallResult{
		Policies: c.Policies, SCC: c.SCC, Tree: c.Tree, Linear: c.Linear,
		Longer: len(c.Longer), LongerThanWrong: c.LongerThanWrong, LongerThanLinear: c.LongerThanLinear,
	}, err
}
