//go:build linux && cgo

package docker

import (
	"testing"

	"github.com/scc-dev/scc/oci"
	"github.com/scc-dev/scc/tests/libseccomp"
)

// TestExportAgrees: scc's policy of Docker's default profile, exported as an OCI profile
// (oci.Export) and compiled by libseccomp as runc would, decides every number and the
// generated argument vectors as scc's own filter does. Garbage high halves are left out:
// the export says (as a misfit) that the profile compares int arguments on 64 bits.
func TestExportAgrees(t *testing.T) {
	for _, s := range setups {
		t.Run(s.name, func(t *testing.T) {
			p := build(t, s)
			exported, misfits, err := oci.Export(p.scc.Policy)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("misfits: %q", misfits)
			lib, err := libseccomp.BuildProfileRunc(exported, hostArch, nil, kernel, libseccomp.OptimizeBinaryTree)
			if err != nil {
				t.Fatal(err)
			}
			back := pair{scc: p.scc, lib: lib, libHighest: runcHighest(t, exported)}
			checkNumbers(t, back).log()
			a := &argCheck{clean: &mismatches{t: t}, garbage: &mismatches{t: t}}
			a.run(t, back, "export "+s.name, argRules(p.resolved), false)
			a.log(t)
		})
	}
}
