# container.sc: a container runtime's default profile, in the spirit of Docker's.
#
# Everything a typical service needs is allowed; what could escape the container, load code
# into the kernel, or change the host is refused with EPERM. Syscalls newer than this policy's
# tables get ENOSYS, so that libc falls back to an older call instead of failing.

policy container {
    arch x86_64, i386, x32
    default errno(EPERM)
    default newer errno(ENOSYS)

    # First match wins: what the groups below would allow but a container must not do comes
    # first. Loading code into the kernel or replacing it kills the process.
    kill kexec_load, kexec_file_load, bpf, perf_event_open, userfaultfd
    errno(EPERM) @mount, @module, @reboot, @swap, @raw-io, @clock, @debug, @obsolete, @keyring,
                 @cpu-emulation
    errno(EPERM) setns, process_vm_readv, process_vm_writev

    # Namespaces are a privilege: clone and unshare without CLONE_NEW* flags only. clone3's
    # flags are out of the filter's reach: ENOSYS makes libc fall back to clone.
    errno(EPERM) clone, unshare if flags & (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
        CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP) != 0
    errno(ENOSYS) clone3

    # socket: everything but raw packet capture. (On i386, old libcs create sockets through
    # socketcall, which this profile allows as Docker's does: a packet socket can be made there.)
    errno(EAFNOSUPPORT) socket if domain == AF_PACKET  # scc:ignore socketcall-bypass old i386 libcs need socketcall

    # personality: only the harmless queries and settings.
    allow personality if persona in {0, 8, 0x20000, 0x20008, 0xffffffff}
    errno(EPERM) personality

    # Everything a typical service needs (I/O, files, network, processes, signals, timers,
    # memory locks, chown and setuid: @system-service holds them all).
    allow @system-service

    expect clone(CLONE_NEWUSER, 0, 0, 0, 0) => errno(EPERM)
    expect socket(AF_PACKET, SOCK_RAW, 0) => errno(EAFNOSUPPORT)
    expect socket(AF_INET, SOCK_DGRAM, 0) => allow
    expect mount(0, 0, 0, 0, 0) => errno(EPERM)
    expect bpf(0, 0, 0) => kill
    expect getpid() => allow
    expect clone3(0, 88) => errno(ENOSYS)
    expect personality(0xffffffff) => allow
    expect personality(0x0040000) => errno(EPERM)
}
