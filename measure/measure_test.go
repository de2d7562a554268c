package measure_test

import (
	"testing"

	"github.com/scc-dev/scc/measure"
	"github.com/scc-dev/scc/pipeline"
)

// TestX32AllowedButNotCached: x32 syscalls allowed without conditions are counted as such,
// and the report says the kernel's cache does not apply to x32 rather than reporting 0 of 0.
func TestX32AllowedButNotCached(t *testing.T) {
	src := []byte(`policy p {
    arch x86_64, i386, x32
    default errno(EPERM)
    allow read, write, close
    allow mmap if prot == 0
}
`)
	out, errs := pipeline.BuildSource("p.sc", src, pipeline.Options{})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	r, err := measure.Measure(out.Policy, out.Filter, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Arches) != 3 {
		t.Fatalf("arches: %+v", r.Arches)
	}
	for _, a := range r.Arches {
		if a.ArgFreeAllowed != 3 {
			t.Errorf("%s: %d allowed without arguments, want 3 (read, write, close)", a.Arch, a.ArgFreeAllowed)
		}
		if len(a.NotCached) != 0 {
			t.Errorf("%s: not cached: %v", a.Arch, a.NotCached)
		}
		switch a.Arch {
		case "x32":
			if !a.NoCache || a.Cached != 0 {
				t.Errorf("x32: NoCache %v, Cached %d; want the cache not applicable", a.NoCache, a.Cached)
			}
		default:
			if a.NoCache || a.Cached != 3 {
				t.Errorf("%s: NoCache %v, Cached %d; want 3 cached", a.Arch, a.NoCache, a.Cached)
			}
		}
	}
}
