"""Who runs a long job, and whether they still do.

A job row that outlives its process (a copy batch, a catalog import) names its runner as
``host:pid:token`` (one token per process) and keeps a heartbeat. A runner is gone when

- it is on this host and its pid is not alive, or it is this process but the job is not one of
  its live threads (the token differs after a restart, even when the pid is reused);
- it is on another host and the heartbeat is older than the caller's ``stale_after``.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Container
from datetime import UTC, datetime, timedelta

PROCESS_TOKEN = uuid.uuid4().hex[:12]
HOST = socket.gethostname()[:60]


def owner_id() -> str:
    return f"{HOST}:{os.getpid()}:{PROCESS_TOKEN}"


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def aware(t: datetime | None) -> datetime | None:
    return t.replace(tzinfo=UTC) if t is not None and t.tzinfo is None else t  # SQLite drops the zone


def gone(
    owner: str | None,
    job_id: str,
    live: Container[str],
    beat: datetime | None,
    stale_after: timedelta,
    now: datetime | None = None,
) -> bool:
    """True when nobody runs the job ``job_id`` owned by ``owner`` any more (``live``: the ids of
    the jobs this process runs now; ``beat``: the job's last heartbeat)."""
    host, _, rest = (owner or "").partition(":")
    pid, _, token = rest.partition(":")
    if host == HOST and pid.isdigit():
        if token == PROCESS_TOKEN:
            return job_id not in live
        return not pid_alive(int(pid)) or int(pid) == os.getpid()
    beat = aware(beat)
    return beat is None or (now or datetime.now(UTC)) - beat > stale_after
