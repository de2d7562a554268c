//go:build linux && cgo

package libseccomp

import "testing"

// TestNeverLargerThanLibseccompTree builds generated small policies, on one arch and on
// x86_64, i386 and x32, with scc and with libseccomp's binary tree (CompareSmallPolicies,
// which BENCHMARKS.md shows too): scc's program is never longer than libseccomp's (unless
// libseccomp's decides wrongly, which can save it a load: see TestLibseccompMiscompilation),
// and decides as the policy does.
func TestNeverLargerThanLibseccompTree(t *testing.T) {
	policies := 300
	if testing.Short() {
		policies = 60
	}
	res, err := CompareSmallPolicies(policies)
	if err != nil {
		t.Fatal(err)
	}
	for _, longer := range res.Longer {
		t.Error(longer)
	}
	if res.Policies < policies {
		t.Errorf("only %d of %d policies built by libseccomp", res.Policies, 3*policies)
	}
	t.Logf("%d policies: scc %d instructions, libseccomp's tree %d, its linear layout %d",
		res.Policies, res.SCC, res.Tree, res.Linear)
}
