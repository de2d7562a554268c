package compiler

// The limits the compiler enforces, so that no input, however hostile, costs more than time
// and memory in proportion to its size. Each is answered by a positioned error, and
// docs/language.md lists them (Limits) with the parser's (package lang).

// MaxIncludeDepth bounds how deeply includes nest: the main file counts as depth 1.
const MaxIncludeDepth = 32

// MaxExpandedRules bounds a policy's rules after expansion, over all its arches: a rule
// counts once for each syscall it names on each arch, groups expanded, times the
// comparisons of its condition (a set counts its members; no condition counts 1), and a
// used policy's rules count where they are spliced. It keeps a build's work in proportion
// to its input: near the bound, a build takes well under a second and 100 MB.
const MaxExpandedRules = 100_000

// MaxSetSize bounds the members of a set, `ARG in {A, B, …}`.
const MaxSetSize = 4096

// MaxConstBits bounds the size of a constant expression's values, intermediate ones too: a
// use takes at most 64 bits, and the bound keeps constants that double the one before from
// growing without end.
const MaxConstBits = 256
