# The @debug group, after systemd's syscall filter set of the same name.

# Debugging, performance monitoring and tracing.
group @debug = lookup_dcookie, perf_event_open, pidfd_getfd, ptrace, rtas, s390_runtime_instr,
    sys_debug_setcontext
