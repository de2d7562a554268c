// Package differential compares scc's compiled programs with independent deciders on many
// generated policies and calls:
//
//   - with libseccomp (tests/libseccomp, Debian's libseccomp-dev through cgo) on random
//     policies inside the subset libseccomp expresses with scc's semantics: scc's program run
//     by scc's emulator and libseccomp's program (binary tree and linear) must return the same
//     action as ir.Policy.Decide on every call, except for the libseccomp 2.5.4
//     miscompilation, which is detected (libseccomp's own rules compiled one by one decide
//     as Decide does) and counted;
//   - with ir.Policy.Decide, and for a sample with the real kernel through tests/kernel, on
//     random policies outside libseccomp's subset (this package's generator: first match
//     with different actions, 32-bit comparisons whose argument carries garbage in its high
//     half, masked order comparisons, Or, Not and constants, per-arch defaults, `default
//     newer`): scc's semantics, which differ from libseccomp's by design there;
//   - with Decide on the shipped examples (examples/*.sc), for every syscall number of each
//     arch's table;
//   - FuzzPipeline, a fuzz target turning bytes into a seeded random policy.
//
// The generator (Policy, Calls, and Value, Mask and Pick, which tests/libseccomp's generator
// of its subset shares) needs no cgo; the libseccomp comparison is built only with
// cgo on Linux, the kernel sample only on Linux amd64.
package differential
