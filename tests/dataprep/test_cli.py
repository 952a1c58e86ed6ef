"""``shopgen data clean|audit`` in process: exit codes, JSON reports, one-line errors."""

import json

from tests.cli.conftest import as_json
from tests.dataprep.conftest import write_jsonl
from tests.dataprep.test_labelaudit import reviews


def test_clean_writes_the_file_and_reports_json(cli, labelled, tmp_path):
    out = tmp_path / "out" / "clean.jsonl"
    code, stdout, _ = cli("data", "clean", str(labelled), "--out", str(out), "--t2s", "--min-chars", "2", "--json")
    assert code == 0
    r = as_json(stdout)
    assert r["rows_out"] == 3 and r["out"] == str(out) and r["removed"]["label_conflict"] == 2
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3


def test_clean_human_summary(cli, labelled, tmp_path):
    code, stdout, _ = cli("data", "clean", str(labelled), "--out", str(tmp_path / "c.jsonl"))
    assert code == 0
    assert "4 of 10 rows kept (text fields: text; label: label)" in stdout
    assert "label conflicts: 1 groups, 2 rows (policy: drop)" in stdout
    assert "duplicate line 2 (= line 1, 1.00)" in stdout


def test_audit_lists_suspect_labels(cli, tmp_path):
    texts, labels = reviews(200)
    rows = [{"text": t, "label": lb} for t, lb in zip(texts, labels)]
    rows[10]["label"] = "0" if rows[10]["label"] == "1" else "1"
    p = write_jsonl(tmp_path / "r.jsonl", rows)
    code, stdout, _ = cli("data", "audit", str(p), "--near", "1", "--top", "5", "--json")
    assert code == 0
    la = as_json(stdout)["label_audit"]
    assert la["folds"] == 5 and len(la["top"]) <= 5
    assert la["top"][0] == {**la["top"][0], "line": 11, "given": rows[10]["label"], "text": rows[10]["text"]}
    assert not (tmp_path / "r.clean.jsonl").exists()


def test_missing_file_and_unknown_label_exit_2_with_one_line(cli, labelled, tmp_path):
    code, out, err = cli("data", "audit", str(tmp_path / "nope.jsonl"))
    assert (code, out) == (2, "") and err == f"error: {tmp_path / 'nope.jsonl'}: no such file\n"
    code, _, err = cli("data", "clean", str(labelled), "--out", str(tmp_path / "o.jsonl"), "--labels", "positive")
    assert code == 2 and err == "error: reviews.jsonl line 3: unknown label 'negative' (allowed: positive)\n"
    assert not (tmp_path / "o.jsonl").exists()


def test_audit_without_labels_says_how_to_skip(cli, tmp_path):
    p = write_jsonl(tmp_path / "kb.jsonl", [{"_id": str(i), "text": f"花呗第{i}期怎么还款"} for i in range(5)])
    code, _, err = cli("data", "audit", str(p))
    assert code == 2 and "no label field for the label audit" in err and "--no-label-audit" in err
    code, out, _ = cli("data", "audit", str(p), "--no-label-audit", "--json")
    assert code == 0 and "label_audit" not in json.loads(out) and json.loads(out)["rows_out"] == 5


def test_mask_kinds_all_includes_addresses(cli, tmp_path):
    p = write_jsonl(tmp_path / "a.jsonl", [{"text": "寄到浙江省杭州市西湖区文三路90号3栋201室"}])
    out = tmp_path / "o.jsonl"
    code, _, _ = cli("data", "clean", str(p), "--out", str(out), "--mask-kinds", "all")
    assert code == 0 and json.loads(out.read_text(encoding="utf-8")) == {"text": "寄到[地址]"}
    code, _, _ = cli("data", "clean", str(p), "--out", str(out))
    assert code == 0 and "文三路" in out.read_text(encoding="utf-8")
