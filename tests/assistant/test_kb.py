import json

import pytest
from sqlalchemy import func, select

from shopgen.assistant import kb
from shopgen.assistant.index import KnowledgeIndex, load_docs
from shopgen.core.errors import ImportFailed, InvalidInput
from shopgen.core.settings import Settings
from shopgen.models.embed import create_embedder
from shopgen.store import catalog
from shopgen.store.models import KBEntry
from shopgen.store.schemas import ProductIn
from tests.store.factories import tshirt


def _count(db):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(KBEntry))


def test_faq_jsonl_and_csv_import_idempotently(db, tmp_path):
    j = tmp_path / "faq.jsonl"
    j.write_text(
        '{"question": "包邮吗？", "answer": "满99元包邮。", "topic": "发货"}\n\n{"question": "能开发票吗", "answer": "可以，电子发票。"}\n'
    )
    c = tmp_path / "faq.csv"
    c.write_text("question,answer,topic\n多久发货,48小时内发货,发货\n包邮吗？,满99元包邮（偏远地区除外）。,发货\n")
    assert kb.import_file(db, j) == {"created": 2, "updated": 0, "total": 2}
    assert kb.import_file(db, c) == {"created": 1, "updated": 1, "total": 2}
    assert kb.import_file(db, j)["created"] == 0
    assert _count(db) == 3


def test_markdown_policy_is_split_by_heading_and_length(db, tmp_path):
    md = tmp_path / "退换货.md"
    long_para = "签收后7天内可申请无理由退货。" * 20
    md.write_text(f"# 退货规则\n\n{long_para}\n\n{long_para}\n\n## 换货\n\n尺码不合适可在15天内换货一次。\n")
    rows = kb.read_file(md)
    assert [r["question"] for r in rows] == ["退货规则", "退货规则（2）", "换货"]
    assert all(r["kind"] == "policy" and r["topic"] == "退换货" for r in rows)
    assert all(len(r["answer"]) <= 400 for r in rows[:2])
    kb.import_file(db, md)
    assert _count(db) == 3


def test_bad_lines_are_named_and_nothing_written(db, tmp_path):
    bad = tmp_path / "faq.jsonl"
    bad.write_text('{"question": "a", "answer": "b"}\n{"question": "", "answer": "b"}\nnot json\n')
    with pytest.raises(ImportFailed) as exc:
        kb.import_file(db, bad)
    assert exc.value.message.startswith("faq.jsonl line 2: question is empty (and 1 more)")
    assert [e["line"] for e in exc.value.detail] == [2, 3]
    assert _count(db) == 0
    (tmp_path / "x.txt").write_text("q")
    with pytest.raises(InvalidInput, match="use .csv or .jsonl"):
        kb.read_file(tmp_path / "x.txt")


def test_index_covers_faq_policy_and_active_products(sqlite_db, tmp_path):
    kb.import_entries(
        sqlite_db,
        [
            {"kind": "faq", "topic": "发货", "question": "多久发货？", "answer": "付款后48小时内发货。"},
            {"kind": "policy", "topic": "退换货", "question": "七天无理由退货", "answer": "签收后7天内可无理由退货。"},
        ],
        "test",
    )
    with sqlite_db.session() as s:
        catalog.create(s, ProductIn.model_validate(tshirt("IDX-1")))
        catalog.create(s, ProductIn.model_validate(tshirt("IDX-2", status="archived", title="下架的衬衫")))
    docs = load_docs(sqlite_db)
    assert sorted(d.id.split(":")[0] for d in docs) == ["faq", "policy", "product"]
    product = next(d for d in docs if d.kind == "product")
    assert "售价：79.00元" in product.text and "材质：100%棉" in product.text and "尺码：L、M" in product.text
    emb = create_embedder(Settings(data_dir=tmp_path, embed_backend="fake"))
    index = KnowledgeIndex(docs, emb, tmp_path / "cache")
    assert index.search("付款后多久发货", "bm25", 1)[0]["id"].startswith("faq:")
    assert index.search("T恤是什么材质", "hybrid", 1)[0]["id"] == "product:IDX-1"


def test_kb_cli(tmp_path, monkeypatch, capsys):
    from shopgen.cli.main import run

    monkeypatch.setenv("SHOPGEN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SHOPGEN_EMBED_BACKEND", "fake")
    assert run(["kb", "search", "包邮吗"]) == 2
    assert "knowledge base is empty" in capsys.readouterr().err
    f = tmp_path / "faq.jsonl"
    f.write_text(json.dumps({"question": "包邮吗？", "answer": "满99元包邮。"}, ensure_ascii=False) + "\n")
    assert run(["kb", "import", str(f), "--json"]) == 0
    capsys.readouterr()
    assert run(["kb", "search", "包邮吗", "--method", "bm25", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["hits"][0]["title"] == "包邮吗？" and out["method"] == "bm25"
