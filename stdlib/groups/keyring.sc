# The @keyring group, after systemd's syscall filter set of the same name.

# The kernel keyring.
group @keyring = add_key, keyctl, request_key
