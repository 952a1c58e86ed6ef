"""The studio service over a data folder, and catalog batches: local, resumed, and on a local Ray."""

from __future__ import annotations

import json
import time

import pytest

from shopgen.core.errors import InvalidInput, NotFound
from shopgen.visual.batch import StudioFactory, VisualJobs, records_in, run_batch
from shopgen.visual.service import VisualStudio, copy_from_product
from tests.visual.conftest import photo

pytestmark = pytest.mark.usefixtures("cjk")


@pytest.fixture
def static(tmp_path):
    d = tmp_path / "static"
    (d / "demo").mkdir(parents=True)
    for i, c in enumerate([(200, 40, 40), (40, 120, 200), (40, 160, 60)]):
        photo(colour=c).save(d / "demo" / f"P{i}.png")
    return d


def _products(n=3):
    return [
        {
            "sku": f"P{i}",
            "title": f"测试商品{i} 好用",
            "price": "59.00",
            "brand": "牌子",
            "attributes": {"材质": "纯棉", "产地": "广东"},
            "images": [{"url": f"/static/demo/P{i}.png"}],
        }
        for i in range(n)
    ]


def test_copy_from_product_uses_title_attributes_and_price():
    c = copy_from_product(_products(1)[0]).check()
    assert c.title == "测试商品0 好用" and c.selling_points == ["材质 纯棉", "产地 广东"] and c.price == "59.00"


def test_service_cutout_posters_edit_and_files(tmp_path, static, segmenter):
    studio = VisualStudio(tmp_path, lambda: segmenter, static_dir=static)
    info = studio.cutout(product=_products(1)[0])
    assert info["asset"] == "sku-P0" and info["sku"] == "P0"
    assert studio.cutout(product=_products(1)[0])["ms"] == info["ms"]  # made once, then reused
    r = studio.posters("sku-P0", copy_from_product(_products(1)[0]), "banner", keep=2)
    assert len(r["candidates"]) == 2 and studio.file("sku-P0", "poster-banner-0.svg").is_file()
    edited = studio.edit("sku-P0", "poster-banner-0", {"title": {"text": "新标题"}})
    assert next(t for t in edited["texts"] if t["id"] == "title")["text"] == "新标题"
    assert studio.main_image("sku-P0", "3:4")["size"] == [750, 1000]
    with pytest.raises(NotFound):
        studio.file("sku-P0", "../../etc/passwd")
    with pytest.raises(InvalidInput, match="asset"):
        studio.folder("../x")
    with pytest.raises(NotFound, match="no local image"):
        studio.cutout(product={"sku": "Q", "images": [{"url": "https://example.com/q.png"}]})


def _fake_factory(tmp_path, static):
    return StudioFactory(str(tmp_path / "data"), str(static), "fake")


def test_batch_writes_one_record_per_product_and_resumes(tmp_path, static):
    out = tmp_path / "out.jsonl"
    r = run_batch(_products(2), _fake_factory(tmp_path, static), out, formats=["feed", "banner"])
    assert r["written"] == 2 and r["failed"] == []
    recs = records_in(out)
    assert [x["sku"] for x in recs] == ["P0", "P1"] and set(recs[0]["posters"]) == {"feed", "banner"}
    with out.open("a") as f:
        f.write('{"sku": "P2", "half')  # a crash mid-line
    r = run_batch(_products(3), _fake_factory(tmp_path, static), out, resume=True)
    assert r["skipped"] == 2 and r["written"] == 1
    assert [json.loads(x)["sku"] for x in out.read_text().splitlines()] == ["P0", "P1", "P2"]
    bad = _products(1)
    bad[0]["images"] = []
    assert run_batch(bad, _fake_factory(tmp_path, static), tmp_path / "b.jsonl")["failed"][0]["sku"] == "P0"
    with pytest.raises(InvalidInput, match="engine"):
        run_batch([], _fake_factory(tmp_path, static), out, engine="spark")


def test_background_job_reports_progress(tmp_path, static):
    jobs = VisualJobs(tmp_path, _fake_factory(tmp_path, static), lambda cat, limit: _products(2))
    state = jobs.start(formats=["feed"])
    for _ in range(300):
        if jobs.get(state["job_id"])["status"] != "running":
            break
        time.sleep(0.1)
    done = jobs.get(state["job_id"])
    assert done["status"] == "done" and done["done"] == 2 and len(jobs.results(state["job_id"])) == 2
    with pytest.raises(InvalidInput, match="only interrupted or failed"):
        jobs.resume(state["job_id"])
    with pytest.raises(NotFound):
        jobs.get("nope")


@pytest.mark.slow
def test_ray_engine_on_local_ray(tmp_path, static):
    pytest.importorskip("ray", reason="pip install 'shopgen[ray]'")
    r = run_batch(_products(2), _fake_factory(tmp_path, static), tmp_path / "ray.jsonl", engine="ray")
    assert r["written"] == 2 and [x["sku"] for x in records_in(tmp_path / "ray.jsonl")] == ["P0", "P1"]
