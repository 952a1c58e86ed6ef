"""/api/visual: cut-out (product or upload), posters, edit, main image, scene, video, files,
batch; errors in the one JSON shape naming the field."""

from __future__ import annotations

import io

import pytest

pytest.importorskip("PIL", reason="pip install 'shopgen[visual]'")
from fastapi.testclient import TestClient  # noqa: E402
from PIL import Image  # noqa: E402

from shopgen.core import fonts  # noqa: E402
from shopgen.core.settings import Settings  # noqa: E402
from shopgen.demo import loader  # noqa: E402
from shopgen.server import create_app  # noqa: E402
from tests.auth import bearer  # noqa: E402


@pytest.fixture
def vclient(tmp_path):
    try:
        fonts.cjk_font()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"no CJK font: {exc}")
    app = create_app(Settings(data_dir=tmp_path, llm_backend="fake", embed_backend="fake", vision_segmenter="fake"))
    loader.load_demo(app.state.db)
    with TestClient(app, headers=bearer(app.state.db, "operator")) as c:
        yield c
    app.state.db.dispose()


def test_product_to_posters_edit_and_download(vclient):
    r = vclient.post("/api/visual/cutout/product", json={"sku": "MZ-2001"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["asset"] == "sku-MZ-2001" and body["copy"]["price"] == "139.00"
    r = vclient.post("/api/visual/posters", json={"asset": "sku-MZ-2001", "format": "story", "keep": 3})
    cands = r.json()["candidates"]
    assert r.status_code == 200 and len(cands) == 3 and cands[0]["score"]["eligible"]
    png = vclient.get(f"/api/visual/files/sku-MZ-2001/{cands[0]['png']}")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(png.content)) as im:
        assert im.size == (1080, 1920)
    r = vclient.post(
        f"/api/visual/posters/sku-MZ-2001/{cands[0]['name']}", json={"edits": {"title": {"text": "面霜上新"}}}
    )
    assert r.status_code == 200 and any(t["text"] == "面霜上新" for t in r.json()["texts"])
    doc = vclient.get(f"/api/visual/files/sku-MZ-2001/{cands[0]['json']}").json()
    r = vclient.post(f"/api/visual/posters/sku-MZ-2001/{cands[0]['name']}", json={"document": doc})
    assert r.status_code == 200
    assert vclient.post("/api/visual/main-image", json={"asset": "sku-MZ-2001"}).json()["size"] == [800, 800]
    assert (
        vclient.post("/api/visual/scene", json={"asset": "sku-MZ-2001", "texture": "wood"}).json()["backend"]
        == "composite"
    )


def test_upload_and_errors_name_the_field(vclient):
    buf = io.BytesIO()
    im = Image.new("RGB", (200, 160), (240, 240, 240))
    im.paste((30, 90, 200), (50, 40, 150, 130))
    im.save(buf, "JPEG")
    r = vclient.post("/api/visual/cutout", files={"file": ("shoe.jpg", buf.getvalue(), "image/jpeg")})
    assert r.status_code == 200 and r.json()["asset"].startswith("up-")
    asset = r.json()["asset"]
    r = vclient.post("/api/visual/posters", json={"asset": asset, "format": "feed"})
    assert r.status_code == 422 and r.json()["error"]["detail"]["field"] == "copy"
    copy = {"title": "跑鞋", "selling_points": ["轻"], "price": "免费"}
    r = vclient.post("/api/visual/posters", json={"asset": asset, "format": "feed", "copy": copy})
    assert r.status_code == 422 and r.json()["error"]["message"].startswith("price")
    r = vclient.post("/api/visual/cutout", files={"file": ("x.jpg", b"not an image", "image/jpeg")})
    assert r.status_code == 422 and "not an image" in r.json()["error"]["message"]
    blank = io.BytesIO()
    Image.new("RGB", (100, 100), (250, 250, 250)).save(blank, "PNG")
    r = vclient.post("/api/visual/cutout", files={"file": ("b.png", blank.getvalue(), "image/png")})
    assert r.status_code == 422 and "no product detected" in r.json()["error"]["message"]
    assert vclient.get("/api/visual/files/sku-NOPE/x.png").status_code == 404
    assert vclient.post("/api/visual/cutout/product", json={"sku": "NOPE"}).status_code == 404


def test_needs_operator(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, llm_backend="fake", embed_backend="fake", vision_segmenter="fake"))
    with TestClient(app) as c:
        assert c.get("/api/visual/formats").status_code == 401
        assert c.get("/api/visual/formats", headers=bearer(app.state.db, "host")).status_code == 403
        assert len(c.get("/api/visual/formats", headers=bearer(app.state.db, "operator")).json()) == 5
    app.state.db.dispose()
