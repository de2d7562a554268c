# The @default group, after systemd's syscall filter set of the same name.

# System calls that are always permitted: process identity, time, exit, futexes; arm's
# set_tls (glibc calls it at startup) and cacheflush (arm's and mips').
group @default = cacheflush, clock_getres, clock_getres_time64, clock_gettime, clock_gettime64,
    clock_nanosleep, clock_nanosleep_time64, execve, exit, exit_group, futex, futex_time64,
    get_robust_list, get_thread_area, getegid, getegid32, geteuid, geteuid32, getgid, getgid32,
    getgroups, getgroups32, getpgid, getpgrp, getpid, getppid, getresgid, getresgid32,
    getresuid, getresuid32, getrlimit, getsid, gettid, gettimeofday, getuid, getuid32,
    membarrier, nanosleep, pause, prlimit64, restart_syscall, rseq, rt_sigreturn, sched_yield,
    set_robust_list, set_thread_area, set_tid_address, set_tls, sigreturn, time, ugetrlimit
