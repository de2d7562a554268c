# The demo's policy: a supervisor decides socket and getppid; everything else runs.
policy sandbox {
    default allow
    flags new_listener
    listener "/run/notify-supervisor.sock" metadata "demo"

    user_notif socket, getppid
}
