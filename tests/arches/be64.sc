# Checked by make test-arches in each arch's own kernel (scc test --kernel --vm --vm-always):
# every action, and argument rules of 16, 32 and 64 bits, on big-endian arches.

# Every action, and errno's extremes: errno(0) skips the call and returns 0, errno(4095) is
# MAX_ERRNO. Trace is told from allow by making the call, so the allowed calls here are
# harmless ones.
policy be64_actions {
    arch s390x, mips64
    default errno(EPERM)

    allow read if fd == 0
    errno(EACCES) getuid
    trap(7) getgid
    kill_process ptrace
    kill_thread gettid
    log getppid
    user_notif getegid
    trace(3) geteuid
    errno(0) getpgid
    errno(4095) getsid

    expect read(0, 0, 10) => allow
    expect read(1, 0, 10) => errno(EPERM)
    expect getuid() => errno(EACCES)
    expect getgid() => trap(7)
    expect ptrace(0, 0) => kill_process
    expect gettid() => kill_thread
    expect getppid() => log
    expect getegid() => user_notif
    expect geteuid() => trace(3)
    expect getpgid(0) => errno(0)
    expect getsid(0) => errno(4095)
}

# Arguments of every width: umode_t is 16 bits (the kernel drops the rest of the register),
# int 32, long 64 where a long is.
policy be64_widths {
    arch s390x, mips64
    default errno(EPERM)

    allow openat if flags & O_ACCMODE == O_RDONLY
    allow fchmod if mode == 0o644
    allow lseek if offset == 0x100000002

    expect openat(0, 0, O_RDONLY) => allow
    expect openat(0, 0, O_WRONLY) => errno(EPERM)
    expect openat(0, 0, 0xffffffff00000000) => allow
    expect fchmod(5, 0o644) => allow
    expect fchmod(5, 0o600) => errno(EPERM)
    expect fchmod(5, 0x10000 | 0o644) => allow
    expect lseek(5, 0x100000002, 0) => allow
    expect lseek(5, 0x200000002, 0) => errno(EPERM)
}
