# Checked by make test-arches in each arch's own kernel (scc test --kernel --vm --vm-always):
# rules with an arch in their condition apply on exactly the arches where it holds. Every
# expect line has one answer on all the arches, reached through a rule for that arch alone,
# or past rules that must not apply there. (The little-endian ABIs: a filter has one byte
# order; s390x's rules are the same as in be64.sc.)
policy archcond {
    arch aarch64, arm, riscv64, ppc64le, mips64le, i386, x32
    default errno(EPERM)

    # Each arch reaches its own allow rule; errno(EACCES) only if none applied.
    allow getuid if arch == aarch64
    allow getuid if arch in {arm, riscv64}
    allow getuid if arch == ppc64le || arch == s390x
    allow getuid if !(arch != mips64le)
    allow getuid if arch in {i386, x32} && arch != aarch64
    errno(EACCES) getuid

    # Rules for arches the policy does not name never apply: x86_64 is not x32, though
    # they share an audit arch.
    errno(ENOENT) getgid if arch == x86_64
    errno(ENOENT) getgid if arch in {loongarch64, mips64, s390x}
    allow getgid

    # A condition false on every arch of the policy, and arch mixed with an argument.
    errno(ENOENT) getegid if arch != aarch64 && arch != arm && arch != riscv64 && arch != ppc64le && arch != mips64le && arch != i386 && arch != x32
    allow getegid
    allow getpgid if arch != i386 && pid == 0 || arch == i386 && pid == 0
    errno(EACCES) getpgid

    expect getuid() => allow
    expect getgid() => allow
    expect getegid() => allow
    expect getpgid(0) => allow
    expect getpgid(1) => errno(EACCES)
}
