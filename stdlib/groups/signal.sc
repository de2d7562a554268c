# The @signal group, after systemd's syscall filter set of the same name.

# Signal handling.
group @signal = rt_sigaction, rt_sigpending, rt_sigprocmask, rt_sigsuspend, rt_sigtimedwait,
    rt_sigtimedwait_time64, sigaction, sigaltstack, signal, signalfd, signalfd4, sigpending,
    sigprocmask, sigsuspend
