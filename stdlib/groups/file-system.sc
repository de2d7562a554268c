# The @file-system group, after systemd's syscall filter set of the same name.

# File system operations: opening, stat, directories, links, extended attributes.
group @file-system = access, chdir, chmod, close, creat, faccessat, faccessat2, fallocate,
    fchdir, fchmod, fchmodat, fchmodat2, fcntl, fcntl64, fgetxattr, flistxattr, fremovexattr,
    fsetxattr, fstat, fstat64, fstatat64, fstatfs, fstatfs64, ftruncate, ftruncate64, futimesat,
    getcwd, getdents, getdents64, getxattr, inotify_add_watch, inotify_init, inotify_init1,
    inotify_rm_watch, lgetxattr, link, linkat, listxattr, llistxattr, lremovexattr, lsetxattr,
    lstat, lstat64, mkdir, mkdirat, mknod, mknodat, mmap, mmap2, munmap, newfstatat, oldfstat,
    oldlstat, oldstat, open, openat, openat2, readlink, readlinkat, removexattr, rename,
    renameat, renameat2, rmdir, setxattr, stat, stat64, statfs, statfs64, statx, symlink,
    symlinkat, truncate, truncate64, unlink, unlinkat, utime, utimensat, utimensat_time64,
    utimes
