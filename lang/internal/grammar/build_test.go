package grammar

import "testing"

// BenchmarkBuild measures what every process that parses pays once, on its first parse:
// participle building the parsers from the grammar structs by reflection.
func BenchmarkBuild(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if p := build(); p.File == nil {
			b.Fatal("no parser")
		}
	}
}
