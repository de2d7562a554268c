# The @memlock group, after systemd's syscall filter set of the same name.

# Locking memory in RAM.
group @memlock = mlock, mlock2, mlockall, munlock, munlockall
