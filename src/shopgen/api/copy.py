"""/api/copy: product copy generation, drafts and batch jobs (role ``operator``).

``POST /generate`` answers with Server-Sent Events::

    meta    {"kind", "model"}
    token   {"text"}                      the first draft as the model writes it (zero or more)
    result  {"text", "kind", "issues", "compliance", "attempts", "model", "seconds", "draft_id"?}
    error   {"error": {"type", "message", "detail"}}   a backend failure after the stream began

The final ``result.text`` may differ from the streamed tokens (shaped, rewritten, repaired or
regenerated): a client replaces what it showed. Everything the request names (the product, the
attributes, the kind, the language) is checked before the stream starts, so those errors are
ordinary 4xx answers in the one error shape.

``POST /batch`` drafts copy for the active products (of one category) in a background thread:
each draft goes to the database (with the job's id) and to
``data_dir/copy-jobs/<job_id>.jsonl`` (``copywriting.batch.run_batch``, resumable). Job state is
a database row (``copywriting.jobs``): a job left running by a stopped server reads
``interrupted`` and ``POST /batch/{id}/resume`` goes on with it; at most one batch runs at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, StringConstraints
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from shopgen.api.auth import Operator, client_address
from shopgen.api.deps import SessionDep
from shopgen.api.sse import sse
from shopgen.copywriting import drafts, jobs
from shopgen.copywriting.attrs import Facts, check_facts, parse_attrs, product_facts
from shopgen.copywriting.generate import CopyResult, Copywriter
from shopgen.copywriting.prompts import AUDIENCES, KINDS, TONES, check_kind, check_lang
from shopgen.core.errors import InvalidInput, NotFound, ShopgenError
from shopgen.store import catalog
from shopgen.store.models import CopyDraft, Product

router = APIRouter(prefix="/api/copy", tags=["copy"])

KIND_LABELS = {
    "title": "商品标题",
    "description": "商品描述",
    "selling_points": "卖点",
    "live_script": "直播口播稿",
    "social_post": "种草笔记",
}
LANG_LABELS = {"zh": "中文", "en": "英文"}
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]


class GenerateIn(BaseModel):
    sku: Short | None = None
    attrs: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None
    kind: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
    audience: Short | None = None
    tone: Short | None = None
    lang: str = "zh"
    save: bool = False


class BatchIn(BaseModel):
    kind: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
    audience: Short | None = None
    tone: Short | None = None
    lang: str = "zh"
    category: Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)] | None = None
    limit: Annotated[int, Field(ge=1, le=1000)] | None = None


class DraftIn(BaseModel):
    sku: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    kind: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=drafts.MAX_TEXT)]
    audience: Short | None = None
    tone: Short | None = None
    lang: str = "zh"
    model: Annotated[str, StringConstraints(max_length=80)] = ""


class DraftEdit(BaseModel):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=drafts.MAX_TEXT)]


def writer_for(app) -> Copywriter:
    """The copywriter over the app's shared model (built on first use; call off the event loop)."""
    return Copywriter(app.state.runtime.llm())


# ---- one piece of copy ------------------------------------------------------------------------


def _prepare(db, body: GenerateIn) -> tuple[Facts, int | None]:
    """The facts to write from and the product id (when a SKU was given); raises before any stream."""
    check_kind(body.kind)
    check_lang(body.lang)
    if bool(body.sku) == bool(body.attrs):
        raise InvalidInput("give exactly one of sku or attrs (e.g. '类型#上衣*颜色#白色')")
    if body.attrs:
        if body.save:
            raise InvalidInput("only copy for a catalog product (sku) can be saved as a draft")
        return check_facts(parse_attrs(body.attrs)), None
    with db.session() as s:
        product = catalog.get_by_sku(s, body.sku)
        if product is None:
            raise NotFound(f"no product with SKU {body.sku}", {"sku": body.sku})
        return check_facts(product_facts(product)), product.id


def _generate_events(db, writer: Copywriter, facts: Facts, body: GenerateIn, product_id: int | None) -> Iterator[str]:
    yield sse("meta", {"kind": body.kind, "model": getattr(writer.llm, "model", "")})
    try:
        result = None
        for item in writer.stream(facts, body.kind, body.audience, body.tone, body.lang):
            if isinstance(item, CopyResult):
                result = item
            elif item:
                yield sse("token", {"text": item})
        data = result.to_dict()
        if body.save and product_id is not None:
            with db.session() as s:
                product = s.get(Product, product_id)
                if product is None:
                    raise NotFound(f"product {body.sku} was deleted while its copy was written")
                data["draft_id"] = drafts.save(
                    s, product, result, audience=body.audience, tone=body.tone, lang=body.lang
                ).id
        yield sse("result", data)
    except ShopgenError as exc:
        yield sse("error", {"error": exc.to_dict()})


@router.post("/generate")
async def generate(request: Request, body: GenerateIn, _: Operator):
    """Write one piece of copy for a catalog product (``sku``) or AdvertiseGen ``attrs``, streamed."""
    db = request.app.state.db
    facts, product_id = await run_in_threadpool(_prepare, db, body)
    writer = await run_in_threadpool(writer_for, request.app)
    return StreamingResponse(
        _generate_events(db, writer, facts, body, product_id),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.get("/options")
def options(_: Operator) -> dict:
    """Kinds, suggested audiences and tones (both also accept free text), languages."""
    return {
        "kinds": [{"value": k, "label": KIND_LABELS.get(k, k)} for k in KINDS],
        "audiences": list(AUDIENCES),
        "tones": list(TONES),
        "langs": [{"value": k, "label": v} for k, v in LANG_LABELS.items()],
    }


# ---- drafts -----------------------------------------------------------------------------------


@router.get("/drafts")
def list_drafts(
    s: SessionDep,
    _: Operator,
    status: Annotated[str, Query(max_length=16)] = "pending",
    sku: Annotated[str, Query(max_length=64)] = "",
    job_id: Annotated[str, Query(max_length=32)] = "",
    limit: Annotated[int, Query(ge=1, le=drafts.MAX_LIMIT)] = 200,
) -> dict:
    """``status``: pending (default), approved, rejected or all."""
    return {
        "drafts": drafts.listing(s, status or None, sku.strip() or None, limit, job_id=job_id or None),
        "counts": drafts.counts(s),
    }


@router.post("/drafts", status_code=201)
def create_draft(body: DraftIn, s: SessionDep, _: Operator) -> dict:
    """Keep a piece of copy (e.g. the studio's last result) as a pending draft of product ``sku``.

    The text is checked here, against the product's facts, like an edit: the draft's issues and
    compliance flags describe the text as stored."""
    product = catalog.get_by_sku(s, body.sku)
    if product is None:
        raise NotFound(f"no product with SKU {body.sku}", {"sku": body.sku})
    check_kind(body.kind)
    check_lang(body.lang)
    issues, flags = drafts.recheck(product, body.kind, body.lang, body.text)
    record = {"text": body.text, "kind": body.kind, "issues": issues, "compliance": flags}
    d = drafts.save(s, product, record, audience=body.audience, tone=body.tone, lang=body.lang, model=body.model)
    return drafts.to_dict(d)


@router.patch("/drafts/{draft_id}")
def edit_draft(draft_id: int, body: DraftEdit, s: SessionDep, who: Operator, request: Request) -> dict:
    """New text for a pending draft; the grounding and compliance checks run again on it."""
    return drafts.update_text(s, who, draft_id, body.text, address=client_address(request))


@router.post("/drafts/{draft_id}/approve")
def approve_draft(draft_id: int, s: SessionDep, who: Operator, request: Request) -> dict:
    return drafts.approve(s, who, draft_id, address=client_address(request))


@router.post("/drafts/{draft_id}/reject")
def reject_draft(draft_id: int, s: SessionDep, who: Operator, request: Request) -> dict:
    return drafts.reject(s, who, draft_id, address=client_address(request))


# ---- batch jobs -------------------------------------------------------------------------------


def job_path(settings, job_id: str) -> Path:
    return Path(settings.data_dir) / "copy-jobs" / f"{job_id}.jsonl"


def _job_params(job) -> BatchIn:
    return BatchIn(
        kind=job.kind, audience=job.audience, tone=job.tone, lang=job.lang, category=job.category, limit=job.limit
    )


def _run_job(app, job_id: str, items: list[tuple[str, Facts]], ids: dict[str, int], body: BatchIn) -> None:
    """The batch thread: run_batch writes the JSONL and hands each new record over as it lands on
    disk; each becomes a draft, once per product and job (a resumed job first drafts what the file
    holds that a crash kept out of the database, and never drafts a product twice)."""
    from shopgen.copywriting.batch import records_in, run_batch

    db = app.state.db
    out = job_path(app.state.settings, job_id)
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
                    drafts.save(s, product, rec, job_id, tone=body.tone, lang=body.lang, model=model)
        drafted.update(r["sku"] for r in records)

    def progress(i: int, _n: int) -> None:
        with db.session() as s:
            jobs.update(s, job_id, done=len(drafted), failed=i - (len(drafted) - before))

    try:
        writer = writer_for(app)
        model = getattr(writer.llm, "model", "")
        with db.session() as s:
            jobs.update(s, job_id, model=model[:80])
        save(records_in(out))
        before = len(drafted)
        r = run_batch(
            items,
            writer,
            body.kind,
            body.audience,
            out,
            resume=True,
            progress=progress,
            tone=body.tone,
            lang=body.lang,
            on_record=lambda rec: save([rec]),
        )
        with db.session() as s:
            jobs.update(
                s,
                job_id,
                status="done",
                done=len(drafted),
                failed=len(r["failed"]),
                failures=r["failed"][:50],
                finished_at=datetime.now(UTC),
            )
    except Exception as exc:  # noqa: BLE001 - a background job reports, it has no caller to raise to
        message = exc.message if isinstance(exc, ShopgenError) else f"{type(exc).__name__}: {exc}"
        with db.session() as s:
            jobs.update(s, job_id, status="failed", error=message, finished_at=datetime.now(UTC))
    finally:
        jobs.release(job_id)


def _batch_items(db, body: BatchIn) -> tuple[list[tuple[str, Facts]], dict[str, int]]:
    check_kind(body.kind)
    check_lang(body.lang)
    with db.session() as s:
        products, _ = catalog.list_products(s, category=body.category, status="active", limit=body.limit or 1_000_000)
        items = [(p.sku, product_facts(p)) for p in products]
        ids = {p.sku: p.id for p in products}
    if not items:
        where = f" in category {body.category}" if body.category else ""
        raise NotFound(f"no active products{where} to write copy for", {"category": body.category})
    return items, ids


def _launch(app, job_id: str, items, ids, body: BatchIn) -> None:
    thread = threading.Thread(
        target=_run_job, args=(app, job_id, items, ids, body), name=f"copy-batch-{job_id[:8]}", daemon=True
    )
    thread.start()


def _start(app, body: BatchIn, who: str) -> dict:
    items, ids = _batch_items(app.state.db, body)
    params = {
        "kind": body.kind,
        "audience": body.audience,
        "tone": body.tone,
        "lang": body.lang,
        "category": body.category,
        "limit": body.limit,
    }
    with app.state.db.session() as s:
        job_id = jobs.start(s, params, len(items), who).id
    _launch(app, job_id, items, ids, body)
    return {"job_id": job_id, "total": len(items)}


def _resume(app, job_id: str) -> dict:
    db = app.state.db
    with db.session() as s:
        body = _job_params(jobs.get(s, job_id))
    items, ids = _batch_items(db, body)
    with db.session() as s:
        job = jobs.resume(s, job_id, len(items))
        job_id = job.id
    _launch(app, job_id, items, ids, body)
    return {"job_id": job_id, "total": len(items), "resumed": True}


@router.post("/batch", status_code=202)
async def start_batch(request: Request, body: BatchIn, who: Operator) -> dict:
    """Draft copy for every active product (of ``category``; at most ``limit``) in the background."""
    return await run_in_threadpool(_start, request.app, body, who.actor)


@router.get("/batch")
def list_batches(s: SessionDep, _: Operator, limit: Annotated[int, Query(ge=1, le=100)] = 20) -> dict:
    """Recent batch jobs, newest first (a job left running by a stopped server reads ``interrupted``)."""
    return {"jobs": jobs.recent(s, limit)}


@router.get("/batch/{job_id}")
def batch_status(job_id: str, s: SessionDep, _: Operator) -> dict:
    return jobs.to_dict(jobs.get(s, job_id))


@router.post("/batch/{job_id}/resume", status_code=202)
async def resume_batch(job_id: str, request: Request, _: Operator) -> dict:
    """Go on with an interrupted or failed batch: products it already drafted are skipped."""
    return await run_in_threadpool(_resume, request.app, job_id)


@router.get("/batch/{job_id}/results")
def batch_results(job_id: str, s: SessionDep, _: Operator) -> dict:
    """The drafts a batch wrote (so far), whatever their review status."""
    job = jobs.get(s, job_id)
    return {
        "job_id": job.id,
        "status": jobs.status_of(job),
        "drafts": drafts.listing(s, None, None, drafts.MAX_LIMIT, job_id=job.id),
    }
