"""Process helpers for tests."""

# Linux never hands out a pid above 2**22 (the highest pid_max), so this one cannot come back to life
NEVER_A_PID = 2**22 + 1


def dead_pid() -> int:
    """The pid of a process that is not running (what a killed server leaves in its job rows).

    A process that has just exited would do until its pid is reused, which on a busy machine with
    the default pid_max of 32768 is only a matter of time; this pid cannot be in use."""
    return NEVER_A_PID
