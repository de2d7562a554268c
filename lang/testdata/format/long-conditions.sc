# Long conditions wrap after a comma, |, || or &&, four spaces in from the rule.
policy p {
  allow socket if domain < 3 || domain in {AF_BRIDGE, AF_ATMPVC, AF_X25, AF_INET6, AF_NETBEUI, AF_SECURITY, AF_KEY, AF_NETLINK, AF_PACKET, AF_ASH, AF_RDS, AF_SNA, AF_PPPOX}
  errno(EPERM) clone, unshare if flags & (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP) != 0  # namespaces
  allow fcntl if fd < 1024 && (cmd == F_GETFL || cmd == F_SETFL || cmd == F_GETFD || cmd == F_SETFD || cmd == F_DUPFD_CLOEXEC)
  allow read if fd == 0   # short: one line
}
