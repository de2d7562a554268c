# container.sc: a container runtime's default profile, in the spirit of Docker's.
#
# Everything a typical service needs is allowed; what could escape the container, load code
# into the kernel, or change the host is refused with EPERM. Syscalls newer than this policy's
# tables get ENOSYS, so that libc falls back to an older call instead of failing.

policy container {
    arch x86_64, i386, x32
    default errno(EPERM)
    default newer errno(ENOSYS)

    allow @system-service
    allow @basic-io, @file-system, @network-io, @io-event, @ipc, @process, @signal, @timer
    allow @sync, @aio, @memlock, @resources, @chown, @setuid

    # Namespaces are a privilege: clone and unshare without CLONE_NEW* flags only.
    errno(EPERM) clone, unshare if flags & (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP) != 0
    allow clone, unshare

    # socket: everything but raw packet capture.
    errno(EAFNOSUPPORT) socket if domain == AF_PACKET
    allow socket

    # personality: only the harmless queries and settings.
    allow personality if persona in {0, 8, 0x20000, 0x20008, 0xffffffff}

    # Outside the container's business.
    errno(EPERM) @mount, @module, @reboot, @swap, @raw-io, @clock, @debug, @obsolete, @keyring, @cpu-emulation
    kill kexec_load, kexec_file_load, bpf, perf_event_open, userfaultfd

    expect clone(CLONE_NEWUSER, 0, 0, 0, 0) => errno(EPERM)
    expect socket(AF_PACKET, SOCK_RAW, 0) => errno(EAFNOSUPPORT)
    expect socket(AF_INET, SOCK_DGRAM, 0) => allow
    expect mount(0, 0, 0, 0, 0) => errno(EPERM)
    expect bpf(0, 0, 0) => kill
    expect getpid() => allow
}
