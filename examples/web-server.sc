# web-server.sc: a static file server (nginx-like) after it has bound its sockets.
#
# It serves files it opens read-only, talks TCP over IPv4/IPv6 and logs to a Unix socket.
# Anything else fails with EPERM, and a few calls that only an attacker would make kill the
# whole process.
#
#   scc build examples/web-server.sc -o web-server.bpf
#   scc test examples/web-server.sc

const MAX_FD = 65536

group @web-io = read, write, readv, writev, pread64, pwrite64, sendfile, @io-event

policy web_server {
    arch x86_64
    default errno(EPERM)

    # The event loop and plain I/O.
    allow @web-io, close, lseek, fstat, newfstatat, statx
    allow accept4, recvfrom, recvmsg, sendto, sendmsg, shutdown, getsockname, getpeername
    allow setsockopt if level in {SOL_SOCKET, IPPROTO_TCP}
    allow getsockopt

    # New sockets: Internet and Unix domain only; raw and packet sockets get a clear error.
    allow socket if domain in {AF_INET, AF_INET6, AF_UNIX}
    errno(EAFNOSUPPORT) socket

    # Files are opened read-only (the access mode is the low two bits of flags).
    allow openat if flags & O_ACCMODE == O_RDONLY
    allow fcntl if fd < MAX_FD && (cmd == F_GETFL || cmd == F_SETFL || cmd == F_GETFD ||
        cmd == F_SETFD)

    # Memory: no new executable mappings.
    allow mmap, mprotect if prot & PROT_EXEC == 0
    allow munmap, madvise, brk, mremap

    # Threads, signals, time, exit.
    allow futex, clock_gettime, nanosleep, getpid, gettid, getrandom
    allow rt_sigaction, rt_sigprocmask, rt_sigreturn, sigaltstack
    allow exit, exit_group

    # Never legitimate here.
    kill ptrace, process_vm_readv, process_vm_writev, execve, execveat

    expect read(0, 0, 4096) => allow
    expect socket(AF_INET6, SOCK_STREAM, 0) => allow
    expect socket(AF_PACKET, SOCK_RAW, 0) => errno(EAFNOSUPPORT)
    expect openat(AT_FDCWD, 0, O_RDONLY) => allow
    expect openat(AT_FDCWD, 0, O_WRONLY | O_CREAT) => errno(EPERM)
    expect mmap(0, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, 3, 0) => errno(EPERM)
    expect fcntl(3, F_GETFL, 0) => allow
    expect fcntl(70000, F_GETFL, 0) => errno(EPERM)
    expect execve(0, 0, 0) => kill
    expect mount(0, 0, 0, 0, 0) => errno(EPERM)
}
