package backend_test

import (
	"testing"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/bench"
	"github.com/scc-dev/scc/optimizer"
)

// BenchmarkBuild times backend.Build alone on Docker's default profile, for each of the
// benchmark variants (default, balanced and profile-weighted trees). The optimizer.Program is
// built once, outside the timed loop.
func BenchmarkBuild(b *testing.B) {
	c, err := bench.DockerCase()
	if err != nil {
		b.Skip(err)
	}
	variants, err := bench.Variants()
	if err != nil {
		b.Fatal(err)
	}
	for _, v := range variants {
		b.Run(c.Name+"/"+v.Name, func(b *testing.B) {
			p := dockerProgram(b, c, v)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := backend.Build(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func dockerProgram(tb testing.TB, c bench.Case, v bench.Variant) *optimizer.Program {
	out, err := bench.Compile(c, v.Options)
	if err != nil {
		tb.Fatal(err)
	}
	return out.Program
}
