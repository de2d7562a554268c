# The @process group, after systemd's syscall filter set of the same name.

# Process control, execution and namespaces.
group @process = arch_prctl, capget, clone, clone3, execveat, fork, getrusage, kill, pidfd_open,
    pidfd_send_signal, prctl, rt_sigqueueinfo, rt_tgsigqueueinfo, setns, swapcontext, tgkill,
    times, tkill, unshare, vfork, wait4, waitid, waitpid
