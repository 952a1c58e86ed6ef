"""/api/insight: sentiment and aspects of posted texts, and the dashboard's alerts and overview
over the demo reviews (or SHOPGEN_INSIGHT_REVIEWS)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from shopgen.core.settings import Settings
from shopgen.demo import loader
from shopgen.insight import overview
from shopgen.insight.sources import DEMO_REVIEWS
from shopgen.server import create_app
from tests.auth import bearer

BAD_BATCH = ("2026-11-05T00:00:00+00:00", "product:FZ-1002", "volume")


@pytest.fixture
def demo_client(tmp_path):
    """An operator's API client on a shop with the demo catalog (reviews name products by SKU)."""
    app = create_app(Settings(data_dir=tmp_path, llm_backend="fake", embed_backend="fake"))
    loader.load_demo(app.state.db)
    with TestClient(app, headers=bearer(app.state.db, "operator")) as c:
        yield c
    app.state.db.dispose()


def _key(a: dict) -> tuple:
    return a["time"], a["scope"], a["metric"]


def test_sentiment_batch(client):
    r = client.post(
        "/api/insight/sentiment",
        json={"texts": ["质量太差了，我要退货", "很好用，物流也快，五星好评", "great product"]},
    )
    assert r.status_code == 200
    out = r.json()
    assert [x["label"] for x in out] == ["negative", "positive", out[2]["label"]]
    assert [x["language"] for x in out] == ["zh", "zh", "non-zh"]
    assert out[0]["score"] < 0.5 < out[1]["score"]
    assert set(out[0]) == {"label", "score", "language"}


@pytest.mark.parametrize(
    "body, where",
    [
        ({"texts": []}, ["body", "texts"]),
        ({"texts": ["好"] * 1001}, ["body", "texts"]),
        ({"texts": ["好", ""]}, ["body", "texts", 1]),
        ({"texts": ["差" * 2001]}, ["body", "texts", 0]),
        ({}, ["body", "texts"]),
        ({"texts": ["好"], "extra": 1}, ["body", "extra"]),
    ],
)
def test_sentiment_validation(client, body, where):
    r = client.post("/api/insight/sentiment", json=body)
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["type"] == "invalid_input"
    assert any(d["loc"] == where for d in err["detail"]), err["detail"]


def test_sentiment_blank_text_is_refused_in_the_error_shape(client):
    r = client.post("/api/insight/sentiment", json={"texts": ["好", "   "]})
    assert r.status_code == 422
    assert r.json()["error"] == {"type": "invalid_input", "message": "text 2 is empty", "detail": None}


def test_sentiment_accepts_the_limits(client):
    r = client.post("/api/insight/sentiment", json={"texts": ["好" * 2000] + ["不错"] * 999})
    assert r.status_code == 200 and len(r.json()) == 1000


def test_aspects(client):
    r = client.post("/api/insight/aspects", json={"text": "衣服质量很好，就是尺码偏大"})
    assert r.status_code == 200
    found = {a["aspect"]: a["polarity"] for a in r.json()["aspects"]}
    assert found == {"质量": "positive", "尺码": "negative"}
    for bad in ({"text": ""}, {"text": "大" * 2001}, {}, {"text": 5}):
        r = client.post("/api/insight/aspects", json=bad)
        assert r.status_code == 422 and r.json()["error"]["type"] == "invalid_input", bad


def test_alerts_from_the_demo_reviews(demo_client):
    r = demo_client.get("/api/insight/alerts")
    assert r.status_code == 200
    body = r.json()
    keys = [_key(a) for a in body["items"]]
    assert BAD_BATCH in keys
    assert ("2026-11-05T00:00:00+00:00", "all", "negative_rate") in keys
    jacket = next(a for a in body["items"] if _key(a) == BAD_BATCH)
    assert jacket["value"] == 20 and jacket["baseline"] == 3.0 and jacket["sources"] == ["reviews"]
    assert len(jacket["evidence"]) == 3 and all(isinstance(t, str) and t for t in jacket["evidence"])
    assert body["total"] == len(body["items"]) and body["skipped_log_lines"] == 0


def test_alerts_include_the_studio_log_and_merge_duplicates(demo_client):
    settings = demo_client.app.state.settings
    log = settings.data_dir / "insight" / "alerts.jsonl"
    log.parent.mkdir(parents=True)
    same = {
        "time": BAD_BATCH[0],
        "end": "2026-11-12T00:00:00+00:00",
        "scope": BAD_BATCH[1],
        "metric": "volume",
        "value": 20,
        "baseline": 3.0,
        "z": 9.81,
        "evidence": ["跑绒"],
    }
    other = {
        "time": "2026-11-20T10:00:00+00:00",
        "end": "2026-11-20T11:00:00+00:00",
        "scope": "product:MZ-2002",
        "metric": "negative_rate",
        "value": 0.8,
        "baseline": 0.1,
        "z": 5.0,
        "evidence": ["过敏了"],
    }
    log.write_text(
        "\n".join(json.dumps(a, ensure_ascii=False) for a in (same, other)) + "\nnot json\n", encoding="utf-8"
    )
    body = demo_client.get("/api/insight/alerts").json()
    assert body["skipped_log_lines"] == 1
    assert [_key(a) for a in body["items"]].count(BAD_BATCH) == 1
    assert next(a for a in body["items"] if _key(a) == BAD_BATCH)["sources"] == ["reviews", "log"]
    assert body["items"][0]["scope"] == "product:MZ-2002"  # newest first
    only = demo_client.get("/api/insight/alerts", params={"product_sku": "MZ-2002"}).json()
    assert [a["scope"] for a in only["items"]] == ["product:MZ-2002"]


def test_overview_all_and_filtered(demo_client):
    o = demo_client.get("/api/insight/overview").json()
    lines = sum(1 for line in DEMO_REVIEWS.read_text(encoding="utf-8").splitlines() if line.strip())
    assert o["counts"]["reviews"] == lines == 310
    assert o["counts"]["negative"] + o["counts"]["positive"] == 310
    assert sum(w["reviews"] for w in o["weeks"]) == 310
    worst = max(o["weeks"], key=lambda w: w["negative_share"])
    assert worst["week"] == "2026-11-05"  # the week of the down jacket's bad batch
    assert {a["aspect"] for a in o["aspects"]} >= {"质量", "尺码", "物流"}
    assert all(a["total"] == a["positive"] + a["negative"] + a["mixed"] for a in o["aspects"])
    assert 2 <= len(o["themes"]) <= 5 and all(t["keywords"] and t["examples"] for t in o["themes"])

    jacket = demo_client.get("/api/insight/overview", params={"product_sku": "FZ-1002"}).json()
    assert jacket["counts"]["reviews"] == 39 and jacket["counts"]["products"] == 1
    assert jacket["filter"] == {"product_sku": "FZ-1002", "brand": None}
    assert any({"跑绒", "钻绒"} & set(t["keywords"]) for t in jacket["themes"])


def test_overview_by_brand_uses_the_catalog(demo_client):
    products = map(json.loads, (loader.DATA / "products.jsonl").read_text(encoding="utf-8").splitlines())
    brand = next(p["brand"] for p in products if p["sku"] == "FZ-1002")
    o = demo_client.get("/api/insight/overview", params={"brand": brand}).json()
    assert 39 <= o["counts"]["reviews"] < 310
    none = demo_client.get("/api/insight/overview", params={"brand": "没有这个品牌"}).json()
    assert none["counts"] == {"reviews": 0, "negative": 0, "positive": 0, "negative_share": 0.0, "products": 0}
    assert none["weeks"] == [] and none["themes"] == []
    r = demo_client.get("/api/insight/overview", params={"brand": "x" * 65})
    assert r.status_code == 422 and r.json()["error"]["type"] == "invalid_input"


def test_configured_reviews_file_and_content_cache(tmp_path):
    reviews = tmp_path / "mine.jsonl"
    rows = [
        {
            "product_sku": "A-1",
            "ts": f"2026-10-{d:02d}T10:00:00",
            "rating": 1 if d % 2 else 5,
            "text": "质量太差了，退货" if d % 2 else "很好，推荐购买",
        }
        for d in range(1, 11)
    ]
    reviews.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    app = create_app(
        Settings(data_dir=tmp_path / "d", llm_backend="fake", embed_backend="fake", insight_reviews=reviews)
    )
    with TestClient(app, headers=bearer(app.state.db, "operator")) as c:
        o = c.get("/api/insight/overview").json()
        assert o["file"] == "mine.jsonl" and o["counts"]["reviews"] == 10 and o["counts"]["negative"] == 5
        first = overview.configured(app.state.settings, app.state.runtime)
        assert overview.configured(app.state.settings, app.state.runtime) is first  # same content: computed once
        with reviews.open("a", encoding="utf-8") as fh:
            fh.write(
                json.dumps({"product_sku": "A-1", "ts": "2026-10-11T10:00:00", "text": "一般"}, ensure_ascii=False)
                + "\n"
            )
        assert c.get("/api/insight/overview").json()["counts"]["reviews"] == 11
        reviews.unlink()
        r = c.get("/api/insight/alerts")
        assert r.status_code == 500 and r.json()["error"]["type"] == "config_error"
        assert "SHOPGEN_INSIGHT_REVIEWS" in r.json()["error"]["message"]
    app.state.db.dispose()


def test_a_bad_reviews_file_names_its_line(tmp_path):
    reviews = tmp_path / "bad.jsonl"
    reviews.write_text(
        '{"ts": "2026-10-01T00:00:00", "text": "好"}\n{"ts": "yesterday", "text": "差"}\n', encoding="utf-8"
    )
    app = create_app(
        Settings(data_dir=tmp_path / "d", llm_backend="fake", embed_backend="fake", insight_reviews=reviews)
    )
    with TestClient(app, headers=bearer(app.state.db, "operator")) as c:
        r = c.get("/api/insight/overview")
    assert r.status_code == 422
    assert r.json()["error"]["type"] == "import_failed" and "bad.jsonl line 2" in r.json()["error"]["message"]
    app.state.db.dispose()


@pytest.mark.parametrize(
    "role, status", [("agent", 403), ("host", 403), ("shopper", 403), ("ingest", 403), ("admin", 200)]
)
def test_roles(app, role, status):
    with TestClient(app, headers=bearer(app.state.db, role)) as c:
        assert c.post("/api/insight/sentiment", json={"texts": ["好"]}).status_code == status
        assert c.get("/api/insight/alerts").status_code == status


def test_anonymous_is_refused(anon):
    r = anon.post("/api/insight/aspects", json={"text": "好"})
    assert r.status_code == 401 and r.json()["error"]["type"] == "unauthorized"
