"""Copy drafts: generated product copy stored for an operator's review.

A draft is written by the studio's 生成 (with 保存), by ``POST /api/copy/generate`` with ``save``
and by batch jobs (``job_id`` set). While it is ``pending`` an operator may edit its text (the
grounding and advertising-law checks run again on the new text and replace the stored
``issues`` and ``compliance``), approve it or reject it; a decided draft is final (Conflict).

Compliance flags of a *generated* draft name words the copywriter already rewrote; flags of an
*edited* draft name words still in the text (``"in_text": true``), since a person's wording is
never rewritten behind their back. Every edit and decision is audited
(``copy.draft.edit|approve|reject``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopgen.copywriting import compliance, grounding, shape
from shopgen.copywriting.attrs import field, product_facts, values_of
from shopgen.copywriting.prompts import check_kind, check_lang
from shopgen.core.errors import Conflict, InvalidInput, NotFound
from shopgen.security import audit
from shopgen.security.principal import Principal
from shopgen.store.models import CopyDraft, Product

STATUSES = ("pending", "approved", "rejected")
MAX_TEXT = 4000
MAX_LIMIT = 1000


def _short(value: Any, n: int) -> str | None:
    value = (str(value).strip() if value is not None else "") or None
    return value[:n] if value else None


def to_dict(d: CopyDraft) -> dict:
    return {
        "id": d.id,
        "product_id": d.product_id,
        "sku": d.sku,
        "kind": d.kind,
        "audience": d.audience,
        "tone": d.tone,
        "lang": d.lang,
        "text": d.text,
        "issues": list(d.issues or []),
        "compliance": list(d.compliance or []),
        "status": d.status,
        "open_issues": len(open_issues(d)),
        "model": d.model,
        "job_id": d.job_id,
        "decided_by": d.decided_by,
        "created_at": d.created_at.isoformat() if d.created_at else None,
        "updated_at": d.updated_at.isoformat() if d.updated_at else None,
    }


def save(
    s: Session,
    product: Product,
    result: Any,
    job_id: str | None = None,
    *,
    audience: str | None = None,
    tone: str | None = None,
    lang: str = "zh",
    model: str | None = None,
) -> CopyDraft:
    """Store ``result`` (a :class:`CopyResult`, or a batch record dict) as a pending draft of ``product``.

    ``audience`` defaults to the record's own (batch records carry it). Raises InvalidInput for
    an empty text, an unknown kind or language.
    """
    text = str(field(result, "text") or "").strip()
    if not text:
        raise InvalidInput("the copy is empty; nothing to save")
    kind = str(field(result, "kind") or "")
    check_kind(kind)
    check_lang(lang)
    draft = CopyDraft(
        product_id=product.id,
        sku=product.sku,
        kind=kind,
        audience=_short(audience if audience is not None else field(result, "audience"), 64),
        tone=_short(tone, 64),
        lang=lang,
        text=text[:MAX_TEXT],
        issues=list(field(result, "issues") or []),
        compliance=list(field(result, "compliance") or []),
        status="pending",
        model=str(model if model is not None else field(result, "model", "") or "")[:80],
        job_id=job_id,
    )
    s.add(draft)
    s.flush()
    return draft


def get(s: Session, draft_id: int) -> CopyDraft:
    d = s.get(CopyDraft, draft_id)
    if d is None:
        raise NotFound(f"no copy draft {draft_id}", {"id": draft_id})
    return d


def listing(
    s: Session, status: str | None = None, sku: str | None = None, limit: int = 200, *, job_id: str | None = None
) -> list[dict]:
    """Newest first. ``status`` None (or "all") lists every status; raises InvalidInput for an unknown one."""
    if status in ("", "all"):
        status = None
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)} or all, got {status!r}")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}")
    q = select(CopyDraft).order_by(CopyDraft.id.desc()).limit(limit)
    if status:
        q = q.where(CopyDraft.status == status)
    if sku:
        q = q.where(CopyDraft.sku == sku.strip())
    if job_id:
        q = q.where(CopyDraft.job_id == job_id)
    return [to_dict(d) for d in s.scalars(q)]


def counts(s: Session) -> dict[str, int]:
    from sqlalchemy import func

    rows = s.execute(select(CopyDraft.status, func.count()).group_by(CopyDraft.status))
    out = dict.fromkeys(STATUSES, 0)
    out.update({st: n for st, n in rows})
    return out


def _pending(s: Session, draft_id: int) -> CopyDraft:
    d = get(s, draft_id)
    if d.status != "pending":
        raise Conflict(f"copy draft {draft_id} is already {d.status}", {"status": d.status})
    return d


def recheck(product: Product, kind: str, lang: str, text: str) -> tuple[list[dict], list[dict]]:
    """(issues, compliance flags) of ``text`` against ``product``'s facts, as the copywriter checks a draft."""
    facts = product_facts(product)
    category = next(iter(values_of(facts, "类型")), None)
    issues = grounding.check(text, facts) + shape.problems(text, kind, lang)
    flags = [{**f, "in_text": True} for f in compliance.check(text, category=category)]
    return issues, flags


def update_text(s: Session, who: Principal, draft_id: int, text: str, *, address: str = "") -> dict:
    """Replace a pending draft's text; the checks run again and their findings replace the stored ones."""
    d = _pending(s, draft_id)
    text = (text or "").strip()
    if not text:
        raise InvalidInput("the copy must not be empty")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"the copy is longer than {MAX_TEXT} characters")
    product = s.get(Product, d.product_id)
    if product is None:  # the FK cascades, so only a half-finished delete gets here
        raise NotFound(f"the product of copy draft {draft_id} no longer exists")
    d.issues, d.compliance = recheck(product, d.kind, d.lang, text)
    d.text = text
    audit.record(
        s,
        who,
        "copy.draft.edit",
        f"copy_draft:{d.id}",
        {"sku": d.sku, "issues": len(d.issues), "compliance": len(d.compliance)},
        address=address,
    )
    s.flush()
    return to_dict(d)


def open_issues(d: CopyDraft) -> list[dict]:
    """What a reviewer still has to look at: every fact or form issue, and every advertising-law
    flag whose word is still in the text (``in_text``; a generated draft's flags name words the
    copywriter already rewrote)."""
    return list(d.issues or []) + [f for f in (d.compliance or []) if f.get("in_text")]


def _decide(s: Session, who: Principal, draft_id: int, status: str, address: str, acknowledged: bool = False) -> dict:
    d = _pending(s, draft_id)
    open_ = open_issues(d) if status == "approved" else []
    if open_ and not acknowledged:
        raise Conflict(
            f"草稿 #{draft_id} 还有 {len(open_)} 个未处理的问题，请先修改，或确认已逐条阅读后再通过",
            {"id": draft_id, "open_issues": len(open_), "field": "acknowledge_issues"},
        )
    d.status, d.decided_by = status, who.actor[:80]
    action = "copy.draft.approve" if status == "approved" else "copy.draft.reject"
    audit.record(
        s,
        who,
        action,
        f"copy_draft:{d.id}",
        {
            "sku": d.sku,
            "kind": d.kind,
            "issues": len(d.issues or []),
            "compliance": len(d.compliance or []),
            "acknowledged": len(open_),
        },
        address=address,
    )
    s.flush()
    return to_dict(d)


def approve(s: Session, who: Principal, draft_id: int, *, address: str = "", acknowledge_issues: bool = False) -> dict:
    """Approve a pending draft. One with open issues (:func:`open_issues`) is refused (Conflict)
    unless the reviewer acknowledges them; the audit entry counts what was acknowledged."""
    return _decide(s, who, draft_id, "approved", address, acknowledge_issues)


def approve_clean(s: Session, who: Principal, draft_ids: list[int], *, address: str = "") -> dict:
    """Bulk review: approve each listed pending draft that has no open issue; the others are
    left pending and reported with the reason (``{"approved": [ids], "skipped": [{id, reason}]}``)."""
    if not draft_ids:
        raise InvalidInput("请至少选择一条草稿", {"field": "ids"})
    if len(draft_ids) > MAX_LIMIT:
        raise InvalidInput(f"一次最多审核 {MAX_LIMIT} 条草稿", {"field": "ids"})
    approved: list[int] = []
    skipped: list[dict] = []
    for draft_id in dict.fromkeys(draft_ids):
        d = s.get(CopyDraft, draft_id)
        if d is None:
            skipped.append({"id": draft_id, "reason": "草稿不存在"})
        elif d.status != "pending":
            skipped.append({"id": draft_id, "reason": "已经审核过"})
        elif open_issues(d):
            skipped.append({"id": draft_id, "reason": f"有 {len(open_issues(d))} 个未处理的问题，需要逐条审核"})
        else:
            _decide(s, who, draft_id, "approved", address)
            approved.append(draft_id)
    return {"approved": approved, "skipped": skipped}


def reject(s: Session, who: Principal, draft_id: int, *, address: str = "") -> dict:
    return _decide(s, who, draft_id, "rejected", address)
