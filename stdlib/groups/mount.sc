# The @mount group, after systemd's syscall filter set of the same name.

# Mounting and unmounting file systems, changing the root.
group @mount = chroot, fsconfig, fsmount, fsopen, fspick, mount, mount_setattr, move_mount,
    open_tree, pivot_root, umount, umount2
