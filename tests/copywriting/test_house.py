"""House-style exemplars: a pairs file plus the shop's approved description drafts, rebuilt when
the approved set changes. SQLite store, demo catalog."""

import pytest

from shopgen.copywriting import drafts
from shopgen.copywriting.attrs import product_facts
from shopgen.copywriting.generate import CopyResult
from shopgen.copywriting.house import HouseExemplars, approved_pairs
from shopgen.core.errors import ConfigError
from shopgen.demo.loader import load_demo
from shopgen.security.principal import Principal
from shopgen.store import catalog

from .conftest import write_pairs

LEAD = Principal(kind="user", name="lead", role="admin", user_id=1)
APPROVED = "这款T恤是店里的招牌基础款，纯棉面料柔软亲肤，版型利落，搭配牛仔裤或短裤都好看，日常通勤和周末出游都合适，洗后也不易变形。"


@pytest.fixture
def shop(sqlite_db):
    load_demo(sqlite_db)
    return sqlite_db


def _draft(db, sku, text, kind="description", approve=True) -> int:
    with db.session() as s:
        d = drafts.save(s, catalog.get_by_sku(s, sku), CopyResult(text, kind, [], [], 1, "m", 0.1))
        did = d.id
    if approve:
        with db.session() as s:
            drafts.approve(s, LEAD, did)
    return did


def test_only_approved_descriptions_become_pairs_with_the_products_facts(shop):
    _draft(shop, "FZ-1001", APPROVED)
    _draft(shop, "FZ-1001", "待审核的文案，还没有人看过它，不能当作店铺风格的参考。", approve=False)
    _draft(shop, "FZ-1001", "纯棉圆领短袖T恤", kind="title")
    with shop.session() as s:
        pairs = approved_pairs(s)
        facts = product_facts(catalog.get_by_sku(s, "FZ-1001"))
    assert len(pairs) == 1
    content, summary = pairs[0]
    assert summary == APPROVED and content.startswith(f"品名#{facts[0][1]}") and "类型#服装" in content


def test_the_store_joins_the_file_and_follows_new_approvals(shop, tmp_path):
    path = write_pairs(tmp_path / "house.jsonl", [("类型#裙*颜色#红色", "红色连衣裙文案，温柔大方，适合约会。")])
    house = HouseExemplars(shop, path)
    first = house.store()
    assert len(first) == 1 and house.store() is first  # nothing changed: the same store, not rebuilt
    _draft(shop, "FZ-1001", APPROVED)
    second = house.store()
    assert second is not first and len(second) == 2
    with shop.session() as s:
        facts = product_facts(catalog.get_by_sku(s, "FZ-1002"))
    assert APPROVED in [e.summary for e in second.similar(facts, 2)]


def test_no_file_and_nothing_approved_means_no_exemplars(shop, tmp_path):
    assert HouseExemplars(shop, None).store() is None
    with pytest.raises(ConfigError, match="SHOPGEN_COPY_EXEMPLARS"):
        HouseExemplars(shop, tmp_path / "missing.jsonl")
