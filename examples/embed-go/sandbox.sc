# sandbox.sc: the policy that examples/embed-go compiles into itself and installs on itself.
#
# A Go program runs on many threads, and its runtime makes calls that change from one Go
# release to the next; so this policy names what the program must never do rather than
# everything it may. Once sandboxed it cannot create files or directories, open network
# sockets, or start programs.
#
#   go generate    # in this directory: sandbox_filter.go, from this file
#   scc test sandbox.sc

policy sandbox {
    arch x86_64
    default allow
    flags tsync                              # every thread of the Go program

    errno(EACCES) mkdir, mkdirat, mknod, mknodat, creat
    errno(EACCES) open, openat if flags & O_CREAT != 0
    errno(EAFNOSUPPORT) socket if domain != AF_UNIX
    kill execve, execveat, ptrace            # kill = the whole process

    expect mkdirat(AT_FDCWD, 0, 0o755) => errno(EACCES)
    expect openat(AT_FDCWD, 0, O_RDONLY) => allow
    expect openat(AT_FDCWD, 0, O_WRONLY | O_CREAT) => errno(EACCES)
    expect socket(AF_INET, SOCK_STREAM, 0) => errno(EAFNOSUPPORT)
    expect execve(0, 0, 0) => kill
}
