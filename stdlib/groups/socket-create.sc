# The @socket-create group: what systemd's @network-io has beyond scc's.
#
# socketcall is i386's multiplexer for every socket call: allowing it allows socket() of any
# family, whatever rules name socket itself.

# Creating sockets, of any address family.
group @socket-create = socket, socketpair, socketcall
