# policy.sc: the policy examples/embed-c compiles into itself (make builds filter.h from it).
#
# The program may do what a small C program does, except make directories (they fail with
# EACCES) and start other programs or trace them (that kills the whole process).

policy embed_c {
    arch x86_64
    default allow

    errno(EACCES) mkdir, mkdirat
    kill execve, execveat, ptrace

    expect mkdir(0, 0o755) => errno(EACCES)
    expect write(1, 0, 10) => allow
    expect execve(0, 0, 0) => kill
}
