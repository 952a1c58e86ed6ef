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


def test_titled_entries_can_weigh_the_question_apart(tmp_path):
    """A corpus of question (title) + answer entries: by default hybrid searches them as one text;
    with a question weight, the title is searched on its own too, and a long answer's words no
    longer pull a short entry that merely mentions them above the entry whose question it is."""
    from shopgen.assistant.evaluate import evaluate
    from shopgen.models.embed.fake import FakeEmbedder

    entries = [
        {
            "_id": "a",
            "title": "退货运费谁出",
            "text": "因质量问题或发错货退货的，来回运费由商家承担，你可以先垫付，退款时一并补偿；"
            "七天无理由退货的寄回运费由买家承担，下单时购买了运费险的可获得理赔。",
        },
        {"_id": "b", "title": "售后规则", "text": "退货运费谁出，看退货原因。"},
        {"_id": "c", "title": "多久发货", "text": "付款后48小时内发货。"},
    ]
    (tmp_path / "corpus.jsonl").write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in entries))
    fields = beir.load_fields(tmp_path / "corpus.jsonl")
    assert fields[1] == ("b", "售后规则", "退货运费谁出，看退货原因。") and beir.has_titles(fields)
    corpus = beir.joined(fields)
    assert corpus[2] == ("c", "多久发货 付款后48小时内发货。") == tuple(beir.load_corpus(tmp_path / "corpus.jsonl")[2])
    queries, qrels = [("q", "退货运费谁出")], {"q": {"a": 1}}
    one_text = evaluate(corpus, queries, qrels, ["bm25"], None, None, fields=fields)
    assert one_text["results"][0]["mrr@10"] == 0.5  # the short entry b comes first

    class Counting(FakeEmbedder):
        def __init__(self):
            super().__init__()
            self.asked = []

        def embed_queries(self, texts):
            self.asked += list(texts)
            return super().embed_queries(texts)

    emb = Counting()
    weighed = evaluate(corpus, queries, qrels, ["hybrid"], emb, None, fields=fields, question_weight=0.5)
    assert weighed["results"][0]["mrr@10"] == 1.0 and weighed["index"]["fields"]["question_weight"] == 0.5
    # the query is embedded once, in the primed batch; the titles once more, as the question field
    assert emb.asked.count("退货运费谁出") == 2 and emb.asked.count("售后规则") == 1
    default = evaluate(corpus, queries, qrels, ["hybrid"], FakeEmbedder(), None, fields=fields)
    assert "fields" not in default["index"]
    with pytest.raises(InvalidInput, match="question weight"):
        evaluate(corpus, queries, qrels, ["bm25"], None, None, fields=fields, question_weight=2.0)
    (tmp_path / "bad.jsonl").write_text('{"_id": "a", "title": 5, "text": "x"}\n')
    with pytest.raises(InvalidInput, match="bad.jsonl line 1: title must be a string"):
        beir.load_fields(tmp_path / "bad.jsonl")
