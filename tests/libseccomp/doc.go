// Package libseccomp is the libseccomp side of scc's differential tests: it builds an
// ir.Policy with libseccomp (through libseccomp-golang and cgo), runs seccomp programs on
// seccomp_data as the kernel does (with scc's emulator, seccomp_data in the byte order of the
// call's arch), and generates random policies of the subset below (their calls come from
// tests/differential's Calls). It needs Linux, cgo and libseccomp's headers (Debian's
// libseccomp-dev); without them the package is empty.
//
// # The accepted subset
//
// libseccomp's model differs from scc's, so Build compiles only the policies it can express
// with exactly the semantics of ir.Policy.Decide, and refuses the others with an error
// wrapping ErrNotExpressible that says why. It accepts a policy when:
//
//   - Every arch is one this package knows (Arch), with libseccomp's audit value; all arches
//     share one default action (libseccomp's default is filter-wide); Newer is nil or equal
//     to the default; BadArch and every action map onto libseccomp's: trap without data,
//     errno below 4095 (libseccomp refuses MAX_ERRNO and above).
//   - Per syscall, after dropping rules that never match and the rules after the first one
//     that always matches: either no conditional rule remains (the syscall gets one
//     unconditional rule, or none when its fall-through is the default), or all remaining
//     conditional rules share one action A and the fall-through is the default. Trailing
//     conditional rules whose action is the fall-through's are dropped as redundant.
//     First match then equals libseccomp's "any rule of the syscall matches → A". Refused:
//     conditional rules with different actions (libseccomp has no first-match order), and
//     conditional rules followed by an unconditional rule other than the default (in
//     libseccomp the unconditional rule overrides them).
//   - Conditions are And, Or, Not and Const over Cmp, in any nesting: Not is pushed down to
//     the comparisons and the condition expanded to an OR (one libseccomp rule per term) of
//     ANDs, at most 256 terms, each comparing an argument at most once (libseccomp refuses
//     two comparisons of one argument in a rule; identical ones are merged).
//   - Each comparison, with its mask (Width 32 keeps the low 32 bits of the mask), is
//     constant (folded), or on an arch where libseccomp compares 64 bits (x86_64, aarch64,
//     …): an unmasked Width 64 comparison with any operator, or an equality with any mask
//     (SCMP_CMP_MASKED_EQ; a Width 32 equality is a masked equality on the low half). On an
//     arch where libseccomp compares only the low 32 bits (i386, x32, arm, …): a comparison
//     whose mask has no high bits, with any operator when the mask is 0xffffffff, else an
//     equality. libseccomp 2.5 has no masked or 32-bit order comparisons and no masked !=.
//   - Syscall numbers are in the arch's ABI (x32 numbers carry 0x40000000, x86_64 ones do
//     not); on an arch other than libseccomp's native one they need a name (ArchPolicy.Names
//     or libseccomp's table) that libseccomp maps back to the same number, since libseccomp
//     translates rule numbers between arches by name. On i386, MIPS o32, PowerPC and s390
//     the socket and SysV IPC calls, socketcall and ipc are refused: libseccomp mirrors
//     their rules onto the multiplexer.
//
// # Differences by design
//
// None on the accepted subset: scc splits x86_64 from x32 numbers as libseccomp does (x32 from
// 0x40000000 up, but -1, the number tracers use to skip a call, stays x86_64's), and the
// tests fail on any disagreement that is not the libseccomp 2.5.4 miscompilation they detect
// (see the package tests), or, on a big-endian arch built on a little-endian host, a copied
// return whose value libseccomp swapped twice (see SwappedReturn). Syscalls leaves out the
// names libseccomp's pseudo numbers confuse (sys_debug_setcontext is switch_endian's).
package libseccomp
