import json
from pathlib import Path

import pytest

from shopgen.assistant.intent import DEFAULT_DATA, DEFAULT_MODEL, classify, fit, load
from shopgen.core.errors import InvalidInput
from shopgen.metrics.classification import report
from shopgen.models.embed.fake import FakeEmbedder
from shopgen.models.textclf import LinearTextClassifier, read_labelled

TEST = Path(__file__).parent / "data" / "intent_test.jsonl"
LABELS = (
    "chitchat",
    "complaint",
    "human",
    "invoice",
    "order_status",
    "payment",
    "product",
    "promotion",
    "return",
    "shipping",
)


@pytest.fixture(scope="module")
def e5(models):
    return models.embedder("e5")


@pytest.fixture(scope="module")
def model(models):
    return models.intent()


def test_shipped_model_records_its_provenance(model):
    assert model.labels == LABELS
    assert model.meta["source"] == "intent_train.jsonl" and model.meta["n"] >= 500
    assert model.meta["dense_embedder"] == "multilingual-e5-small-q4" and model.dense_coef.shape == (384, 10)
    assert model.meta["features"] == "zh-words" and len(model.meta["data_sha256"]) == 64


def test_held_out_accuracy_is_pinned(e5, model):
    """The test turns were written apart from the training file and never used for tuning."""
    texts, labels = read_labelled(TEST)
    both = report(labels, [lb for lb, _ in model.predict(texts, e5)], LABELS)
    text_only = report(labels, [lb for lb, _ in model.predict(texts)], LABELS)
    assert both["n"] == len(texts) >= 250
    assert both["accuracy"] >= 0.88 and both["macro_f1"] >= 0.88  # measured 0.905 / 0.906
    assert text_only["accuracy"] >= 0.80  # measured 0.838
    assert both["accuracy"] > text_only["accuracy"]


@pytest.mark.parametrize(
    "text, label",
    [
        ("转人工", "human"),
        ("SG202611010003到哪了", "order_status"),
        ("能开增值税专票吗", "invoice"),
        ("在吗", "chitchat"),
    ],
)
def test_obvious_turns(text, label, e5, model):
    assert classify(text, model, e5) == label


def test_an_embedder_of_another_model_leaves_the_text_half_alone(model, e5):
    """The dense half was trained on e5 vectors: with any other embedder (whatever its name) the
    text half answers alone, never an error and never a meaningless average."""

    class Other(FakeEmbedder):
        name = "other"  # not "fake": nothing may depend on the backend's name
        model = "other-64"

    texts, _ = read_labelled(TEST)
    assert not model.uses(Other()) and model.uses(e5)
    assert [classify(t, model, Other()) for t in texts[:40]] == [classify(t, model) for t in texts[:40]]


def test_train_save_load_round_trip(tmp_path):
    texts = ["包邮吗", "运费多少", "发什么快递", "开发票", "要发票", "发票抬头怎么写"]
    labels = ["shipping"] * 3 + ["invoice"] * 3
    m = fit(texts, labels, source="tiny")
    path = m.save(tmp_path / "m.npz")
    again = load(path)
    assert again.labels == ("invoice", "shipping") and again.dense_coef is None
    assert again.coef.shape == (len(again.vocab), 1)  # two labels: one sigmoid column
    assert [lb for lb, _ in again.predict(["发票怎么开", "运费多少钱"])] == ["invoice", "shipping"]
    assert isinstance(again, LinearTextClassifier) and again.meta["source"] == "tiny"


def test_bad_training_files_name_the_line(tmp_path):
    f = tmp_path / "bad.jsonl"
    f.write_text('{"text": "包邮吗", "label": "shipping"}\n{"text": "", "label": "x"}\n')
    with pytest.raises(InvalidInput, match="bad.jsonl line 2"):
        read_labelled(f)
    f.write_text('{"text": "包邮吗", "label": "shipping"}\n')
    with pytest.raises(InvalidInput, match="at least two labels"):
        read_labelled(f)
    assert DEFAULT_MODEL.exists()


def test_intent_cli(tmp_path, monkeypatch, capsys):
    from shopgen.cli.main import run

    monkeypatch.setenv("SHOPGEN_DATA_DIR", str(tmp_path))
    assert run(["intent", "classify", "能开发票吗", "--no-embed", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["intent"] == "invoice"
    assert run(["intent", "eval", "--test", str(TEST), "--no-embed", "--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert set(r) >= {"n", "accuracy", "macro_f1", "per_label", "confusion"} and r["embedder"] is None
    assert run(["intent", "classify", " "]) == 2
    assert run(["intent", "eval", "--test", str(TEST), "--train", str(DEFAULT_DATA), "--no-embed", "--json"]) == 0
    trained = json.loads(capsys.readouterr().out)["trained"]
    assert trained["c"] in (3.0, 10.0, 30.0) and trained["cv_score"] > 0.5 and trained["balance"] == 1.0


def test_class_weights_balance_rare_intents():
    import numpy as np

    from shopgen.assistant.intent import class_weights

    y = np.array([0] * 8 + [1] * 2)
    assert class_weights(y, 0.0).tolist() == [1.0] * 10
    w = class_weights(y, 1.0)
    # "balanced": each class weighs the same in total, and the total is the number of examples
    assert w[:8].sum() == pytest.approx(w[8:].sum()) and w.sum() == pytest.approx(10)
    assert class_weights(y, 0.5)[9] == pytest.approx((10 / 4) ** 0.5)


def test_balanced_training_finds_a_rare_intent():
    """Forty turns of one intent and three of another that shares its words: unweighted, the rare
    intent is never predicted; balanced, its own wording wins."""
    common = [f"我的快递{d}天了还没到" for d in range(1, 21)] + [f"物流{d}天没更新" for d in range(1, 21)]
    rare = ["快递到了但是包装破了要赔偿", "快递包装破了东西坏了赔偿", "包装破损要求赔偿"]
    texts, labels = common + rare, ["shipping"] * 40 + ["damage"] * 3
    plain = fit(texts, labels, balance=0.0, c=1.0)
    balanced = fit(texts, labels, balance=1.0, c=1.0)
    probe = "快递包装破了能赔偿吗"
    assert balanced.meta["balance"] == 1.0
    assert classify(probe, plain) == "shipping"
    assert classify(probe, balanced) == "damage"


def test_abstain_table_counts_answered_turns():
    from shopgen.assistant.intent import abstain_table

    rows = abstain_table(["a", "b", "a", "b"], [("a", 0.9), ("a", 0.35), ("a", 0.55), ("b", 0.8)], at=(0.3, 0.5, 0.95))
    assert rows[0] == {"below": 0.3, "answered": 1.0, "accuracy_answered": 0.75}
    assert rows[1] == {"below": 0.5, "answered": 0.75, "accuracy_answered": 1.0}
    assert rows[2] == {"below": 0.95, "answered": 0.0, "accuracy_answered": None}


def test_training_chooses_c_and_the_halves_mix_by_cross_validation(tmp_path):
    from shopgen.assistant.intent import C_GRID, DENSE_WEIGHTS

    texts = ["包邮吗", "运费多少", "发什么快递", "几天能到", "开发票", "要发票", "发票抬头怎么写", "能开专票吗"]
    texts += ["退货怎么弄"]  # an intent with one example: missing from some folds' training parts
    labels = ["shipping"] * 4 + ["invoice"] * 4 + ["return"]
    m = fit(texts, labels, embedder=FakeEmbedder())
    assert m.meta["c"] in C_GRID and m.meta["c_dense"] in C_GRID and m.meta["dense_weight"] in DENSE_WEIGHTS
    assert m.meta["chosen_by"].startswith("3-fold") and 0 <= m.meta["cv_score"] <= 1
    again = load(m.save(tmp_path / "m.npz"))
    assert again.meta["dense_weight"] == m.meta["dense_weight"]
    fixed = fit(texts, labels, embedder=FakeEmbedder(), c=10.0)  # a given C: both halves, equal weights
    assert (fixed.meta["c"], fixed.meta["c_dense"]) == (10.0, 10.0) and "chosen_by" not in fixed.meta


def test_the_dense_weight_mixes_the_halves():
    import numpy as np

    texts = ["包邮吗", "运费多少", "发什么快递", "开发票", "要发票", "发票抬头怎么写"]
    labels = ["shipping"] * 3 + ["invoice"] * 3
    emb = FakeEmbedder()
    m = fit(texts, labels, embedder=emb, c=1.0)
    probe = ["能开发票吗"]
    text_only = m.proba(probe)  # no embedder: the text half alone
    m.meta["dense_weight"] = 0.0
    assert np.allclose(m.proba(probe, emb), text_only)
    m.meta["dense_weight"] = 1.0
    dense_only = m.proba(probe, emb)
    m.meta["dense_weight"] = 0.25
    assert np.allclose(m.proba(probe, emb), 0.75 * text_only + 0.25 * dense_only)


def test_hierarchical_labels_are_recognised_only_when_every_label_has_a_parent():
    from shopgen.assistant.intent import parents_of

    assert parents_of(["售后/退货", "售后/投诉", "物流/查件"]) == ["售后", "售后", "物流"]
    assert parents_of(["return", "complaint"]) is None  # flat
    assert parents_of(["售后/退货", "complaint"]) is None  # mixed: not a hierarchy
    assert parents_of(["a/x", "b/y"]) is None  # every parent holds one label: nothing to share
    assert parents_of(["a/x", "a/y"]) is None  # one parent: nothing to tell apart
    assert parents_of(["/x", "/y", "b/z"]) is None  # an empty parent


def test_a_parent_head_sets_each_parents_share_and_survives_save_and_load(tmp_path):
    """With parent/label labels the model carries a head over the parents; each parent's labels
    together get the probability that head gives the parent; with an embedder, both heads have
    their dense halves."""
    import numpy as np

    shipping = [f"我的快递{d}天了还没到" for d in range(1, 13)]
    damage = ["快递包装破了要赔偿", "包装破损要求赔偿"]
    invoice = [f"发票{w}怎么开" for w in ("抬头", "税号", "专票", "普票", "电子", "纸质", "金额", "内容")]
    texts = shipping + damage + invoice
    labels = ["物流/查件"] * 12 + ["物流/破损"] * 2 + ["票据/发票"] * 8
    m = fit(texts, labels, c=3.0)
    assert m.parent is not None and m.parent.labels == ("物流", "票据")
    assert m.meta["parents"] == ["物流", "物流", "票据"] and m.labels == ("物流/查件", "物流/破损", "票据/发票")
    probes = ["快递破了能赔吗", "快递还没到", "怎么开发票"]
    p = m.proba(probes)
    parent_p = m.parent.proba(probes)
    assert np.allclose(p.sum(axis=1), 1.0)
    assert np.allclose(p[:, 0] + p[:, 1], parent_p[:, 0]) and np.allclose(p[:, 2], parent_p[:, 1])
    flat = fit(texts, [lb.split("/")[1] for lb in labels], c=3.0)
    assert flat.parent is None
    again = load(m.save(tmp_path / "h.npz"))
    assert again.parent is not None and again.meta["parents"] == m.meta["parents"]
    assert np.allclose(again.proba(probes), p, atol=1e-3)  # float16 weights on disk
    from shopgen.core.errors import ConfigError

    with pytest.raises(ConfigError, match="parent head"):
        LinearTextClassifier(m.labels, m.vocab, m.idf, m.coef, m.intercept, {"parents": ["物流"]}, parent=m.parent)
    emb = FakeEmbedder()
    dense = fit(texts, labels, c=3.0, embedder=emb)
    assert dense.parent.dense_coef is not None and dense.uses(emb)
    pd = dense.proba(probes, emb)
    assert np.allclose(pd.sum(axis=1), 1.0)
    assert np.allclose(load(dense.save(tmp_path / "hd.npz")).proba(probes, emb), pd, atol=1e-3)


def test_eval_with_hierarchical_labels_reports_the_parents_accuracy(tmp_path, monkeypatch, capsys):
    from shopgen.cli.main import run

    monkeypatch.setenv("SHOPGEN_DATA_DIR", str(tmp_path))
    up = {"return": "售后", "complaint": "售后", "shipping": "订单", "order_status": "订单", "invoice": "票据"}
    for name, path in (("train", DEFAULT_DATA), ("test", TEST)):
        rows = [json.loads(line) for line in path.read_text().splitlines()]
        lines = [{"text": r["text"], "label": f"{up[r['label']]}/{r['label']}"} for r in rows if r["label"] in up]
        (tmp_path / f"{name}.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines))
    args = ["intent", "eval", "--test", str(tmp_path / "test.jsonl"), "--train", str(tmp_path / "train.jsonl")]
    assert run([*args, "--no-embed", "--c", "10", "--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert r["parent_accuracy"] >= r["accuracy"] > 0.5 and "售后/return" in r["per_label"]
    assert r["trained"]["parent_weight"] == 1.0  # a fixed C: the parent head as it is
    assert run([*args, "--no-embed", "--json"]) == 0  # chosen by cross-validation, 0 (flat) included
    r = json.loads(capsys.readouterr().out)
    assert r["trained"]["parent_weight"] in (0.0, 0.5, 1.0) and r["parent_accuracy"] >= r["accuracy"]
