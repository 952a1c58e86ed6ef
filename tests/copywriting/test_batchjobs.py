"""The batch runner's bookkeeping when the database misbehaves: a claim whose transaction does not
commit is released again, and a finished batch whose end cannot be written at once is retried
rather than left reading ``interrupted``."""

from contextlib import contextmanager

import pytest

from shopgen.copywriting import jobs
from shopgen.copywriting.batchjobs import BatchJobs, BatchParams
from shopgen.core.errors import BackendError
from shopgen.demo.loader import load_demo

PARAMS = {"kind": "title", "audience": None, "tone": None, "lang": "zh", "category": "服装", "limit": 2}


class FailingCommits:
    """The real database, except that the next ``fail`` transactions fail as they commit (what a
    writer holding SQLite's lock past its timeout does)."""

    def __init__(self, db, fail: int) -> None:
        self.db, self.fail = db, fail

    @contextmanager
    def session(self):
        with self.db.session() as s:
            yield s
            if self.fail:
                self.fail -= 1
                raise BackendError("database error: database is locked")


@pytest.fixture
def shop(sqlite_db):
    load_demo(sqlite_db)
    return sqlite_db


def test_a_claim_that_does_not_commit_is_released(shop, tmp_path):
    flaky = FailingCommits(shop, fail=0)
    runner = BatchJobs(flaky, tmp_path, writer=lambda: pytest.fail("no batch may run"))
    runner._launch = lambda *a: None  # only the claim is under test
    flaky.fail = 1
    with pytest.raises(BackendError):
        runner.start(BatchParams("title", category="服装", limit=2), "user:op")
    assert not jobs._LIVE
    with shop.session() as s:  # nothing was written, and nothing blocks the next batch
        assert jobs.recent(s) == []
        job_id = jobs.start(s, PARAMS, 2, "user:op").id
    jobs.release(job_id)


def test_the_end_of_a_batch_is_written_when_the_database_frees_up(shop, tmp_path):
    with shop.session() as s:
        job_id = jobs.start(s, PARAMS, 2, "user:op").id
    runner = BatchJobs(FailingCommits(shop, fail=2), tmp_path, writer=lambda: None)
    try:
        runner._finish(job_id, {"status": "done", "done": 2, "failed": 0, "failures": []}, wait=0)
    finally:
        jobs.release(job_id)
    with shop.session() as s:
        job = jobs.to_dict(jobs.get(s, job_id))
    assert (job["status"], job["done"]) == ("done", 2) and job["finished_at"]


def test_a_database_that_stays_down_is_reported(shop, tmp_path):
    with shop.session() as s:
        job_id = jobs.start(s, PARAMS, 2, "user:op").id
    runner = BatchJobs(FailingCommits(shop, fail=10), tmp_path, writer=lambda: None)
    try:
        with pytest.raises(BackendError):
            runner._finish(job_id, {"status": "done"}, tries=2, wait=0)
    finally:
        jobs.release(job_id)
    with shop.session() as s:  # the job ends up resumable, not stuck
        assert jobs.to_dict(jobs.get(s, job_id))["status"] == "interrupted"
