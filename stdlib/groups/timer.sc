# The @timer group, after systemd's syscall filter set of the same name.

# Scheduling work by time: alarms, interval timers, POSIX timers, timerfd.
group @timer = alarm, getitimer, setitimer, timer_create, timer_delete, timer_getoverrun,
    timer_gettime, timer_gettime64, timer_settime, timer_settime64, timerfd_create,
    timerfd_gettime, timerfd_gettime64, timerfd_settime, timerfd_settime64, times
