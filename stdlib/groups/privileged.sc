# The @privileged group, after systemd's syscall filter set of the same name.

# System calls that need super-user capabilities.
group @privileged = @chown, @clock, @module, @raw-io, @reboot, @swap, _sysctl, acct, bpf,
    capset, chroot, fanotify_init, fanotify_mark, nfsservctl, open_by_handle_at, pivot_root,
    quotactl, setdomainname, setfsuid, setfsuid32, setgroups, setgroups32, sethostname,
    setresuid, setresuid32, setreuid, setreuid32, setuid, setuid32, vhangup
