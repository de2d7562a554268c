# The @aio group, after systemd's syscall filter set of the same name.

# Asynchronous I/O: Linux AIO and io_uring.
group @aio = io_cancel, io_destroy, io_getevents, io_pgetevents, io_pgetevents_time64, io_setup,
    io_submit, io_uring_enter, io_uring_register, io_uring_setup
