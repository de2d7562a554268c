# The @sync group, after systemd's syscall filter set of the same name.

# Synchronizing files and memory to storage.
group @sync = fdatasync, fsync, msync, sync, sync_file_range, sync_file_range2, syncfs
