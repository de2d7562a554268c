# placeholder replaced by the stdlib generator
