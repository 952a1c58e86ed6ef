"""The review dashboard is kept on disk per data fingerprint: a restarted server (memory caches
empty) shows 评论洞察 without loading a model or clustering, and is much quicker than the first
computation; a changed file is scored again."""

from __future__ import annotations

import time

import pytest

from shopgen.core.settings import Settings
from shopgen.insight import overview, topics
from shopgen.server import build_runtime


def _forget():
    for cache in (overview._CONFIGURED, overview._FILES, overview._THEMES):
        cache.clear()


class NoModels:
    """A runtime that must not be asked for a model."""

    def sentiment(self, name=None):
        raise AssertionError("the cached dashboard loaded a model")


def test_a_restarted_server_reads_the_dashboard_from_disk(tmp_path, monkeypatch):
    settings = Settings(data_dir=tmp_path, llm_backend="fake", embed_backend="fake")
    _forget()
    start = time.perf_counter()
    first = overview.configured(settings, build_runtime(settings))
    first_view = overview.overview(first, {})
    cold = time.perf_counter() - start
    assert list(overview.cache_dir(tmp_path).glob("*.json"))  # the reviews and the themes

    _forget()  # as after a restart
    monkeypatch.setattr(topics, "cluster", lambda *a, **k: pytest.fail("themes clustered again"))
    start = time.perf_counter()
    again = overview.configured(settings, NoModels())
    view = overview.overview(again, {})
    warm = time.perf_counter() - start
    assert again.reviews == first.reviews and again.alerts == first.alerts
    assert view == first_view
    assert warm < cold / 3, (warm, cold)


def test_a_changed_file_or_a_damaged_cache_is_computed_again(tmp_path):
    reviews = tmp_path / "r.jsonl"
    reviews.write_text('{"ts": "2026-10-01T10:00:00", "text": "很好"}\n', encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "d", llm_backend="fake", embed_backend="fake", insight_reviews=reviews)
    runtime = build_runtime(settings)
    _forget()
    assert len(overview.configured(settings, runtime).reviews) == 1
    with reviews.open("a", encoding="utf-8") as fh:
        fh.write('{"ts": "2026-10-02T10:00:00", "text": "太差了"}\n')
    _forget()
    assert len(overview.configured(settings, runtime).reviews) == 2
    for f in overview.cache_dir(settings.data_dir).glob("*.json"):
        f.write_text("{not json", encoding="utf-8")
    _forget()
    assert len(overview.configured(settings, runtime).reviews) == 2
