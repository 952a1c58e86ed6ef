"""/api/assist/synonyms: the shop's synonym groups over the API, in the one error shape."""

import pytest
from fastapi.testclient import TestClient

from shopgen.core.settings import Settings
from shopgen.server import create_app
from shopgen.store.models import KBEntry
from tests.auth import bearer
from tests.http import error


@pytest.fixture
def shop(tmp_path):
    syn = tmp_path / "synonyms.txt"
    syn.write_text("运费险 退货险\n", encoding="utf-8")
    app = create_app(Settings(data_dir=tmp_path, llm_backend="fake", embed_backend="fake", kb_synonyms=syn))
    with app.state.db.session() as s:
        s.add(KBEntry(kind="faq", topic="商品", question="帆布鞋怎么清洗", answer="用软毛刷蘸清水刷洗，阴干。"))
        s.add(KBEntry(kind="faq", topic="物流", question="几天发货", answer="48小时内发货。"))
    return app


@pytest.fixture
def op(shop):
    with TestClient(shop, headers=bearer(shop.state.db, "operator")) as c:
        yield c


def test_groups_are_added_listed_edited_and_deleted(op):
    listed = op.get("/api/assist/synonyms").json()
    assert listed == {"groups": [], "file_groups": [["运费险", "退货险"]]}
    r = op.post("/api/assist/synonyms", json={"words": ["小白鞋", "帆布鞋"]})
    assert r.status_code == 201, r.text
    gid = r.json()["id"]
    assert op.get("/api/assist/synonyms/preview", params={"q": "小白鞋脏了"}).json()["added"] == ["帆布鞋"]
    r = op.put(f"/api/assist/synonyms/{gid}", json={"words": ["小黑鞋", "帆布鞋"]})
    assert r.status_code == 200 and r.json()["words"] == ["小黑鞋", "帆布鞋"]
    p = op.get("/api/assist/synonyms/preview", params={"q": "小黑鞋脏了"}).json()
    assert p["added"] == ["帆布鞋"] and {h["title"] for h in p["with"]} == {"帆布鞋怎么清洗", "几天发货"}
    assert op.get("/api/assist/synonyms/preview", params={"q": "运费险怎么赔"}).json()["added"] == ["退货险"]
    assert op.delete(f"/api/assist/synonyms/{gid}").status_code == 204
    assert op.get("/api/assist/synonyms").json()["groups"] == []
    assert op.get("/api/assist/synonyms/preview", params={"q": "小黑鞋脏了"}).json()["added"] == []


def test_bad_groups_get_a_clear_error_and_change_nothing(op):
    assert error(op.post("/api/assist/synonyms", json={"words": ["鞋", "靴子"]}), 422, "invalid_input")
    err = error(op.post("/api/assist/synonyms", json={"words": ["帆布鞋"]}), 422, "invalid_input")
    assert err["message"].startswith("同义词")
    error(
        op.post("/api/assist/synonyms", content=b"{not json", headers={"Content-Type": "application/json"}),
        422,
        "invalid_input",
    )
    assert op.post("/api/assist/synonyms", json={"words": ["小白鞋", "帆布鞋"]}).status_code == 201
    assert (
        "已有相同的同义词组"
        in error(op.post("/api/assist/synonyms", json={"words": ["帆布鞋", "小白鞋"]}), 409, "conflict")["message"]
    )
    error(op.put("/api/assist/synonyms/999", json={"words": ["小白鞋", "板鞋"]}), 404, "not_found")
    error(op.delete("/api/assist/synonyms/999"), 404, "not_found")
    error(op.get("/api/assist/synonyms/preview"), 422, "invalid_input")
    assert [g["words"] for g in op.get("/api/assist/synonyms").json()["groups"]] == [["小白鞋", "帆布鞋"]]


def test_agents_and_shoppers_may_not_edit_them(shop):
    for role in ("agent", "shopper"):
        with TestClient(shop, headers=bearer(shop.state.db, role)) as c:
            error(c.post("/api/assist/synonyms", json={"words": ["小白鞋", "帆布鞋"]}), 403, "forbidden")


def test_unknown_words_come_from_unanswered_questions(shop, op):
    from tests.assistant.test_synonyms import _asked

    _asked(shop.state.db, "小白鞋怎么洗", "abstain")
    _asked(shop.state.db, "小白鞋发黄了", "abstain")
    r = op.get("/api/assist/synonyms/unknown")
    assert r.status_code == 200 and r.json()["days"] == 30
    assert [w["word"] for w in r.json()["words"]] == ["小白鞋"]
    error(op.get("/api/assist/synonyms/unknown", params={"days": 0}), 422, "invalid_input")
