// Package optimizer turns a policy's IR into a decision DAG: one arch dispatch, a search tree
// on the syscall number per audit value, and per-syscall argument DAGs over 32-bit words. The
// backend lays the DAG out as BPF instructions. It knows nothing of the source text: it must
// not import lang, compiler or backend.
//
// # The DAG
//
// The arch word is tested against each audit value of the policy, a chain of JEQ. Under an
// audit value, the number line 0..2^32-1 is cut into spans, the maximal ranges of numbers
// with equal decision (numbers of no declared ABI, and x32's numbers under x86_64's value,
// are just more spans), and a search tree of JGE picks the span. A span's decision is a leaf,
// or for a syscall with argument conditions a DAG of tests in first-match order, built with
// continuations so that it grows linearly with the conditions. Argument words are only
// loaded below the number dispatch, so every syscall whose decision does not depend on its
// arguments is decided by arch and number loads and K-form jumps only, as the kernel's
// action cache needs.
//
// # Arguments are searched
//
// A syscall's rules on one argument (equalities, ranges, sets, masks, of one action or
// several, in first-match order) are a function from the argument's value to the node that
// decides the rest (argfn.go): read from the last rule to the first, each rule rewrites it on
// the values its condition holds for, a run of pure rules in one sweep. Where a rule looks
// at another argument, the function is laid out as a search over the value (argsearch.go):
// a balanced tree of >= tests over its ranges of equal decision, the range holding zero
// tested first, and chains of JEQ and range tests where they take fewer tests and at most
// chainSlack more levels. A 64-bit argument is searched on its high word first, then on
// the low word under each high value whose low words are not decided alike; 32-bit ones on
// their low word only. Where a 32-bit arch of the policy has the same rules, the high words
// of x86_64's arguments are tested once up front (splitHigh), and below them the DAG is the
// 32-bit arch's, shared. Rules of one action next to each other are decided the same in
// any order, so they are clustered by argument, and a rule's Or is split into rules. Per
// syscall, cheapestRules keeps the cheapest in instructions of the search, its variant with
// one copy of each rule's rest, and the rules tested one after the other (only when that
// takes no more tests on any path).
//
// Under an audit value, a range of a few spans of syscall numbers is likewise tested by a
// chain instead of a search (numberChain) where it takes fewer tests: at most chainSlack
// more levels in the default build, none more for any span that a profile build's promises
// count. The balanced tree, the reference of those promises, has no chains.
//
// While it builds, the builder runs five passes, rewrites that never change a decision and
// can each be switched off (see pass): hash-consing (equal nodes are one node), carve (two
// JGE that single out one number become one JEQ), JSET folding (a mask tested against
// zero, or a single-bit mask, is one JSET instead of an AND and a comparison), the
// argument search, and number chains.
//
// # The objective of the number search trees
//
// A search tree over n spans is judged by its expected number of comparisons, the sum over
// spans of weight × depth. The tree is alphabetic (the spans stay in order), and a
// splitChooser describes it. What the weights are is what the three kinds of build differ
// in:
//
//   - The default weighs every syscall of the arches' tables alike: a span weighs the table
//     syscalls it holds, scaled to 1 - coldShare of the total, plus an even coldShare/n. The
//     optimal tree for these weights (Garsia–Wachs, see alphabeticDepths) nearly minimizes
//     the mean comparisons over real syscalls, pushing the wide ranges of numbers no syscall
//     has to the edges; the cold share keeps those ranges from sinking without bound.
//   - Options.Balanced, without a profile, weighs every span alike: every span is decided
//     after floor or ceil of log2 n comparisons.
//   - A profile (Options.Weights) weighs the spans of the profiled arch by the profile, and
//     the tree minimizes the profile's expected comparisons under a promise made against the
//     balanced tree over the same spans, measured in steps (instructions executed, the
//     span's own argument tests with arguments zero included): no syscall of any arch's table
//     takes more steps than the most the balanced tree takes for one of that arch
//     (stepBound), the profiled arch's syscalls take no more comparisons on average, and the
//     other arches of the audit value (x32 under x86_64) at most profileTolerance more
//     (meanBound). The search is a heuristic over exact parts: for a blend of the profile
//     with the tables (blendShares), the height-limited dynamic program (limitedTrees) gives
//     the optimal tree for each height from profileSlack levels above the balanced tree's
//     down to it, each span kept high enough for its own tests; the first tree that keeps
//     the promise wins, for the least blend that has one (see builder.profiled). No blend
//     keeps it: the balanced tree.
//
// The means are priced on the splits, before carve, which can only save comparisons: the
// built tree does at least as well. The worst case is checked on the built tree itself.
//
// # Tuning
//
// The declarations below are every number that tunes the output or the cost of a build, in
// one place. The first four, and those from chainSlack on, shape the filters scc writes,
// maxLimitedSpans and meanSlack only in rare cases; maxBlockBits limits what input is
// accepted; the rest only cost time and memory. The tests of this package and of bench
// (TestDockerLikeSteps, TestProfileGoals) and tests/differential's argsearch_test.go and
// tests/libseccomp's size_test.go measure what a change does.
package optimizer

// coldShare is the part of the total weight a weighted tree (default or profile) spreads
// evenly over all spans of its audit value. With 0.1, a span no weight names weighs at least
// 0.1/n of the total, so the tree cannot push it arbitrarily deep (a zero weight costs
// nothing at any depth); the named spans keep 90% of the weight, so the tree is still
// theirs.
const coldShare = 0.1

// profileSlack is how many levels a profile-weighted tree may grow beyond the balanced
// tree's height, so that the hot spans can rise; the worst-case promise (stepBound) still
// holds every table syscall to the balanced tree's most steps. Each level costs the
// height-limited program one more O(n²) pass. docs/performance.md's figures are measured
// with 2.
const profileSlack = 2

// profileTolerance is the mean comparisons a profile-weighted tree may add for the syscalls
// of an arch the profile does not describe but that shares the profiled arch's audit value
// (x32 under x86_64). The profiled arch itself may add none.
const profileTolerance = 1

// blendShares are the shares of the profiled arch's table (s) and of the other arches' tables
// (2s), each normalized as the profile is, that blends adds to the profile, in the order
// profiled tries them. The first ones let the profile's syscalls rise the most; the last ones
// weigh the tables so much that the tree is nearly the tables' own, which keeps the means of
// the promise easily. The other arches count twice because the profile says nothing of them.
// With 0.3 and 3 between the ends, a bisection needs at most three programs.
var blendShares = []float64{0.1, 0.3, 1, 3, 10}

// maxLimitedSpans bounds the height-limited program (quadratic time and memory per level):
// two levels of costs (8 bytes per range) and a split per range and level (2 bytes): 5 MB at
// 512 spans (BenchmarkTreeDP). Above it, a profile build tries the optimal tree without a
// height limit (see profileCandidates), which still has to keep the promise.
const maxLimitedSpans = 512

// meanSlack is the relative rounding meanBound allows: a tree as good as the balanced one on
// a table must not be refused because its sum was added up in another order.
const meanSlack = 1e-12

// maxBlockBits bounds the number of blocks territory examines (2^maxBlockBits): an arch
// number mask with a lower bit is refused rather than split into millions of blocks. x32's
// mask (bit 30) makes four.
const maxBlockBits = 10

// baseNodes and numbersPerNode size the builder's node map (see expectedNodes): the search
// trees hold about one inner node for every two numbers with rules (Docker's default
// profile: 976 numbers on three arches, 430 nodes in a profile build), plus room for the
// arch dispatch and a few argument DAGs. A wrong guess only costs the map a rehash.
const (
	baseNodes      = 64
	numbersPerNode = 2
)

// spareLen bounds, in elements, each table of the height-limited program that dpSpare keeps
// between profile builds: the costs (2n² for n spans: 2 MB, kept up to 362 spans) and the
// splits (n²/2 a level: kept up to about 200 spans at 11 levels). maxKeptNodes bounds the
// node map of a builder that builders keeps. Larger ones are left to the garbage collector.
// The spares pay, measured with BenchmarkCompile, BenchmarkOptimize and callgrind: a build
// of Docker's default profile allocates 277 KB, 338 KB without the builder's spare; with a
// profile 344 KB, 996 KB without dpSpare; and an optimize with a profile runs about 10% more
// instructions without either. TestSparesPay checks that they keep paying.
const (
	spareLen     = 1 << 18
	maxKeptNodes = 1 << 14
)

// chainSlack is how many levels a chain of tests (searcher.chain) may add to the balanced
// search it replaces over the same range of spans, when it takes fewer tests: on an
// argument word (plan), and on the syscall number in the default build (numberChain;
// profile builds allow no level where the promises count). A chain tests each span once,
// a tree pays about one more test per span to find it: with 1, a 300-value set takes 375
// instructions instead of 437, and at most one test more; the 10-rule policies that a
// search tree made longer than libseccomp's chains of JEQ are no longer.
const chainSlack = 1

// maxChainSpans bounds the ranges of spans a search considers testing by a chain: with
// chainSlack 1, a chain is never allowed over more (a balanced tree over 17 spans takes 5
// levels, a chain over them at least 8 tests).
const maxChainSpans = 17

// maxRestCopies bounds the distinct nodes that the rest of a rule (`key in set && rest`, or
// `|| rest`) is compiled in front of, one copy each (see argRule): a function with more is
// laid out as a search first, and the rule continues from that one node. cheapestRules
// also tries 1 and keeps the cheaper.
const maxRestCopies = 4

// maxHighSplits bounds the 64-bit arguments whose high word splitHigh tests up front (each
// split compiles the rules on both sides).
const maxHighSplits = 3

// maxAltRules bounds the rules of a syscall for which cheapestRules also builds the other
// ways to compile them and keeps the cheapest: above it the search wins anyway, and the
// alternatives would cost build time.
const maxAltRules = 32
