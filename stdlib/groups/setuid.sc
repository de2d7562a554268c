# The @setuid group, after systemd's syscall filter set of the same name.

# Changing user and group credentials.
group @setuid = setgid, setgid32, setgroups, setgroups32, setregid, setregid32, setresgid,
    setresgid32, setresuid, setresuid32, setreuid, setreuid32, setuid, setuid32
