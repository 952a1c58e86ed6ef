"""``shopgen insight …`` end to end, in process."""

import json
from pathlib import Path

import pytest

from tests.cli.conftest import as_json
from tests.insight.conftest import NEGATIVE, POSITIVE, shared_split

DEMO = Path(__file__).resolve().parents[2] / "src" / "shopgen" / "demo" / "data" / "reviews.jsonl"


def test_sentiment_json(cli):
    code, out, _ = cli("insight", "sentiment", "质量太差了，我要退货", "--json")
    assert code == 0
    r = as_json(out)
    assert r["label"] == "negative" and r["score"] < 0.1 and r["language"] == "zh"


def test_sentiment_human_and_several_texts(cli):
    code, out, _ = cli("insight", "sentiment", "非常满意，好评", "great stuff")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("positive") and lines[1].endswith("[non-zh]")


def test_sentiment_empty_text_exits_2_with_one_line(cli):
    code, out, err = cli("insight", "sentiment", "  ")
    assert (code, out, err) == (2, "", "error: text is empty\n")
    code, _, err = cli("insight", "sentiment")
    assert code == 2 and err == "error: give a text to score (or --file)\n"


def test_sentiment_file_names_the_malformed_line(cli, tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text('{"text": "好"}\n{"text": oops}\n', encoding="utf-8")
    code, _, err = cli("insight", "sentiment", "--file", str(p))
    assert code == 2 and err.startswith("error: c.jsonl line 2: malformed JSON") and err.count("\n") == 1


def test_train_then_eval_and_use_the_model(cli, tmp_path):
    data = tmp_path / "mine.jsonl"
    data.write_text(
        "\n".join(
            json.dumps({"text": t, "label": y}, ensure_ascii=False)
            for t, y in [(t, 1) for t in POSITIVE * 3] + [(t, 0) for t in NEGATIVE * 3]
        ),
        encoding="utf-8",
    )
    model = tmp_path / "m.npz"
    code, out, _ = cli("insight", "train", "--data", str(data), "--out", str(model), "--min-df", "1", "--json")
    assert code == 0 and as_json(out)["n_train"] == 36 and model.is_file()
    code, out, _ = cli("insight", "eval", "--test", str(data), "--model", str(model), "--baseline-n", "4", "--json")
    r = as_json(out)
    assert code == 0 and r["n"] == 36 and r["accuracy"] == 1.0
    assert set(r) >= {"n", "accuracy", "macro_f1", "texts_per_s", "baseline"}
    assert set(r["baseline"]["snownlp"]) >= {"accuracy", "macro_f1", "n"}
    code, out, _ = cli("insight", "sentiment", "质量太差了，我要退货", "--model", str(model), "--json")
    assert code == 0 and as_json(out)["label"] == "negative"


def test_eval_bad_label_names_the_line(cli, tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("label,text\n1,好\nyes,差\n", encoding="utf-8")
    code, _, err = cli("insight", "eval", "--test", str(p), "--json")
    assert code == 2 and err == "error: t.csv line 3: label must be 0 or 1 (or positive / negative), got 'yes'\n"


def test_aspects_and_aspects_eval(cli):
    code, out, _ = cli("insight", "aspects", "衣服质量很好，就是尺码偏大", "--json")
    assert code == 0 and [(a["aspect"], a["polarity"]) for a in as_json(out)] == [
        ("质量", "positive"),
        ("尺码", "negative"),
    ]
    dev = Path(__file__).resolve().parents[1] / "insight" / "data" / "aspects_dev.jsonl"
    code, out, _ = cli("insight", "aspects-eval", "--data", str(dev), "--json")
    r = as_json(out)
    assert code == 0 and r["n"] == 40 and set(r) >= {"micro", "macro_f1", "per_aspect", "polarity_accuracy"}


def test_topics_on_demo_reviews(cli):
    code, out, _ = cli("insight", "topics", str(DEMO), "--category", "FZ-1002", "--k", "2", "--json")
    r = as_json(out)
    assert code == 0 and r["k"] == 2 and r["n_negative"] >= 18
    assert any("跑绒" in t["keywords"] or "钻绒" in t["keywords"] for t in r["themes"])


def test_monitor_lists_the_demo_spike(cli):
    code, out, _ = cli("insight", "monitor", str(DEMO), "--window", "1w", "--json")
    r = as_json(out)
    assert code == 0
    assert [(a["time"][:10], a["scope"], a["metric"]) for a in r["alerts"]] == [
        ("2026-11-05", "all", "negative_rate"),
        ("2026-11-05", "product:FZ-1002", "volume"),
    ]
    assert all({"time", "scope", "metric", "value", "baseline", "z", "evidence"} <= set(a) for a in r["alerts"])


def test_monitor_bad_window_and_out_of_order(cli, tmp_path):
    code, _, err = cli("insight", "monitor", str(DEMO), "--window", "soon")
    assert code == 2 and err == "error: bad window 'soon' (e.g. 30m, 1h, 1d)\n"
    p = tmp_path / "s.csv"
    p.write_text("ts,scope,text\n2026-10-02T00:00:00,a,好\n2026-10-01T00:00:00,a,差\n", encoding="utf-8")
    code, _, err = cli("insight", "monitor", str(p))
    assert code == 2 and err.startswith("error: s.csv line 3: timestamp")


def test_report_writes_files(cli, tmp_path):
    code, out, _ = cli("insight", "report", str(DEMO), "--out", str(tmp_path / "rep"), "--window", "1w", "--json")
    r = as_json(out)
    assert code == 0 and Path(r["html"]).is_file() and len(r["png"]) == 3


def test_monitor_report_and_topics_score_with_the_model_given(cli, tmp_path):
    flipped = tmp_path / "flipped.jsonl"  # a deliberately wrong model: praise labelled negative
    flipped.write_text(
        "\n".join(
            json.dumps({"text": t, "label": y}, ensure_ascii=False)
            for t, y in [(t, 0) for t in POSITIVE * 3] + [(t, 1) for t in NEGATIVE * 3]
        ),
        encoding="utf-8",
    )
    model = tmp_path / "flipped.npz"
    assert cli("insight", "train", "--data", str(flipped), "--out", str(model), "--min-df", "1")[0] == 0

    def report(*extra):
        code, out, err = cli(
            "insight", "report", str(DEMO), "--out", str(tmp_path / "rep"), "--window", "1w", *extra, "--json"
        )
        assert code == 0, err
        return as_json(out)

    default, wrong = report(), report("--model", str(model))
    assert wrong["negative"] > default["negative"] + 50  # every summary followed the model given
    code, out, _ = cli("insight", "monitor", str(DEMO), "--window", "1w", "--model", str(model), "--json")
    assert (
        code == 0
        and as_json(out)["alerts"]
        != as_json(cli("insight", "monitor", str(DEMO), "--window", "1w", "--json")[1])["alerts"]
    )
    unlabelled = tmp_path / "u.jsonl"
    unlabelled.write_text(
        "\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in POSITIVE + NEGATIVE), encoding="utf-8"
    )
    counts = [
        as_json(cli("insight", "topics", str(unlabelled), "--k", "1", *extra, "--json")[1])["n_negative"]
        for extra in ((), ("--model", str(model)))
    ]
    assert counts == [len(NEGATIVE), len(POSITIVE)]
    for command in (("monitor", str(DEMO)), ("topics", str(DEMO)), ("report", str(DEMO), "--out", str(tmp_path / "x"))):
        code, out, err = cli("insight", *command, "--model", "nosuch")
        assert code == 2 and out == "" and err.startswith("error: unknown sentiment model 'nosuch'"), command


@pytest.mark.slow
def test_shipped_default_on_the_full_test_split(cli):
    test = shared_split("test")
    code, out, _ = cli("insight", "eval", "--test", str(test), "--baseline-n", "300", "--json")
    r = as_json(out)
    assert code == 0 and r["n"] == 6282
    assert r["accuracy"] >= 0.93 and r["macro_f1"] >= 0.93  # measured 0.936 / 0.936
    assert r["baseline"]["snownlp"]["accuracy"] < r["accuracy"]


def test_sentiment_file_streams_json_lines_and_skips_empty_rows(cli, tmp_path):
    p = tmp_path / "c.csv"
    p.write_text("label,review\n1,非常满意，好评\n0,\n0,质量太差了，我要退货\n", encoding="utf-8")
    code, out, _ = cli("insight", "sentiment", "--file", str(p), "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [(r["line"], r["label"]) for r in rows] == [(2, "positive"), (4, "negative")]


def test_monitor_delivers_to_the_studio_log(cli, shop_env):
    code, out, _ = cli("insight", "monitor", str(DEMO), "--window", "1w", "--studio", "--json")
    r = as_json(out)
    assert code == 0 and r["delivery"]["studio"]["sent"] == 2
    from shopgen.insight.sinks import read_studio_log

    assert [a["scope"] for a in read_studio_log(shop_env)] == ["all", "product:FZ-1002"]


def test_monitor_undelivered_webhook_exits_1_after_printing_alerts(cli):
    code, out, err = cli(
        "insight", "monitor", str(DEMO), "--window", "1w", "--webhook", "http://127.0.0.1:9/x", "--json"
    )
    assert code == 1 and len(as_json(out)["alerts"]) == 2
    assert err.startswith("error: webhook: 2 of 2 alerts not delivered (all ") and err.count("\n") == 1
