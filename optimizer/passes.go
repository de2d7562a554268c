package optimizer

// pass is a rewrite the builder makes while it constructs the DAG. No pass changes a
// decision: each only shares nodes or saves tests, so each can be switched off on its own
// (the tests build with each off in turn and compare the verdicts). Optimize runs them all.
// The lowering itself (flattening junctions, gathering `in` sets, splitting 64-bit
// comparisons, folding tests whose outcome the mask fixes) is not a pass: it is how a
// condition becomes tests at all.
type pass uint8

const (
	// passHashCons makes equal nodes one node: leaves with the same action, and tests with
	// the same load, mask, test and targets (builder.leaf, builder.mk). Equal sub-DAGs are
	// shared across syscalls and arches, neighbouring numbers with equal rules merge into
	// one span, and the backend emits each shared node once.
	passHashCons pass = 1 << iota
	// passCarve makes one equality test of two number tests that single out one number:
	// "A >= v ? (A >= v+1 ? D : X) : D" becomes "A == v ? X : D" (builder.split, carve).
	passCarve
	// passJSET tests a masked word with one JSET instead of an AND and a comparison where the
	// outcome only depends on whether any masked bit is set: a mask of one bit, and
	// "x & m == 0", "x & m != 0" (builder.test).
	passJSET
	// passArgSearch decides runs of rules on one argument by a search over its value
	// (builder.argRules, argfn.go) instead of testing the rules one after the other.
	passArgSearch
	// passChain tests a few spans of syscall numbers by a chain of equality and range tests
	// instead of a search tree over them, where the chain takes fewer tests and decides no
	// span in more (builder.numberChain).
	passChain
)

// passes names the passes, for tests and messages.
var passes = []struct {
	name string
	pass pass
}{
	{"hash-cons", passHashCons},
	{"carve", passCarve},
	{"jset", passJSET},
	{"arg-search", passArgSearch},
	{"chain", passChain},
}

// on reports whether pass p runs in b's build.
func (b *builder) on(p pass) bool { return b.off&p == 0 }
