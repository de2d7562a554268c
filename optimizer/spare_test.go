package optimizer

import (
	"runtime"
	"testing"
)

// TestSparesPay checks that the spares keep paying: a build that finds the builder and the
// height-limited program's tables of the build before allocates well under what a build
// that finds nothing kept does (about half for a default build, a seventh with a profile).
func TestSparesPay(t *testing.T) {
	p := dockerLike()
	for _, tc := range []struct {
		name string
		opts Options
		most float64 // the largest share of a fresh build's bytes a build with spares may take
	}{
		{"default", Options{}, 0.75},
		{"profile", Options{Weights: hotMix}, 0.5},
	} {
		allocated := func() uint64 {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			if _, err := Optimize(p, tc.opts); err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&after)
			return after.TotalAlloc - before.TotalAlloc
		}
		builders.take() // nothing kept
		dpSpare.take()
		fresh := allocated()
		kept := allocated()
		t.Logf("%s: %d bytes fresh, %d with the spares", tc.name, fresh, kept)
		if float64(kept) > tc.most*float64(fresh) {
			t.Errorf("%s: a build with the spares allocates %d bytes, a fresh one %d: want at most %.0f%%",
				tc.name, kept, fresh, 100*tc.most)
		}
	}
}
