# The @reboot group, after systemd's syscall filter set of the same name.

# Rebooting and preparing a reboot (kexec).
group @reboot = kexec_file_load, kexec_load, reboot
