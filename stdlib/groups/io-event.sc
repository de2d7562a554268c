# The @io-event group, after systemd's syscall filter set of the same name.

# Event loops: epoll, poll, select, eventfd.
group @io-event = _newselect, epoll_create, epoll_create1, epoll_ctl, epoll_ctl_old,
    epoll_pwait, epoll_pwait2, epoll_wait, epoll_wait_old, eventfd, eventfd2, poll, ppoll,
    ppoll_time64, pselect6, pselect6_time64, select
