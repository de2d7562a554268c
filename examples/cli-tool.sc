# cli-tool.sc: a command-line filter such as grep or jq, sandboxed after it parsed its flags.
#
# It reads the files it is given and writes to stdout and stderr. It has no business with the
# network, other processes or new programs: those calls fail with EPERM, and writing to any
# descriptor but stdout and stderr is refused.

policy cli_tool {
    arch x86_64, i386
    default errno(EPERM)

    allow read, pread64, readv, lseek, _llseek, close, fstat, fstat64, newfstatat, statx
    allow openat if flags & O_ACCMODE == O_RDONLY
    allow write, writev if fd == 1 || fd == 2
    allow ioctl if fd <= 2 && request in {TCGETS, TIOCGWINSZ}
    allow mmap, mmap2, munmap, brk, mremap, madvise
    allow mprotect if prot & PROT_EXEC == 0
    allow rt_sigaction, rt_sigprocmask, rt_sigreturn, sigreturn
    allow clock_gettime, getrandom, exit, exit_group

    expect write(1, 0, 10) => allow
    expect write(5, 0, 10) => errno(EPERM)
    expect ioctl(1, TCGETS, 0) => allow
    expect ioctl(1, TIOCSTI, 0) => errno(EPERM)
    expect socket(AF_INET, SOCK_STREAM, 0) => errno(EPERM)
}
