"""Catalog batches: for every product, its cut-out, a 1:1 main image and the best poster of each
chosen format, one JSONL record per product, appended and flushed as it is done, so a crash loses
at most one product and ``resume`` skips the SKUs already in the file (a half-written last line is
cut off first). ``engine="ray"`` runs the same per-product function in a Ray actor (a local Ray
instance, or the cluster ``ray.init`` finds). Background jobs keep their state in
``<data_dir>/visual-jobs/<id>.json`` (``running``/``done``/``failed``; a ``running`` job whose
thread is gone reads ``interrupted`` and can be resumed).
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from shopgen.core.batchfile import append_records, records_in
from shopgen.core.errors import InvalidInput, NotFound, ShopgenError
from shopgen.core.lazy import require
from shopgen.visual.design import check_format

ENGINES = ("local", "ray")


@dataclass
class StudioFactory:
    """Builds a VisualStudio where it runs (a Ray actor cannot receive a loaded ONNX session)."""

    data_dir: str
    static_dir: str | None
    segmenter: str = "u2netp"
    threads: int = 1

    def __call__(self):
        from shopgen.core.settings import Settings
        from shopgen.models.vision import create_segmenter
        from shopgen.visual.service import VisualStudio

        seg = create_segmenter(Settings(vision_threads=self.threads), self.segmenter)
        return VisualStudio(self.data_dir, lambda: seg, static_dir=self.static_dir)


def process_product(studio, product: dict, formats: list[str]) -> dict:
    """One product's pictures; ``{"sku", "error"}`` when it failed."""
    from shopgen.visual.service import copy_from_product

    sku = product.get("sku")
    try:
        info = studio.cutout(product=product)
        asset = info["asset"]
        main = studio.main_image(asset, "1:1", "#ffffff")
        copy = copy_from_product(product)
        posters = {}
        for fmt in formats:
            best = studio.posters(asset, copy, fmt, keep=1)["candidates"][0]
            posters[fmt] = {"file": best["png"], "eligible": best["score"]["eligible"], "total": best["score"]["total"]}
    except ShopgenError as exc:
        return {"sku": sku, "error": exc.message}
    return {"sku": sku, "asset": asset, "coverage": info["coverage"], "main": main["file"], "posters": posters}


class _Worker:
    def __init__(self, factory) -> None:
        self.studio = factory()

    def run(self, product: dict, formats: list[str]) -> dict:
        return process_product(self.studio, product, formats)


def _local(todo, factory, formats) -> Iterator[dict]:
    studio = factory()
    for p in todo:
        yield process_product(studio, p, formats)


def _ray(todo, factory, formats, in_flight: int = 2) -> Iterator[dict]:
    ray = require("ray", "ray")
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False)
    try:
        worker = ray.remote(_Worker).remote(factory)
        queue, pending = list(todo), []
        while queue or pending:
            while queue and len(pending) < in_flight:
                pending.append(worker.run.remote(queue.pop(0), formats))
            done, pending = ray.wait(pending, num_returns=1)
            yield ray.get(done[0])
    finally:
        if started:
            ray.shutdown()


def run_batch(
    products: Iterable[dict],
    factory: Callable,
    out_path: str | Path,
    *,
    formats: list[str] = ("feed",),
    resume: bool = False,
    engine: str = "local",
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Pictures for every product dict (``store.catalog.to_dict``). Returns ``{"written", "skipped", "failed", "out"}``."""
    if engine not in ENGINES:
        raise InvalidInput(f"engine: {engine!r}; valid: {', '.join(ENGINES)}", {"field": "engine"})
    formats = list(formats)
    for f in formats:
        check_format(f)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    done = {r["sku"] for r in records_in(out)} if resume else set()
    products = list(products)
    todo = [p for p in products if p.get("sku") not in done]
    run = _ray if engine == "ray" else _local
    written, failed = append_records(out, run(todo, factory, formats), len(todo), resume, progress)
    return {"written": written, "skipped": len(products) - len(todo), "failed": failed, "out": str(out)}


class VisualJobs:
    """Batch jobs in background threads, state in JSON files beside their output."""

    def __init__(self, data_dir, factory: Callable, products: Callable[[str | None, int | None], list[dict]]) -> None:
        self.dir = Path(data_dir) / "visual-jobs"
        self.factory, self.products = factory, products
        self._threads: dict[str, threading.Thread] = {}

    def _state_path(self, job_id: str) -> Path:
        if not job_id.isalnum():
            raise NotFound(f"no visual job {job_id!r}")
        return self.dir / f"{job_id}.json"

    def get(self, job_id: str) -> dict:
        path = self._state_path(job_id)
        if not path.is_file():
            raise NotFound(f"no visual job {job_id!r}", {"job_id": job_id})
        state = json.loads(path.read_text())
        t = self._threads.get(job_id)
        if state["status"] == "running" and (t is None or not t.is_alive()):
            state["status"] = "interrupted"
        return state

    def _save(self, state: dict) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = self._state_path(state["job_id"]).with_suffix(".tmp")
        tmp.write_text(json.dumps(state, ensure_ascii=False))
        tmp.replace(self._state_path(state["job_id"]))

    def start(self, category: str | None = None, limit: int | None = None, formats=("feed",)) -> dict:
        for f in formats:
            check_format(f)
        state = {
            "job_id": uuid.uuid4().hex[:12],
            "category": category,
            "limit": limit,
            "formats": list(formats),
            "status": "running",
            "done": 0,
            "failed": 0,
            "total": 0,
            "started_at": datetime.now(UTC).isoformat(),
        }
        return self._launch(state, resume=False)

    def resume(self, job_id: str) -> dict:
        state = self.get(job_id)
        if state["status"] not in ("interrupted", "failed"):
            raise InvalidInput(f"job {job_id} is {state['status']}; only interrupted or failed jobs resume")
        state["status"] = "running"
        return self._launch(state, resume=True)

    def _launch(self, state: dict, resume: bool) -> dict:
        items = self.products(state["category"], state["limit"])
        if not items:
            raise NotFound("no active products to make pictures for", {"category": state["category"]})
        state["total"] = len(items)
        self._save(state)
        t = threading.Thread(
            target=self._run, args=(state, items, resume), name=f"visual-{state['job_id']}", daemon=True
        )
        self._threads[state["job_id"]] = t
        t.start()
        return state

    def results(self, job_id: str) -> list[dict]:
        self.get(job_id)
        return records_in(self.dir / f"{job_id}.jsonl")

    def _run(self, state: dict, items: list[dict], resume: bool) -> None:
        out = self.dir / f"{state['job_id']}.jsonl"

        def progress(i: int, n: int) -> None:
            state["done"] = len(records_in(out))
            self._save(state)

        try:
            r = run_batch(items, self.factory, out, formats=state["formats"], resume=resume, progress=progress)
            state.update(status="done", done=len(records_in(out)), failed=len(r["failed"]), failures=r["failed"][:20])
        except Exception as exc:  # noqa: BLE001 - a background job reports, it has no caller to raise to
            state.update(
                status="failed", error=exc.message if isinstance(exc, ShopgenError) else f"{type(exc).__name__}: {exc}"
            )
        state["finished_at"] = datetime.now(UTC).isoformat()
        self._save(state)
