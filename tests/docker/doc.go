// Package docker holds the differential tests of scc against libseccomp on Docker's default
// seccomp profile (github.com/moby/profiles/seccomp): the profile imported by scc
// (oci.Import) and built (pipeline.BuildSource) must decide every call as libseccomp's
// compilation of the same profile does, built the way runc builds it
// (tests/libseccomp.BuildProfileRunc: binary tree, runc's ENOSYS stub prepended). Both programs run in an interpreter: scc's in
// its emulator, libseccomp's in tests/libseccomp.Exec. The tests need Linux, cgo and
// libseccomp's headers; without them the package has no tests.
//
// # What is compared
//
// For Docker's default capabilities and for those plus CAP_SYS_ADMIN and CAP_SYS_PTRACE, on
// Linux 6.1 for an amd64 host (filter arches x86_64, i386 and x32):
//
//   - every syscall number of each arch's table with zero arguments, numbers above the
//     tables, -1, numbers with and without the x32 bit, and a few far away;
//   - for every syscall the profile gives argument rules (socket, personality, clone, …),
//     thousands of argument vectors made from the rules' constants (each value, its
//     neighbours, each mask bit flipped) and random values, from fixed seeds;
//   - the cost of both programs: instructions, mean and maximum steps over the x86_64 table,
//     and which argument-free allowed syscalls the kernel's action cache holds.
//
// # Differences by design, asserted as such
//
//   - Argument width. libseccomp compares all 64 bits of an argument on x86_64; scc compares
//     the low 32 bits of arguments the kernel reads as int (socket's domain, personality's
//     persona), because userspace may leave garbage in the high half. With high halves of
//     zero the two agree exactly; with garbage high halves scc must decide as libseccomp does
//     on the same call with the high halves of those arguments cleared.
//   - Bad arch. runc leaves libseccomp's SCMP_FLTATR_ACT_BADARCH at its default, a thread
//     kill; scc kills the process (fail closed, see docs/docker.md).
//   - The ENOSYS stub that runc prepends (patchbpf) is not part of either program.
package docker
