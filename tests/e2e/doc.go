// Package e2e proves scc's compiled policies in the real kernel. Each test writes a policy in
// scc's language, builds it with pipeline.BuildSource (compile, optimize, emit, verify),
// installs the program in a child process with the tests/kernel harness, makes system calls
// there with chosen raw argument registers, and compares every outcome three ways:
//
//   - the action the test expects from the policy's text (the test's own reading of the
//     language's semantics),
//   - ir.Policy.Decide, the compiler's reference semantics, and scc's emulator running the
//     emitted program on the same seccomp_data,
//   - what the kernel did (kernel.Outcome), which must match the emulator's verdict.
//
// Filters return errno values of 1000 and up wherever an allowed call could fail with a real
// errno, so that a filter's errno is never mistaken for the syscall's own.
//
// What cannot be tested from Go: a call from another architecture (an i386 `int $0x80` call
// on x86_64 would need a 32-bit entry the harness does not make), so the bad-arch kill is
// proved by the emulator and the differential tests only. This kernel has no x32 ABI, so an
// allowed x32 call returns ENOSYS from the kernel's dispatch, after the filter.
//
// The tests need Linux on amd64; on other systems the package is empty.
package e2e
