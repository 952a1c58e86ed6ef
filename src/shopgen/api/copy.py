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

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, StringConstraints
from starlette.concurrency import run_in_threadpool

from shopgen.copywriting import drafts, jobs
from shopgen.copywriting.attrs import Facts, check_facts, parse_attrs, product_facts
from shopgen.copywriting.batchjobs import KIND_LABELS, LANG_LABELS, BatchParams
from shopgen.copywriting.generate import CopyResult, Copywriter
from shopgen.copywriting.prompts import AUDIENCES, KINDS, TONES, check_kind, check_lang
from shopgen.core.errors import InvalidInput, NotFound, ShopgenError
from shopgen.http.auth import Operator, client_address
from shopgen.http.deps import SessionDep
from shopgen.http.params import IdPath
from shopgen.http.sse import primed, sse
from shopgen.store import catalog
from shopgen.store.models import Product

router = APIRouter(prefix="/api/copy", tags=["copy"])

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


class ApproveIn(BaseModel):
    acknowledge_issues: bool = False


class BulkApproveIn(BaseModel):
    ids: Annotated[list[Annotated[int, Field(ge=1, le=2**31 - 1)]], Field(min_length=1, max_length=drafts.MAX_LIMIT)]


class DraftEdit(BaseModel):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=drafts.MAX_TEXT)]


def writer_for(app) -> Copywriter:
    """The copywriter over the app's shared model (built on first use; call off the event loop)."""
    return app.state.copy_jobs.writer()


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


def _generate_events(
    db, writer: Copywriter, facts: Facts, body: GenerateIn, product_id: int | None, release
) -> Iterator[str]:
    try:
        yield sse("meta", {"kind": body.kind, "model": getattr(writer.llm, "model", "")})
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
    finally:
        release()


@router.post("/generate")
async def generate(request: Request, body: GenerateIn, who: Operator):
    """Write one piece of copy for a catalog product (``sku``) or AdvertiseGen ``attrs``, streamed.
    Admitted by the generation gate (429 / 503 with Retry-After when it is full)."""
    db, gate = request.app.state.db, request.app.state.llm_gate
    facts, product_id = await run_in_threadpool(_prepare, db, body)
    writer = await run_in_threadpool(writer_for, request.app)
    release = gate.admit(who.actor).release
    try:
        frames = await run_in_threadpool(primed, _generate_events(db, writer, facts, body, product_id, release))
    except BaseException:
        release()
        raise
    return StreamingResponse(
        frames,
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
def edit_draft(draft_id: IdPath, body: DraftEdit, s: SessionDep, who: Operator, request: Request) -> dict:
    """New text for a pending draft; the grounding and compliance checks run again on it."""
    return drafts.update_text(s, who, draft_id, body.text, address=client_address(request))


@router.post("/drafts/bulk-approve")
def bulk_approve(body: BulkApproveIn, s: SessionDep, who: Operator, request: Request) -> dict:
    """Approve the listed pending drafts that have no open issue; the rest stay pending (``skipped``)."""
    return drafts.approve_clean(s, who, body.ids, address=client_address(request))


@router.post("/drafts/{draft_id}/approve")
def approve_draft(
    draft_id: IdPath, s: SessionDep, who: Operator, request: Request, body: ApproveIn | None = None
) -> dict:
    """A draft with open issues (``open_issues`` > 0) is refused (409) unless ``acknowledge_issues`` is true."""
    ack = bool(body and body.acknowledge_issues)
    return drafts.approve(s, who, draft_id, address=client_address(request), acknowledge_issues=ack)


@router.post("/drafts/{draft_id}/reject")
def reject_draft(draft_id: IdPath, s: SessionDep, who: Operator, request: Request) -> dict:
    return drafts.reject(s, who, draft_id, address=client_address(request))


# ---- batch jobs -------------------------------------------------------------------------------


@router.post("/batch", status_code=202)
async def start_batch(request: Request, body: BatchIn, who: Operator) -> dict:
    """Draft copy for every active product (of ``category``; at most ``limit``) in the background."""
    return await run_in_threadpool(request.app.state.copy_jobs.start, BatchParams(**body.model_dump()), who.actor)


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
    return await run_in_threadpool(request.app.state.copy_jobs.resume, job_id)


@router.get("/batch/{job_id}/results")
def batch_results(job_id: str, s: SessionDep, _: Operator) -> dict:
    """The drafts a batch wrote (so far), whatever their review status."""
    job = jobs.get(s, job_id)
    return {
        "job_id": job.id,
        "status": jobs.status_of(job),
        "drafts": drafts.listing(s, None, None, drafts.MAX_LIMIT, job_id=job.id),
    }
