package oci

import "testing"

func BenchmarkBreakdown(b *testing.B) {
	data := dockerDefault(&testing.T{})
	opts := ImportOptions{EvalOptions: EvalOptions{Arch: "amd64", Kernel: "6.8"}, Source: "d.json"}
	b.Run("parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Parse(data)
		}
	})
	p, f, _ := Parse(data)
	b.Run("resolve", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Resolve(p, opts.EvalOptions)
		}
	})
	r, _ := Resolve(p, opts.EvalOptions)
	b.Run("build", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			im, _ := newImporter(r, f, opts)
			im.build()
		}
	})
	b.Run("plan", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			im, _ := newImporter(r, f, opts)
			im.plan()
		}
	})
	b.Run("warnings", func(b *testing.B) {
		b.ReportAllocs()
		im, _ := newImporter(r, f, opts)
		for b.Loop() {
			im.warnings()
		}
	})
	b.Run("all", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ImportPolicy(data, opts)
		}
	})
}
