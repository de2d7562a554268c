# The @raw-io group, after systemd's syscall filter set of the same name.

# Raw I/O port and PCI configuration access.
group @raw-io = ioperm, iopl, pciconfig_iobase, pciconfig_read, pciconfig_write,
    s390_pci_mmio_read, s390_pci_mmio_write
