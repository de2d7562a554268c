# The @ipc group, after systemd's syscall filter set of the same name.

# SysV IPC, POSIX message queues, pipes and other inter-process communication.
group @ipc = ipc, memfd_create, mq_getsetattr, mq_notify, mq_open, mq_timedreceive,
    mq_timedreceive_time64, mq_timedsend, mq_timedsend_time64, mq_unlink, msgctl, msgget,
    msgrcv, msgsnd, pipe, pipe2, process_vm_readv, process_vm_writev, semctl, semget, semop,
    semtimedop, semtimedop_time64, shmat, shmctl, shmdt, shmget
