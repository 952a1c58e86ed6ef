"""Batch copy jobs in the database (SQLite and PostgreSQL): one at a time, what a stopped owner
leaves behind reads ``interrupted``, and only interrupted or failed jobs resume."""

import os
import socket
from datetime import UTC, datetime, timedelta

import pytest

from shopgen.copywriting import jobs
from shopgen.core.errors import Conflict, NotFound
from tests.procs import dead_pid

PARAMS = {"kind": "title", "audience": "学生党", "tone": None, "lang": "zh", "category": "服装", "limit": 3}


@pytest.fixture
def started(db):
    with db.session() as s:
        job_id = jobs.start(s, PARAMS, 3, "user:op").id
    yield job_id
    jobs.release(job_id)


def test_a_started_job_is_running_and_blocks_a_second(db, started):
    with db.session() as s:
        job = jobs.to_dict(jobs.get(s, started))
        assert job["status"] == "running" and job["limit"] == 3 and job["category"] == "服装"
        assert (job["total"], job["done"], job["failed"], job["started_by"]) == (3, 0, 0, "user:op")
    with db.session() as s, pytest.raises(Conflict, match="still running"):
        jobs.start(s, PARAMS, 1, "user:other")


def test_release_leaves_an_interrupted_job_that_resumes_once(db, started):
    jobs.release(started)  # as if this process's thread died without finishing the row
    with db.session() as s:
        assert jobs.to_dict(jobs.get(s, started))["status"] == "interrupted"
        job = jobs.resume(s, started, 4)
        assert (job.status, job.total) == ("running", 4)
    with db.session() as s, pytest.raises(Conflict, match="is running; only an interrupted or failed"):
        jobs.resume(s, started, 4)


def test_owner_on_this_host_with_a_dead_pid_is_gone_and_a_new_job_may_start(db, started):
    jobs.release(started)
    with db.session() as s:
        jobs.get(s, started).owner = f"{socket.gethostname()[:60]}:{dead_pid()}:0123456789ab"
    with db.session() as s:
        assert jobs.recent(s)[0]["status"] == "interrupted"
        new = jobs.start(s, PARAMS, 2, "user:op")
        assert jobs.get(s, started).status == "interrupted"  # settled in the database
    jobs.release(new.id)


def test_owner_on_another_host_counts_until_its_heartbeat_is_stale(db, started):
    jobs.release(started)
    with db.session() as s:
        job = jobs.get(s, started)
        job.owner = f"elsewhere:{os.getpid()}:0123456789ab"
    with db.session() as s:
        assert jobs.status_of(jobs.get(s, started)) == "running"
        with pytest.raises(Conflict):
            jobs.start(s, PARAMS, 1, None)
        later = datetime.now(UTC) + jobs.STALE_AFTER + timedelta(seconds=1)
        assert jobs.owner_gone(jobs.get(s, started), now=later)


def test_done_jobs_do_not_resume_and_unknown_ids_are_not_found(db, started):
    with db.session() as s:
        jobs.update(s, started, status="done", done=3, finished_at=datetime.now(UTC))
    jobs.release(started)
    with db.session() as s:
        with pytest.raises(Conflict, match="is done"):
            jobs.resume(s, started, 3)
        with pytest.raises(NotFound):
            jobs.get(s, "nope")
        assert [j["job_id"] for j in jobs.recent(s)] == [started]
