import json
from pathlib import Path

from tests.cli.conftest import cli, shop_env  # noqa: F401  (fixtures)

DATA = Path(__file__).parent / "data"


def test_classify_json(cli):  # noqa: F811
    code, out, _ = cli("live", "classify", "这件有XL吗", "--json")
    assert code == 0
    r = json.loads(out)
    assert r["intent"] == "ask" and set(r) == {"intent", "confidence", "sentiment"}


def test_classify_bad_input_exits_2_one_line(cli):  # noqa: F811
    code, out, err = cli("live", "classify", "  ")
    assert (code, out, err) == (2, "", "error: comment text is empty\n")


def test_eval_json(cli):  # noqa: F811
    code, out, _ = cli("live", "eval", "--data", str(DATA / "intent_eval.jsonl"), "--json")
    r = json.loads(out)
    assert (
        code == 0
        and r["n"] >= 200
        and r["accuracy"] >= 0.85
        and set(r["per_label"]["buy"]) >= {"precision", "recall", "f1"}
    )
    assert len(r["confusion"]) == 8


def test_replay_json(cli):  # noqa: F811
    code, out, _ = cli("live", "replay", str(DATA / "danmaku.xml"), "--json", "--speed", "max", "--room", "demo")
    r = json.loads(out)
    assert code == 0 and r["comments"] == 3 and r["intents"]["ask"] == 1 and r["intents"]["buy"] == 1
    assert {"seconds", "throughput_per_s", "latency_ms_p50", "latency_ms_p99", "auto_replies"} <= set(r)


def test_replay_malformed_names_line(cli):  # noqa: F811
    code, _, err = cli("live", "replay", str(DATA / "bad.jsonl"))
    assert code == 2 and err == "error: bad.jsonl line 2: comment is missing text\n"
    code, _, err = cli("live", "replay", str(DATA / "comments.jsonl"), "--speed", "fast")
    assert code == 2 and "--speed" in err
