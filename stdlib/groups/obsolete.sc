# The @obsolete group, after systemd's syscall filter set of the same name.

# Unusual, obsolete or unimplemented system calls.
group @obsolete = _sysctl, afs_syscall, bdflush, break, create_module, ftime, get_kernel_syms,
    getpmsg, gtty, idle, lock, mpx, prof, profil, putpmsg, query_module, security, sgetmask,
    ssetmask, stty, sysfs, tuxcall, ulimit, uselib, ustat, vserver
