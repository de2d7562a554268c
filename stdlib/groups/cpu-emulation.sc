# The @cpu-emulation group, after systemd's syscall filter set of the same name.

# CPU emulation: LDT changes, vm86, endianness switching.
group @cpu-emulation = modify_ldt, subpage_prot, switch_endian, vm86, vm86old
