// Package meaning computes what a seccomp filter means: the exact partition of its inputs
// (the arch, the syscall number and the twelve 32-bit words of the six arguments) into
// decisions. A classic-BPF seccomp program has no loops and compares 32-bit words with
// constants, so its meaning is finite and exact; so is a policy's (package irmeaning builds
// it from the IR). Meanings are multi-terminal binary decision diagrams over the 512 input
// bits, hash-consed in a Space: two meanings of one Space are equal exactly when they are the
// same Node, and Diff lists the regions where they differ, each with a witness input.
//
// A program is executed symbolically (Space.Program): registers and scratch memory hold one
// predicate per bit, jumps build the diagram of their condition, and the work is memoized
// per instruction and register state. Arithmetic on one input word is modelled exactly; a
// program that combines or compares two input words, or whose diagrams outgrow MaxNodes, is
// refused with an error naming the instruction. Nothing is sampled and no answer is
// approximate. Stacked filters combine as the kernel combines them (Space.Stack).
//
// The package imports only the program package (opcodes, the verifier, the kernel's
// constants) and the standard library; it knows nothing of the policy language, the
// compiler or the IR. It is the engine under scc diff, decompile, dump and build --prove.
package meaning
