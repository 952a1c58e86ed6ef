from pathlib import Path

import pytest

from shopgen.core.errors import BackendError, InvalidInput
from shopgen.insight import charts, report

DEMO = Path(__file__).resolve().parents[2] / "src" / "shopgen" / "demo" / "data" / "reviews.jsonl"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory, models):
    out = tmp_path_factory.mktemp("report")
    cfg = report.monitor.Config(window=report.dt.timedelta(days=7))
    return out, report.build(str(DEMO), str(out), k=4, cfg=cfg, model=models.sentiment())


def test_report_writes_html_and_three_pngs(built):
    out, r = built
    assert sorted(Path(p).name for p in r["png"]) == ["aspects.png", "sentiment_over_time.png", "themes.png"]
    for p in r["png"]:
        assert Path(p).read_bytes()[:8] == PNG and Path(p).stat().st_size > 10_000
    page = (out / "report.html").read_text(encoding="utf-8")
    for needle in ("评论洞察报告", "主要负面主题", "预警", 'src="sentiment_over_time.png"', "product:FZ-1002"):
        assert needle in page


def test_report_on_demo_reviews_flags_the_down_jacket_spike(built):
    _, r = built
    assert r["n"] == 310 and len(r["themes"]) == 4
    assert {(a["scope"], a["metric"], a["time"][:10]) for a in r["alerts"]} == {
        ("product:FZ-1002", "volume", "2026-11-05"),
        ("all", "negative_rate", "2026-11-05"),
    }
    assert set(r["aspects"]) >= {"质量", "物流", "外观"}


def test_html_escapes_review_text(tmp_path, models):
    src = tmp_path / "r.jsonl"
    src.write_text(
        '{"ts": "2026-10-01T10:00:00", "text": "<script>alert(1)</script>质量太差了"}\n'
        '{"ts": "2026-10-02T10:00:00", "text": "很好"}\n',
        encoding="utf-8",
    )
    report.build(str(src), str(tmp_path / "out"), model=models.sentiment())
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<script>" not in page


def test_empty_input_is_invalid(tmp_path, models):
    src = tmp_path / "r.jsonl"
    src.write_text("", encoding="utf-8")
    with pytest.raises(InvalidInput, match="no texts"):
        report.build(str(src), str(tmp_path / "out"), model=models.sentiment())


def test_cjk_font_found_or_clear_error(monkeypatch):
    from shopgen.core import fonts

    assert charts.cjk_font()  # a family matplotlib knows, registered from fontconfig's file if need be
    charts.cjk_font.cache_clear()
    monkeypatch.setattr(fonts, "installed", lambda: ())
    try:
        with pytest.raises(BackendError, match="fonts-noto-cjk"):
            charts.cjk_font()
    finally:
        charts.cjk_font.cache_clear()
