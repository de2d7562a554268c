# The @module group, after systemd's syscall filter set of the same name.

# Loading and unloading kernel modules.
group @module = delete_module, finit_module, init_module
