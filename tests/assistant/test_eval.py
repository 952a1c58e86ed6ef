import json

import pytest

from shopgen.assistant import beir
from shopgen.core.errors import InvalidInput


@pytest.fixture
def task(tmp_path):
    corpus = [
        ("d1", "花呗怎么还款"),
        ("d2", "借呗可以提前还款吗"),
        ("d3", "七天无理由退货怎么申请"),
        ("d4", "发货后多久能到"),
    ]
    queries = [("q1", "花呗还款方式"), ("q2", "退货如何申请"), ("q3", "没有判定的问题")]
    (tmp_path / "corpus.jsonl").write_text(
        "\n".join(json.dumps({"_id": i, "text": t}, ensure_ascii=False) for i, t in corpus)
    )
    (tmp_path / "queries.jsonl").write_text(
        "\n".join(json.dumps({"_id": i, "text": t}, ensure_ascii=False) for i, t in queries)
    )
    (tmp_path / "qrels.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td3\t1\n")
    return tmp_path


def test_eval_command_prints_the_metrics(task, monkeypatch, capsys):
    from shopgen.cli.main import run

    monkeypatch.setenv("SHOPGEN_DATA_DIR", str(task))
    monkeypatch.setenv("SHOPGEN_EMBED_BACKEND", "fake")
    code = run(
        [
            "assist",
            "eval",
            "--corpus",
            str(task / "corpus.jsonl"),
            "--queries",
            str(task / "queries.jsonl"),
            "--qrels",
            str(task / "qrels.tsv"),
            "--method",
            "bm25",
            "--json",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {k: out[k] for k in ("n", "method", "recall@1", "recall@10", "mrr@10", "ndcg@10")} == {
        "n": 2,
        "method": "bm25",
        "recall@1": 1.0,
        "recall@10": 1.0,
        "mrr@10": 1.0,
        "ndcg@10": 1.0,
    }
    assert out["ms_per_query_p95"] >= out["ms_per_query_p50"] >= 0
    code = run(
        [
            "assist",
            "eval",
            "--corpus",
            str(task / "corpus.jsonl"),
            "--queries",
            str(task / "queries.jsonl"),
            "--qrels",
            str(task / "qrels.tsv"),
            "--json",
        ]
    )
    rows = json.loads(capsys.readouterr().out)
    assert [r["method"] for r in rows] == ["bm25", "dense", "fusion", "hybrid"] and rows[1]["index_cached"] is False
    assert rows[3]["reranker"] == "linear"  # a corpus of short questions: the fused list is reranked
    # the same corpus again: the dense index comes from the cache, not from embedding
    run(
        [
            "assist",
            "eval",
            "--corpus",
            str(task / "corpus.jsonl"),
            "--queries",
            str(task / "queries.jsonl"),
            "--qrels",
            str(task / "qrels.tsv"),
            "--method",
            "dense",
            "--json",
        ]
    )
    assert json.loads(capsys.readouterr().out)["index_cached"] is True


def test_malformed_files_name_the_line(task):
    (task / "bad.jsonl").write_text('{"_id": "a", "text": "x"}\n{"text": "no id"}\n')
    with pytest.raises(InvalidInput, match="bad.jsonl line 2"):
        beir.load_corpus(task / "bad.jsonl")
    (task / "bad.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\tone\n")
    with pytest.raises(InvalidInput, match="bad.tsv line 2"):
        beir.load_qrels(task / "bad.tsv")
    (task / "nohead.tsv").write_text("q1\td1\t1\n")
    with pytest.raises(InvalidInput, match="header"):
        beir.load_qrels(task / "nohead.tsv")


def test_short_questions_are_embedded_as_queries(task):
    """An FAQ's question list is matched question to question (e5's query prefix on both sides);
    passages keep the passage prefix; the choice can be forced and is reported."""
    from shopgen.assistant.evaluate import evaluate
    from shopgen.models.embed.fake import FakeEmbedder

    class Recording(FakeEmbedder):
        def __init__(self):
            super().__init__()
            self.passages = 0

        def embed_passages(self, texts):
            self.passages += len(texts)
            return super().embed_passages(texts)

    corpus = beir.load_corpus(task / "corpus.jsonl")
    queries = beir.load_queries(task / "queries.jsonl")
    qrels = beir.load_qrels(task / "qrels.tsv")
    emb = Recording()
    out = evaluate(corpus, queries, qrels, ["dense"], emb, None)
    assert out["index"]["dense"]["document_prefix"] == "query" and emb.passages == 0
    out = evaluate(corpus, queries, qrels, ["dense"], emb, None, doc_prefix="passage")
    assert out["index"]["dense"]["document_prefix"] == "passage" and emb.passages == len(corpus)
    long = [(i, t + "。" + "详细说明" * 20) for i, t in corpus]
    assert evaluate(long, queries, qrels, ["dense"], emb, None)["index"]["dense"]["document_prefix"] == "passage"
    with pytest.raises(InvalidInput, match="document prefix"):
        evaluate(corpus, queries, qrels, ["dense"], emb, None, doc_prefix="title")
