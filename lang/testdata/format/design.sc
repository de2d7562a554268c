# web.sc: a comment runs from '#' to the end of the line
include "common.sc"                         # relative to this file; cycles are errors
const MAX_FD = 1024
group @web-io = read, write, readv, writev, @network-io

policy web {
    arch x86_64, i386, x32                  # optional; default: the host's arch
    default errno(EPERM)                    # what no rule matches

    allow @web-io, close, futex, exit_group, rt_sigreturn
    allow mmap, mprotect if prot & PROT_EXEC == 0          # named args from the signature
    allow socket if domain in {AF_INET, AF_INET6, AF_UNIX}
    errno(EAFNOSUPPORT) socket                             # first match wins, per syscall
    allow fcntl if fd < MAX_FD && (cmd == F_GETFL || cmd == F_SETFL)
    allow ioctl if arg1 == TCGETS                          # positional args arg0..arg5
    kill ptrace, process_vm_writev                         # kill = the whole process
    log personality
    use base                                               # splice policy base's rules here

    expect socket(AF_INET, SOCK_STREAM, 0) => allow        # checked by `scc test`
    expect socket(AF_PACKET, SOCK_RAW, 0) => errno(EAFNOSUPPORT)
}
