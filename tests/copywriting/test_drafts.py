"""Copy drafts: saving generated copy, listing, editing (checks run again), approving and
rejecting with an audit entry, and the errors for the wrong state. SQLite store, demo catalog."""

import pytest
from sqlalchemy import select

from shopgen.copywriting import drafts
from shopgen.copywriting.generate import CopyResult
from shopgen.core.errors import Conflict, InvalidInput, NotFound
from shopgen.demo.loader import load_demo
from shopgen.security import audit
from shopgen.security.principal import Principal
from shopgen.store import catalog
from shopgen.store.models import CopyDraft

OPERATOR = Principal(kind="user", name="xiaoli", role="operator", user_id=1)
TEXT = (
    "这款圆领短袖T恤采用100%棉面料，手感柔软、透气吸汗。白色、黑色、浅灰色和藏青色四种颜色可选，男女同款，"
    "直筒版型不挑身材，日常通勤、周末出游都合适，到手价69元，春夏天天穿也不腻，是衣橱里的基础款。"
)


@pytest.fixture
def shop(sqlite_db):
    load_demo(sqlite_db)
    return sqlite_db


def _result(text=TEXT, **kw) -> CopyResult:
    return CopyResult(text, "description", kw.pop("issues", []), kw.pop("compliance", []), 1, "fake-echo", 0.1)


def _save(db, sku="FZ-1001", result=None, **kw) -> int:
    with db.session() as s:
        return drafts.save(s, catalog.get_by_sku(s, sku), result or _result(), **kw).id


def test_save_stores_a_pending_draft_of_the_product(shop):
    flag = {"type": "absolute", "word": "最", "start": 0, "end": 1, "suggestion": "很"}
    did = _save(shop, result=_result(compliance=[flag]), audience="学生党", tone="活泼")
    with shop.session() as s:
        d = drafts.to_dict(drafts.get(s, did))
    assert d["status"] == "pending" and d["sku"] == "FZ-1001" and d["kind"] == "description"
    assert d["audience"] == "学生党" and d["tone"] == "活泼" and d["lang"] == "zh" and d["model"] == "fake-echo"
    assert d["text"] == TEXT and d["issues"] == [] and d["compliance"] == [flag] and d["job_id"] is None


def test_save_accepts_a_batch_record(shop):
    rec = {
        "sku": "FZ-1001",
        "kind": "title",
        "audience": "宝妈",
        "text": "纯棉圆领短袖T恤",
        "issues": [],
        "compliance": [],
        "status": "draft",
    }
    did = _save(shop, result=rec, job_id="j1", model="m")
    with shop.session() as s:
        d = drafts.get(s, did)
        assert (d.kind, d.audience, d.job_id, d.model, d.status) == ("title", "宝妈", "j1", "m", "pending")


@pytest.mark.parametrize("bad", [{"text": "  "}, {"kind": "poem"}])
def test_save_rejects_empty_text_and_unknown_kind(shop, bad):
    rec = {"kind": "description", "text": TEXT, **bad}
    with pytest.raises(InvalidInput):
        _save(shop, result=rec)


def test_listing_filters_by_status_sku_and_job(shop):
    a = _save(shop)
    b = _save(shop, sku="FZ-1002", job_id="job-1")
    with shop.session() as s:
        drafts.approve(s, OPERATOR, a)
    with shop.session() as s:
        assert [d["id"] for d in drafts.listing(s)] == [b, a]  # newest first
        assert [d["id"] for d in drafts.listing(s, "pending")] == [b]
        assert [d["id"] for d in drafts.listing(s, "all", sku="FZ-1001")] == [a]
        assert [d["id"] for d in drafts.listing(s, None, job_id="job-1")] == [b]
        assert drafts.counts(s) == {"pending": 1, "approved": 1, "rejected": 0}
        with pytest.raises(InvalidInput, match="status"):
            drafts.listing(s, "done")


def test_edit_runs_the_checks_again_and_is_audited(shop):
    did = _save(shop)
    with shop.session() as s:
        d = drafts.update_text(s, OPERATOR, did, "这款T恤是最好的红色T恤，柔软透气，日常百搭。", address="10.0.0.1")
    assert d["text"] == "这款T恤是最好的红色T恤，柔软透气，日常百搭。"
    assert [(i["type"], i["claim"]) for i in d["issues"] if i["aspect"] == "colour"] == [("contradicted", "红色")]
    assert any(i["type"] == "length" for i in d["issues"])  # far under 80 characters
    assert [f["word"] for f in d["compliance"]] == ["最"] and d["compliance"][0]["in_text"] is True
    with shop.session() as s:
        entry = audit.query(s, action="copy.draft.edit")[0]
        assert entry.actor == "user:xiaoli" and entry.target == f"copy_draft:{did}" and entry.address == "10.0.0.1"
    with shop.session() as s:  # a clean text clears the findings
        d = drafts.update_text(s, OPERATOR, did, TEXT)
    assert d["issues"] == [] and d["compliance"] == []


def test_edit_rejects_empty_or_too_long_text(shop):
    did = _save(shop)
    with shop.session() as s:
        with pytest.raises(InvalidInput):
            drafts.update_text(s, OPERATOR, did, "   ")
        with pytest.raises(InvalidInput):
            drafts.update_text(s, OPERATOR, did, "好" * (drafts.MAX_TEXT + 1))


def test_approve_and_reject_are_final_and_audited(shop):
    a, b = _save(shop), _save(shop)
    with shop.session() as s:
        assert drafts.approve(s, OPERATOR, a)["status"] == "approved"
        assert drafts.reject(s, OPERATOR, b)["status"] == "rejected"
    with shop.session() as s:
        assert drafts.get(s, a).decided_by == "user:xiaoli"
        assert [e.action for e in audit.query(s, action="copy.draft.")] == ["copy.draft.reject", "copy.draft.approve"]
    for action in (drafts.approve, drafts.reject):
        with shop.session() as s, pytest.raises(Conflict, match="already approved"):
            action(s, OPERATOR, a)
    with shop.session() as s, pytest.raises(Conflict):
        drafts.update_text(s, OPERATOR, b, TEXT)


def test_a_draft_with_open_issues_needs_an_acknowledged_approval(shop):
    did = _save(shop)
    with shop.session() as s:
        d = drafts.update_text(s, OPERATOR, did, TEXT + "明星同款，还能治疗失眠，价格最低。")
    assert d["open_issues"] == len(d["issues"]) + len(d["compliance"]) >= 2
    assert {"治疗失眠", "最"} <= {f["word"] for f in d["compliance"]}
    with shop.session() as s, pytest.raises(Conflict, match="未处理的问题") as err:
        drafts.approve(s, OPERATOR, did)
    assert err.value.detail["field"] == "acknowledge_issues"
    with shop.session() as s:
        assert drafts.get(s, did).status == "pending"
        assert drafts.approve(s, OPERATOR, did, acknowledge_issues=True)["status"] == "approved"
    with shop.session() as s:
        assert audit.query(s, action="copy.draft.approve")[0].detail["acknowledged"] == d["open_issues"]


def test_flags_of_rewritten_words_are_not_open_issues(shop):
    flag = {"type": "absolute", "word": "最", "start": 0, "end": 1, "suggestion": "很"}  # already rewritten
    did = _save(shop, result=_result(compliance=[flag]))
    with shop.session() as s:
        assert drafts.to_dict(drafts.get(s, did))["open_issues"] == 0
        assert drafts.approve(s, OPERATOR, did)["status"] == "approved"


def test_bulk_approval_skips_drafts_with_open_issues(shop):
    clean, dirty, decided = _save(shop), _save(shop, result=_result(issues=[{"type": "contradicted"}])), _save(shop)
    with shop.session() as s:
        drafts.reject(s, OPERATOR, decided)
    with shop.session() as s:
        out = drafts.approve_clean(s, OPERATOR, [clean, dirty, decided, clean])
    assert out["approved"] == [clean] and [x["id"] for x in out["skipped"]] == [dirty, decided]
    with shop.session() as s:
        assert drafts.get(s, dirty).status == "pending"
        with pytest.raises(InvalidInput):
            drafts.approve_clean(s, OPERATOR, [])


def test_unknown_draft_is_not_found(shop):
    with shop.session() as s:
        for call in (
            lambda: drafts.get(s, 999),
            lambda: drafts.approve(s, OPERATOR, 999),
            lambda: drafts.update_text(s, OPERATOR, 999, TEXT),
        ):
            with pytest.raises(NotFound):
                call()


def test_deleting_the_product_deletes_its_drafts(shop):
    _save(shop)
    with shop.session() as s:
        catalog.delete(s, catalog.get_by_sku(s, "FZ-1001").id)
    with shop.session() as s:
        assert s.scalars(select(CopyDraft)).all() == []
