# The @network-io group, after systemd's syscall filter set of the same name.
#
# Unlike systemd's set, it does not create sockets: socket, socketpair and i386's socketcall
# multiplexer are in @socket-create, so that a policy can allow socket I/O and still restrict
# the address families of new sockets (allow socket if domain in {AF_INET, AF_INET6}).

# Socket I/O and connections on existing sockets.
group @network-io = accept, accept4, bind, connect, getpeername, getsockname, getsockopt,
    listen, recv, recvfrom, recvmmsg, recvmmsg_time64, recvmsg, send, sendmmsg, sendmsg, sendto,
    setsockopt, shutdown
