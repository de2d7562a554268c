package oci

import "testing"

// BenchmarkImportPolicy times the import of Docker's default profile for amd64, stage by
// stage: decode the JSON, evaluate it, build the policy's syntax tree (what scc build
// PROFILE.json compiles), all three (ImportPolicy); and write the policy's text, which only
// scc import and the diagnostics need.
func BenchmarkImportPolicy(b *testing.B) {
	data := dockerDefault(&testing.T{})
	opts := ImportOptions{EvalOptions: EvalOptions{Arch: "amd64", Kernel: "6.8"}, Source: "default.json"}
	p, format, err := Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	r, err := Resolve(p, opts.EvalOptions)
	if err != nil {
		b.Fatal(err)
	}
	imp, err := ImportPolicy(data, opts)
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range []struct {
		name string
		run  func()
	}{
		{"decode", func() { Parse(data) }},
		{"evaluate", func() { Resolve(p, opts.EvalOptions) }},
		{"tree", func() {
			im, _ := newImporter(r, format, opts)
			im.build()
			im.warnings()
		}},
		{"all", func() { ImportPolicy(data, opts) }},
		{"text", func() { imp.Text() }},
	} {
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.run()
			}
		})
	}
}
