package bench

import (
	"testing"

	"github.com/scc-dev/scc/irmeaning"
	"github.com/scc-dev/scc/pipeline"
)

// BenchmarkProve times scc build --prove's proof of Docker's default profile's build, next to
// the build itself: build is parse, compile, optimize, emit and verify; prove is the
// translation validation alone (the policy's meaning, the program's, their comparison).
func BenchmarkProve(b *testing.B) {
	c, err := DockerCase()
	if err != nil {
		b.Fatal(err)
	}
	build := func(b *testing.B) *pipeline.Output {
		out, errs := pipeline.BuildSource(c.File, c.Source, pipeline.Options{})
		if errs.HasErrors() {
			b.Fatal(errs)
		}
		return out
	}
	b.Run("build", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			build(b)
		}
	})
	out := build(b)
	b.Run("prove", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			diffs, err := irmeaning.Prove(out.Policy, out.Filter.Program, out.Filter.BigEndian)
			if err != nil || len(diffs) > 0 {
				b.Fatal(err, diffs)
			}
		}
	})
}
