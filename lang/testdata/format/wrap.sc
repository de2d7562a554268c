group @many = accept, accept4, bind, connect, getpeername, getsockname, getsockopt, listen, recvfrom, recvmsg, recvmmsg, sendmsg, sendmmsg, sendto, setsockopt, shutdown, socket, socketpair
policy p {
    errno(EAFNOSUPPORT) aaaaaaaaaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, cccccccccccccccccccccccccccccccccccc, ddddddddddddddddddddddddddddd, eeeeeeeeeeeeeeeeeeeeee, ffffffffff if arg0 == 1
    allow read,
          write   # already wrapped by hand: joined again
    arch x86_64,
         i386 flags log,
         tsync
    default newer errno(ENOSYS)
    expect  openat ( AT_FDCWD , 0 , O_RDONLY|O_CLOEXEC )=>allow
}
