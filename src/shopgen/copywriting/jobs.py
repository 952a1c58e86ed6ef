"""Batch copy jobs in the database: start, progress, finish, and what a restart left behind.

A job row outlives the process that ran it. While a process runs a job it owns the row
(``owner`` = ``host:pid:token``, one token per process) and bumps ``updated_at`` after every
product. A ``running`` row whose owner is gone reads as ``interrupted``:

- same host: the owner's pid is not alive, or it is this process but the job is not one of
  its live threads (the token differs after a restart, even when the pid is reused);
- another host: no heartbeat for :data:`STALE_AFTER`.

An interrupted or failed job can be resumed: the batch's JSONL file skips the products already
written, and no product gets a second draft from the same job. At most one job runs at a time
(checked under a process lock and in the database, which covers one server process; two
processes started at the same instant could both pass the check — run batches from one).
"""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopgen.core import owners
from shopgen.core.errors import Conflict, NotFound
from shopgen.store.models import CopyJob

STALE_AFTER = timedelta(minutes=15)
RESUMABLE = ("interrupted", "failed")
_START_LOCK = threading.Lock()
_LIVE: set[str] = set()  # ids of the jobs this process is running now


def owner_gone(job: CopyJob, now: datetime | None = None) -> bool:
    """True when nobody is running this ``running`` job any more."""
    return owners.gone(job.owner, job.id, _LIVE, job.updated_at or job.created_at, STALE_AFTER, now)


def status_of(job: CopyJob) -> str:
    return "interrupted" if job.status == "running" and owner_gone(job) else job.status


def to_dict(job: CopyJob) -> dict:
    def iso(t: datetime | None) -> str | None:
        return owners.aware(t).isoformat() if t else None

    return {
        "job_id": job.id,
        "status": status_of(job),
        "total": job.total,
        "done": job.done,
        "failed": job.failed,
        "kind": job.kind,
        "audience": job.audience,
        "tone": job.tone,
        "lang": job.lang,
        "category": job.category,
        "limit": job.limit,
        "model": job.model,
        "error": job.error,
        "failures": list(job.failures or []),
        "started_by": job.started_by,
        "started_at": iso(job.created_at),
        "updated_at": iso(job.updated_at),
        "finished_at": iso(job.finished_at),
    }


def _settle(s: Session) -> None:
    """Mark running rows whose owner is gone as interrupted; raise Conflict if one really runs."""
    if _LIVE:  # this process's own job, maybe not committed yet
        job_id = next(iter(_LIVE))
        raise Conflict(f"batch {job_id} is still running; wait for it to finish", {"job_id": job_id})
    for job in s.scalars(select(CopyJob).where(CopyJob.status == "running")):
        if owner_gone(job):
            job.status = "interrupted"
        else:
            raise Conflict(f"batch {job.id} is still running; wait for it to finish", {"job_id": job.id})


def start(s: Session, params: dict, total: int, started_by: str | None) -> CopyJob:
    """A new running job owned by this process (the caller starts its thread and commits)."""
    with _START_LOCK:
        _settle(s)
        job = CopyJob(
            id=uuid.uuid4().hex,
            status="running",
            total=total,
            done=0,
            failed=0,
            failures=[],
            model="",
            owner=owners.owner_id(),
            started_by=started_by,
            **params,
        )
        s.add(job)
        s.flush()
        _LIVE.add(job.id)
        return job


def resume(s: Session, job_id: str, total: int) -> CopyJob:
    """Take over an interrupted or failed job (Conflict for any other state)."""
    with _START_LOCK:
        job = get(s, job_id)
        state = status_of(job)
        if state not in RESUMABLE:
            raise Conflict(
                f"batch {job_id} is {state}; only an interrupted or failed batch can be resumed",
                {"job_id": job_id, "status": state},
            )
        _settle(s)
        job.status, job.owner, job.total, job.error, job.finished_at = "running", owners.owner_id(), total, None, None
        s.flush()
        _LIVE.add(job.id)
        return job


def release(job_id: str) -> None:
    """This process no longer runs the job (its thread ended, whatever the outcome)."""
    _LIVE.discard(job_id)


def get(s: Session, job_id: str) -> CopyJob:
    job = s.get(CopyJob, job_id[:32])
    if job is None:
        raise NotFound(f"no copy batch {job_id}", {"job_id": job_id})
    return job


def update(s: Session, job_id: str, **changes) -> None:
    job = get(s, job_id)
    for name, value in changes.items():
        setattr(job, name, value)
    job.updated_at = datetime.now(UTC)  # the heartbeat, even when nothing else changed


def recent(s: Session, limit: int = 20) -> list[dict]:
    rows = s.scalars(select(CopyJob).order_by(CopyJob.created_at.desc(), CopyJob.id).limit(limit))
    return [to_dict(j) for j in rows]
