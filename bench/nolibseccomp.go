//go:build !linux || !cgo

package bench

import (
	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/ir"
)

// libseccompProgram reports libseccomp unavailable: it needs Linux and cgo.
func libseccompProgram(Case, *ir.Policy, int) ([]bpf.RawInstruction, error) {
	return nil, &NotAvailable{Reason: "built without cgo: no libseccomp"}
}

// LibseccompVersion is "none" without cgo.
func LibseccompVersion() string { return "none" }

// SmallPolicies reports libseccomp unavailable: it needs Linux and cgo.
func SmallPolicies(int) (SmallResult, error) {
	return SmallResult{}, &NotAvailable{Reason: "built without cgo: no libseccomp"}
}
