"""`shopgen behaviour report`: HTML and PNG charts from the demo shop's behaviour."""

from __future__ import annotations

import json
from pathlib import Path

from shopgen.cli.main import run


def test_report_from_the_demo_store(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SHOPGEN_DATA_DIR", str(tmp_path / "shop"))
    assert run(["demo", "load"]) == 0
    capsys.readouterr()
    assert run(["behaviour", "report", "--out", str(tmp_path / "rep"), "--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert r["events"] == 5292 and r["shoppers"] == 150 and sum(r["segments"].values()) == 150
    names = sorted(p.name for p in (tmp_path / "rep").iterdir())
    assert names == ["behaviour.json", "cohorts.png", "funnel.png", "hours.png", "report.html", "segments.png"]
    html = (tmp_path / "rep" / "report.html").read_text(encoding="utf-8")
    assert "客户分群画像" in html and "重要价值客户" in html and '<img src="funnel.png"' in html
    for png in r["png"]:
        assert Path(png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_bad_input(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SHOPGEN_DATA_DIR", str(tmp_path / "shop"))
    assert run(["behaviour", "report", "--out", str(tmp_path / "rep")]) == 2  # an empty shop
    assert "no shopper behaviour to analyse" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"user": "u", "item": "A", "type": "view", "ts": 1}\n{"user": "u"}\n')
    assert run(["behaviour", "report", "--out", str(tmp_path / "rep"), "--data", str(bad)]) == 2
    assert "bad.jsonl line 2:" in capsys.readouterr().err
