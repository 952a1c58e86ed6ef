"""Serving: warm and cold shoppers, cold items, business rules, reasons, freshness, 404s."""

from __future__ import annotations

import pytest

from shopgen.core.errors import InvalidInput, NotFound
from shopgen.events import store as events
from shopgen.events.hub import Ingested
from shopgen.events.schema import EventIn
from shopgen.store import catalog
from shopgen.store.schemas import ProductIn, ProductPatch
from tests.recommend.conftest import BEAUTY, CLOTHES


def skus(r) -> list[str]:
    return [i["sku"] for i in r["items"]]


def test_a_warm_shopper_gets_their_group_with_reasons(service):
    r = service.for_user("s00", k=4)  # s00 viewed and bought clothes
    assert r["cold_start"] is False and r["model"] == "hybrid"
    assert len(r["history"]) == 4 and {h["sku"] for h in r["history"]} == set(CLOTHES)
    assert not set(skus(r)) & set(CLOTHES)  # not what they already have
    assert all(i["reason"]["text"] for i in r["items"]) and len(r["items"]) == 4
    # diversity: at most 40 % (2 of 4) from one category
    cats = [i["category"] for i in r["items"]]
    assert max(cats.count(c) for c in cats) <= 2


def test_one_view_is_enough_for_a_new_shopper(service, shop):
    service.for_user("s00")  # the model is trained now; what follows is not in it
    with shop.session() as s:
        events.ingest(s, [EventIn(user="newbie", item="MZ-2001", type="view", ts=1_762_200_000)])
    r = service.for_user("newbie", k=3)
    assert r["cold_start"] is True
    # what beauty shoppers view with it; the third from another category (diversity: ≤ 40 % each)
    assert set(skus(r)[:2]) <= set(BEAUTY) - {"MZ-2001"} and r["items"][2]["category"] != "美妆"
    assert r["items"][0]["reason"] == {
        "code": "because_view",
        "text": "因为你看过「温和保湿面霜 敏感肌可用 神…」",
        "because": "MZ-2001",
    }


def test_an_empty_history_gets_what_sells_and_an_unknown_id_is_404(service):
    r = service.for_user("window-shopper", k=3)  # only an impression: exposure, not interest
    assert r["cold_start"] is True
    assert [i["reason"]["code"] for i in r["items"]] == ["popular"] * 3
    assert set(skus(r)) <= set(CLOTHES + BEAUTY)  # the most interacted items
    with pytest.raises(NotFound, match="shopper 'ghost' has no history"):
        service.for_user("ghost")
    with pytest.raises(NotFound, match="product 'NOPE-1' is not in this shop"):
        service.similar("NOPE-1")
    with pytest.raises(InvalidInput, match="unknown surface"):
        service.for_user("s00", surface="feed")


def test_drafts_and_out_of_stock_are_never_recommended(service, shop):
    with shop.session() as s:
        catalog.update(s, catalog.get_by_sku(s, "MZ-2004").id, ProductPatch(status="draft"))
        p = catalog.get_by_sku(s, "MZ-2005")
        variants = [{"sku": v.sku, "color": v.color, "size": v.size, "stock": 0} for v in p.variants]
        catalog.update(s, p.id, ProductPatch.model_validate({"variants": variants}))
    for user in ("s01", "s03", "s05"):
        assert not {"MZ-2004", "MZ-2005"} & set(skus(service.for_user(user, k=20)))
    assert not {"MZ-2004", "MZ-2005"} & set(skus(service.similar("MZ-2001", k=20)))


def test_a_new_product_is_recommended_from_its_text(service, shop):
    assert "MZ-9001" not in skus(service.for_user("s01", k=10))
    with shop.session() as s:
        cream = catalog.to_dict(catalog.get_by_sku(s, "MZ-2001"))
        new = {k: cream[k] for k in ("category", "brand", "price", "description", "attributes")}
        new |= {"sku": "MZ-9001", "title": cream["title"] + " 旅行装", "variants": [{"sku": "MZ-9001-15", "stock": 30}]}
        catalog.create(s, ProductIn.model_validate(new))
    service._checked = 0.0  # the next request looks at the catalog again (normally within a second)
    sim = {i["sku"]: i["reason"]["code"] for i in service.similar("MZ-2001", k=5)["items"]}
    assert sim.get("MZ-9001") == "similar_text"  # no interactions at all: ranked by what it says
    assert "MZ-9001" in skus(service.for_user("s01", k=10))


def test_similar_items_reasons(service):
    r = service.similar("FZ-1001", k=3)
    assert r["product"]["sku"] == "FZ-1001" and "FZ-1001" not in skus(r)
    codes = {i["sku"]: i["reason"] for i in r["items"]}
    assert codes["FZ-1003"]["text"] == "同款面料：棉"  # 100%棉 and 98%棉: same main fibre
    assert set(skus(r)) <= set(CLOTHES)


def test_answers_are_cached_and_refreshed_by_an_ingest(service, shop):
    with shop.session() as s:
        events.ingest(s, [EventIn(user="fresh", item="FZ-1001", type="view", ts=1_762_300_000)])
    a = service.for_user("fresh", k=3)
    assert service.for_user("fresh", k=3) is a  # cached
    with shop.session() as s:
        r = events.ingest(s, [EventIn(user="fresh", item="MZ-2001", type="cart", ts=1_762_300_100)])
    service.on_ingest(r)  # what the EventHub does after a committed ingest
    b = service.for_user("fresh", k=3)
    assert b is not a and b["history"][0]["sku"] == "MZ-2001"
    service.on_ingest(Ingested(1, 0, 1))  # nothing new stored: the cache stays
    assert service.for_user("fresh", k=3) is b


def test_the_model_is_saved_and_reloaded(service, tmp_path, shop):
    info = service.train()
    assert info["model"] == "hybrid" and info["n_users"] == 12 and service.path.is_file()
    from shopgen.models.embed.fake import FakeEmbedder
    from shopgen.recommend.service import RecommendService

    again = RecommendService(shop, service.model_dir, embedder=FakeEmbedder)
    assert skus(again.for_user("s00", k=4)) == skus(service.for_user("s00", k=4))
    assert again._trained.info["trained_at"] == info["trained_at"]  # loaded, not retrained
