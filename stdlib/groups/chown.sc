# The @chown group, after systemd's syscall filter set of the same name.

# Changing the owner of files and directories.
group @chown = chown, chown32, fchown, fchown32, fchownat, lchown, lchown32
