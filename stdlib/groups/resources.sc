# The @resources group, after systemd's syscall filter set of the same name.

# Changing resource limits, scheduling and memory policy.
group @resources = ioprio_set, mbind, migrate_pages, move_pages, nice, sched_setaffinity,
    sched_setattr, sched_setparam, sched_setscheduler, set_mempolicy, setpriority, setrlimit
