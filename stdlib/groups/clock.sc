# The @clock group, after systemd's syscall filter set of the same name.

# Setting the system clock.
group @clock = adjtimex, clock_adjtime, clock_adjtime64, clock_settime, clock_settime64,
    settimeofday, stime
