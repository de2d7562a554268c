package differential_test

import (
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/optimizer"
	"github.com/scc-dev/scc/tests/differential"
)

// fuzzSets are the arch combinations FuzzPipeline draws from.
var fuzzSets = [][]string{
	{"x86_64"}, {"x86_64", "x32"}, {"x86_64", "i386", "x32"}, {"i386"}, {"aarch64", "arm"}, {"s390x"},
}

// FuzzPipeline turns its input into a seeded random policy (the bytes' SHA-256 seeds the
// generator; the first byte picks the arches and the tree shape), compiles it with the
// optimizer and the backend, and compares the program with Decide on calls derived from the
// same seed. A policy over the kernel's size limit is skipped.
func FuzzPipeline(f *testing.F) {
	for _, seed := range []string{"", "scc", "x32", "\x02 three arches", "\x05big-endian", "\x81weighted"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, fl, r := fuzzBuild(t, data)
		agreeWithDecide(t, p, fl, differential.Calls(r, p, 300))
	})
}

// fuzzBuild turns a fuzz input into a seeded random policy and its build: the bytes'
// SHA-256 seeds the generator, and the first byte picks the arches and the tree shape. A
// policy over the kernel's size limit skips the input. The generator is returned for drawing
// calls from the same seed.
func fuzzBuild(t *testing.T, data []byte) (*ir.Policy, *backend.Filter, *rand.Rand) {
	t.Helper()
	sum := sha256.Sum256(data)
	r := newRand(binary.LittleEndian.Uint64(sum[:8]), binary.LittleEndian.Uint64(sum[8:16]))
	var sel byte
	if len(data) > 0 {
		sel = data[0]
	}
	cfg := differential.Config{Arches: arches(t, fuzzSets[int(sel&0x7f)%len(fuzzSets)]...), Syscalls: 1 + r.IntN(20)}
	p := differential.Policy(r, cfg)
	opts := optimizer.Options{Balanced: sel&0x80 == 0}
	if sel&0x80 != 0 {
		opts.Weights = weights(sum[16:])
	}
	fl, err := compile(p, opts)
	if tooLarge(err) {
		t.Skip("over the kernel's size limit")
	}
	if err != nil {
		t.Fatalf("compiling: %v%s", err, describePolicy(p))
	}
	return p, fl, r
}

// weights draws a syscall frequency profile for the weighted search tree.
func weights(b []byte) map[uint32]float64 {
	w := map[uint32]float64{}
	for i, x := range b {
		w[uint32(x)+uint32(i)] = float64(1 + int(b[(i+1)%len(b)]))
	}
	return w
}
