"""Process helpers for tests."""

import subprocess


def dead_pid() -> int:
    """The pid of a process that has just exited (what a killed server leaves in its job rows)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid
