"""Copy for many products at once, written to JSONL one line per product, resumable after a crash.

Each line is ``{"sku", "kind", "audience", "text", "issues", "compliance", "status": "draft"}``,
appended and flushed as soon as it is ready, so a crash loses at most the line being written.
``resume=True`` skips SKUs already in the file; a half-written last line is cut off first.
A product whose generation fails is not written (so a resumed run retries it) and is listed under
``failed`` in the summary.

``engine="ray"`` runs the same per-item function in a Ray actor on a local Ray instance (or the
cluster ``ray.init`` finds). Pass a zero-argument factory that builds the Copywriter where it runs
(an embedded model cannot be pickled), or a picklable Copywriter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from shopgen.copywriting.attrs import Facts, check_facts, product_facts
from shopgen.copywriting.generate import Copywriter
from shopgen.copywriting.prompts import check_kind, check_lang
from shopgen.core.batchfile import append_records, records_in
from shopgen.core.errors import BackendError, InvalidInput, ShopgenError
from shopgen.core.lazy import require

ENGINES = ("local", "ray")
Maker = Copywriter | Callable[[], Copywriter]


def _as_item(item: Any) -> tuple[str, Facts]:
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
        return item[0], check_facts(item[1])
    sku = item.get("sku") if isinstance(item, dict) else getattr(item, "sku", None)
    if not sku:
        raise InvalidInput(f"batch item has no sku: {item!r:.80}")
    return str(sku), product_facts(item)


def done_skus(path: Path) -> set[str]:
    """SKUs already written; cuts a half-written last line off the file so appends stay valid.

    Raises InvalidInput for a broken line that is not the last one (the file is not ours).
    """
    return {rec["sku"] for rec in records_in(path)}


def process_item(
    cw: Copywriter, sku: str, facts: Facts, kind: str, audience: str | None, tone: str | None = None, lang: str = "zh"
) -> dict:
    """The per-item work both engines run: one record, or ``{"sku", "error"}`` when it failed."""
    try:
        r = cw.generate(facts, kind, audience, tone, lang)
    except ShopgenError as exc:
        return {"sku": sku, "error": exc.message}
    return {
        "sku": sku,
        "kind": kind,
        "audience": audience,
        "text": r.text,
        "issues": r.issues,
        "compliance": r.compliance,
        "status": "draft",
    }


def _build(maker: Maker) -> Copywriter:
    return maker if isinstance(maker, Copywriter) else maker()


def _local(todo, maker: Maker, args) -> Iterator[dict]:
    cw = _build(maker)
    for sku, facts in todo:
        yield process_item(cw, sku, facts, *args)


class _Worker:
    def __init__(self, maker: Maker) -> None:
        self.cw = _build(maker)

    def run(self, sku: str, facts: Facts, *args) -> dict:
        return process_item(self.cw, sku, facts, *args)


def _ray(todo, maker: Maker, args, in_flight: int = 4) -> Iterator[dict]:
    ray = require("ray", "ray")
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False)
    try:
        try:
            worker = ray.remote(_Worker).remote(maker)
        except TypeError as exc:  # pickling: an embedded model holds locks
            raise BackendError(f"cannot send the copywriter to Ray ({exc}); pass a factory that builds it") from exc
        pending, queue = [], list(todo)
        while queue or pending:
            while queue and len(pending) < in_flight:
                sku, facts = queue.pop(0)
                pending.append(worker.run.remote(sku, facts, *args))
            done, pending = ray.wait(pending, num_returns=1)
            yield ray.get(done[0])
    finally:
        if started:
            ray.shutdown()


def run_batch(
    items: Iterable[Any],
    copywriter: Maker,
    kind: str,
    audience: str | None,
    out_path: str | Path,
    resume: bool = False,
    engine: str = "local",
    progress: Callable[[int, int], None] | None = None,
    *,
    tone: str | None = None,
    lang: str = "zh",
    on_record: Callable[[dict], None] | None = None,
) -> dict:
    """Write copy for every item (a product, its dict, or ``(sku, facts)``) to ``out_path``.

    Returns ``{"written", "skipped", "failed": [{"sku", "error"}], "out"}``. Raises InvalidInput
    for an unknown engine or a bad item, MissingExtra when Ray is not installed.
    """
    if engine not in ENGINES:
        raise InvalidInput(f"unknown engine {engine!r}; valid engines: {', '.join(ENGINES)}")
    check_kind(kind)
    check_lang(lang)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    skip = done_skus(out) if resume else set()
    all_items = [_as_item(x) for x in items]
    todo = [(sku, facts) for sku, facts in all_items if sku not in skip]
    args = (kind, audience, tone, lang)
    run = _ray if engine == "ray" else _local
    written, failed = append_records(out, run(todo, copywriter, args), len(todo), resume, progress, on_record)
    return {"written": written, "skipped": len(all_items) - len(todo), "failed": failed, "out": str(out)}
