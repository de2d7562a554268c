# The @swap group, after systemd's syscall filter set of the same name.

# Enabling and disabling swap devices.
group @swap = swapoff, swapon
