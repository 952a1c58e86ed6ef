import json

import pytest

from shopgen.cli.main import run


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SHOPGEN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SHOPGEN_LLM_BACKEND", "fake")
    monkeypatch.setenv("SHOPGEN_EMBED_BACKEND", "fake")

    def _run(*args):
        code = run([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def _write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = [
    '{"text": "这件纯棉T恤175cm穿XL码合适吗", "label": "product"}',
    '{"text": "物流太慢了怎么还没到", "label": "complaint"}',
]


def test_eda_writes_originals_and_variants(cli, tmp_path):
    data, out = _write(tmp_path / "in.jsonl", GOOD), tmp_path / "out.jsonl"
    code, stdout, _ = cli("augment", "--data", data, "--method", "eda", "--n-per-row", 3, "--out", out, "--json")
    assert code == 0
    report = json.loads(stdout)
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert report["written"] == len(lines) == 2 + report["eda"]["kept"] and report["eda"]["kept"] >= 4
    assert [r["source"] for r in lines[:2]] == ["original", "original"]
    for r in lines:
        if r["of"] == 1:
            assert "纯棉" in r["text"] and "175cm" in r["text"] and "XL码" in r["text"]
    again = tmp_path / "again.jsonl"
    cli("augment", "--data", data, "--n-per-row", 3, "--out", again)
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_sentiment_csv_is_read(cli, tmp_path):
    data = tmp_path / "r.csv"
    data.write_text("cat,label,review\n衣服,1,质量很好，尺码合适\n衣服,0,掉色严重，很失望\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    code, stdout, _ = cli("augment", "--data", data, "--out", out, "--only-new", "--json")
    assert code == 0
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert lines and {r["label"] for r in lines} <= {"0", "1"} and {r["of"] for r in lines} <= {2, 3}


def test_paraphrase_with_the_fake_backends(cli, tmp_path):
    data, out = _write(tmp_path / "in.jsonl", GOOD), tmp_path / "out.jsonl"
    code, stdout, _ = cli(
        "augment", "--data", data, "--method", "paraphrase", "--classifier", "none", "--out", out, "--json"
    )
    assert code == 0
    p = json.loads(stdout)["paraphrase"]
    # the fake model echoes 回声：<text>, one line per row: same facts, so only meaning or duplicates drop it
    assert p["generated"] == 2 and p["kept"] + sum(p["dropped"].values()) == 2 and p["label_checked"] is False


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([GOOD[0], "{oops"], "in.jsonl line 2: not valid JSON"),
        ([GOOD[0], "", '{"text": "", "label": "x"}'], "in.jsonl line 3: the text must be"),
        (['{"text": "好", "label": null}'], "in.jsonl line 1: the label must be"),
        (["[1, 2]"], "in.jsonl line 1: each line must be a JSON object"),
    ],
)
def test_bad_lines_are_named_and_nothing_is_written(cli, tmp_path, lines, message):
    data, out = _write(tmp_path / "in.jsonl", lines), tmp_path / "out.jsonl"
    code, _, err = cli("augment", "--data", data, "--out", out)
    assert code == 2 and message in err and "Traceback" not in err
    assert not out.exists()


def test_bad_csv_and_bad_arguments(cli, tmp_path):
    csv = tmp_path / "r.csv"
    csv.write_text("label,review\n1,很好\n0\n", encoding="utf-8")
    code, _, err = cli("augment", "--data", csv, "--out", tmp_path / "o.jsonl")
    assert code == 2 and "r.csv line 3" in err
    code, _, err = cli("augment", "--data", tmp_path / "none.jsonl", "--out", tmp_path / "o.jsonl")
    assert code == 2 and "no such file" in err
    code, _, err = cli("augment", "--data", csv, "--out", tmp_path / "o.csv")
    assert code == 2 and "name it .jsonl" in err
    data = _write(tmp_path / "odd.jsonl", ['{"text": "好", "label": "x"}', '{"text": "差", "label": "y"}'])
    code, _, err = cli("augment", "--data", data, "--method", "paraphrase", "--out", tmp_path / "o.jsonl")
    assert code == 2 and "--classifier none" in err
