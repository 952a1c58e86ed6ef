"""Background copy batches over the catalog, shared by the API and the studio.

A job's state is a database row (:mod:`shopgen.copywriting.jobs`); its output is
``<data_dir>/copy-jobs/<job_id>.jsonl`` written by :func:`~shopgen.copywriting.batch.run_batch`,
and every record becomes a draft, once per product and job. A job left running by a stopped
server reads ``interrupted`` and :meth:`BatchJobs.resume` goes on with it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from shopgen.copywriting import drafts, jobs
from shopgen.copywriting.attrs import Facts, product_facts
from shopgen.copywriting.generate import Copywriter
from shopgen.copywriting.prompts import check_kind, check_lang
from shopgen.core.errors import BackendError, NotFound, ShopgenError
from shopgen.store import catalog
from shopgen.store.models import CopyDraft, Product

KIND_LABELS = {
    "title": "商品标题",
    "description": "商品描述",
    "selling_points": "卖点",
    "live_script": "直播口播稿",
    "social_post": "种草笔记",
}
LANG_LABELS = {"zh": "中文", "en": "英文"}


@dataclass(frozen=True)
class BatchParams:
    kind: str
    audience: str | None = None
    tone: str | None = None
    lang: str = "zh"
    category: str | None = None
    limit: int | None = None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


class BatchJobs:
    """Starts and resumes batch jobs in background threads over one database and one copywriter.

    ``writer`` builds the copywriter on first use (it loads the model, so it runs in the job's
    thread, never on the event loop)."""

    def __init__(self, db, data_dir: str | Path, writer: Callable[[], Copywriter]) -> None:
        self.db, self.data_dir, self._writer = db, Path(data_dir), writer

    def writer(self) -> Copywriter:
        return self._writer()

    def path(self, job_id: str) -> Path:
        return self.data_dir / "copy-jobs" / f"{job_id}.jsonl"

    def start(self, params: BatchParams, who: str) -> dict:
        items, ids = self._items(params)
        with self._claiming() as claimed, self.db.session() as s:
            job_id = claimed(jobs.start(s, params.as_dict(), len(items), who).id)
        self._launch(job_id, items, ids, params)
        return {"job_id": job_id, "total": len(items)}

    def resume(self, job_id: str) -> dict:
        with self.db.session() as s:
            job = jobs.get(s, job_id)
            params = BatchParams(job.kind, job.audience, job.tone, job.lang, job.category, job.limit)
        items, ids = self._items(params)
        with self._claiming() as claimed, self.db.session() as s:
            job_id = claimed(jobs.resume(s, job_id, len(items)).id)
        self._launch(job_id, items, ids, params)
        return {"job_id": job_id, "total": len(items), "resumed": True}

    @staticmethod
    @contextmanager
    def _claiming():
        """Yields ``claimed(job_id)``; when the claim's transaction then fails to commit, the job
        is released again, so this process never counts as running a job it does not run."""
        ids: list[str] = []

        def claimed(job_id: str) -> str:
            ids.append(job_id)
            return job_id

        try:
            yield claimed
        except BaseException:
            for job_id in ids:
                jobs.release(job_id)
            raise

    def _items(self, params: BatchParams) -> tuple[list[tuple[str, Facts]], dict[str, int]]:
        check_kind(params.kind)
        check_lang(params.lang)
        with self.db.session() as s:
            products, _ = catalog.list_products(
                s, category=params.category, status="active", limit=params.limit or 1_000_000
            )
            items = [(p.sku, product_facts(p)) for p in products]
            ids = {p.sku: p.id for p in products}
        if not items:
            where = f" in category {params.category}" if params.category else ""
            raise NotFound(f"no active products{where} to write copy for", {"category": params.category})
        return items, ids

    def _launch(self, job_id: str, items, ids, params: BatchParams) -> None:
        thread = threading.Thread(
            target=self.run, args=(job_id, items, ids, params), name=f"copy-batch-{job_id[:8]}", daemon=True
        )
        thread.start()

    def run(self, job_id: str, items: list[tuple[str, Facts]], ids: dict[str, int], params: BatchParams) -> None:
        """The batch thread: run_batch writes the JSONL and hands each new record over as it lands on
        disk; each becomes a draft, once per product and job (a resumed job first drafts what the file
        holds that a crash kept out of the database, and never drafts a product twice)."""
        from shopgen.copywriting.batch import records_in, run_batch

        db, out = self.db, self.path(job_id)
        with db.session() as s:
            drafted = set(s.scalars(select(CopyDraft.sku).where(CopyDraft.job_id == job_id)))
        before = len(drafted)
        model = ""

        def save(records: list[dict]) -> None:
            records = [r for r in records if r["sku"] not in drafted]
            if not records:
                return
            with db.session() as s:
                for rec in records:
                    product = s.get(Product, ids.get(rec["sku"], -1))
                    if product is not None:  # deleted meanwhile: the JSONL keeps its copy
                        drafts.save(s, product, rec, job_id, tone=params.tone, lang=params.lang, model=model)
            drafted.update(r["sku"] for r in records)

        def progress(i: int, _n: int) -> None:
            with db.session() as s:
                jobs.update(s, job_id, done=len(drafted), failed=i - (len(drafted) - before))

        try:
            writer = self.writer()
            model = getattr(writer.llm, "model", "")
            with db.session() as s:
                jobs.update(s, job_id, model=model[:80])
            save(records_in(out))
            before = len(drafted)
            r = run_batch(
                items,
                writer,
                params.kind,
                params.audience,
                out,
                resume=True,
                progress=progress,
                tone=params.tone,
                lang=params.lang,
                on_record=lambda rec: save([rec]),
            )
            ending = {
                "status": "done",
                "done": len(drafted),
                "failed": len(r["failed"]),
                "failures": r["failed"][:50],
            }
        except Exception as exc:  # noqa: BLE001 - a background job reports, it has no caller to raise to
            message = exc.message if isinstance(exc, ShopgenError) else f"{type(exc).__name__}: {exc}"
            ending = {"status": "failed", "error": message}
        try:
            self._finish(job_id, ending)
        finally:
            jobs.release(job_id)

    def _finish(self, job_id: str, ending: dict, tries: int = 4, wait: float = 0.5) -> None:
        """Records how the job ended. A busy database (another writer holding SQLite's lock past
        its timeout) is tried again, so a finished batch does not read ``interrupted``."""
        for attempt in range(tries):
            try:
                with self.db.session() as s:
                    jobs.update(s, job_id, finished_at=datetime.now(UTC), **ending)
                return
            except BackendError:
                if attempt == tries - 1:
                    raise
                time.sleep(wait * 2**attempt)
