# The @pkey group, after systemd's syscall filter set of the same name.

# Memory protection keys.
group @pkey = pkey_alloc, pkey_free, pkey_mprotect
