# The @basic-io group, after systemd's syscall filter set of the same name.

# Reading, writing, seeking and closing file descriptors.
group @basic-io = _llseek, close, close_range, dup, dup2, dup3, lseek, pread64, preadv, preadv2,
    pwrite64, pwritev, pwritev2, read, readv, write, writev
