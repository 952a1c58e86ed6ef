"""/api/labelling: make a task from a file or the shop's reviews, label it through the queue with
the real models' suggestions, export what ``shopgen intent train`` reads; bad input refused in
Chinese naming the field, and nothing written."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from shopgen.insight import datasets
from shopgen.models.textclf import read_labelled
from shopgen.security import audit
from shopgen.store.models import LabelItem
from tests.auth import bearer

TURNS = ["我的快递到哪了", "这件衣服有XL码吗", "怎么申请退货", "你们客服态度太差了"]
GOLD = ["shipping", "product", "return", "complaint"]
INTENTS = (
    "chitchat",
    "complaint",
    "human",
    "invoice",
    "order_status",
    "payment",
    "product",
    "promotion",
    "return",
    "shipping",
)


def _upload(client, name="意图第一批", kind="intent", body=None, filename="turns.jsonl", **form):
    body = body if body is not None else "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in TURNS)
    data = {"name": name, "kind": kind, **form}
    return client.post(
        "/api/labelling/tasks", data=data, files={"file": (filename, body.encode(), "application/jsonl")}
    )


def test_intent_task_labelled_through_the_queue_exports_what_intent_train_reads(client, app, tmp_path):
    r = _upload(client)
    assert r.status_code == 201, r.text
    task = r.json()
    assert task["kind"] == "intent" and task["progress"]["total"] == 4 and task["source"] == "上传 turns.jsonl"
    codes = [lb["code"] for lb in task["labels"]]
    assert codes == list(INTENTS)  # no label set given: the shipped model's ten, keys 1–9 and 0
    assert [lb["key"] for lb in task["labels"]] == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"]
    assert task["labels"][4] == {"code": "order_status", "name": "订单状态", "key": "5"}
    base = f"/api/labelling/tasks/{task['id']}"

    seen = []
    for _ in TURNS:
        item = client.get(f"{base}/next").json()["item"]
        assert item["suggested"] in codes and 0 < item["confidence"] <= 1
        seen.append(item["confidence"])
        label = dict(zip(TURNS, GOLD))[item["text"]]
        done = client.post(f"{base}/items/{item['id']}/label", json={"label": label}).json()
        assert done["item"]["final"] == label
    assert seen == sorted(seen)  # least confident first
    assert client.get(f"{base}/next").json() == {
        "item": None,
        "progress": {
            "total": 4,
            "done": 4,
            "skipped": 0,
            "pending": 0,
            "suggested": 4,
            "counts": {c: int(c in GOLD) for c in codes},
            "learned_from": 0,  # four labels: too few to learn from
        },
    }
    out = client.get(f"{base}/export")
    assert out.status_code == 200 and out.headers["content-type"].startswith("application/x-ndjson")
    assert f'filename="labelling-{task["id"]}-intent.jsonl"' in out.headers["content-disposition"]
    path = tmp_path / "labelled.jsonl"
    path.write_bytes(out.content)
    texts, labels = read_labelled(path)  # what `shopgen intent train --data` reads
    assert texts == TURNS and labels == GOLD
    with app.state.db.session() as s:
        actions = [(e.action, e.detail) for e in audit.query(s, action="labelling.")]
    assert actions[0] == ("labelling.export", {"kind": "intent", "items": 4})
    assert actions[1][0] == "labelling.create" and actions[1][1]["items"] == 4


def test_unknown_label_skip_and_undo(client):
    task = _upload(client, kind="sentiment", labels="positive, negative, neutral").json()
    assert [lb["code"] for lb in task["labels"]] == ["positive", "negative", "neutral"]
    base = f"/api/labelling/tasks/{task['id']}"
    item = client.get(f"{base}/next").json()["item"]
    assert item["suggested"] in ("positive", "negative")

    r = client.post(f"{base}/items/{item['id']}/label", json={"label": "angry"})
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["type"] == "invalid_input" and err["detail"] == {"field": "label"}
    assert err["message"] == "标签：没有“angry”这个标签，可选 正面（positive）、负面（negative）、中性（neutral）"
    r = client.post(f"{base}/items/{item['id']}/label", json={"label": "x" * 33})
    assert r.status_code == 422 and r.json()["error"]["message"] == "标签：最多 32 个字符"

    assert client.post(f"{base}/undo").json()["error"]["message"].startswith("没有可以撤销的标注")
    client.post(f"{base}/items/{item['id']}/label", json={"label": "neutral"})
    client.post(f"{base}/items/{client.get(f'{base}/next').json()['item']['id']}/skip")
    p = client.get(base).json()["progress"]
    assert (p["done"], p["skipped"], p["counts"]["neutral"]) == (1, 1, 1)
    undone = client.post(f"{base}/undo").json()
    assert undone["item"]["final"] is None and undone["progress"]["skipped"] == 0
    undone = client.post(f"{base}/undo").json()
    assert undone["item"]["id"] == item["id"] and undone["progress"]["done"] == 0
    gone = client.get(f"/api/labelling/tasks/{task['id'] + 1}/next")
    assert (
        gone.status_code == 404 and gone.json()["error"]["message"] == f"标注任务 {task['id'] + 1} 不存在，可能已被删除"
    )
    missing = client.post(f"/api/labelling/tasks/{task['id']}/items/999999/label", json={"label": "neutral"})
    assert missing.status_code == 404 and "条目 999999 不在标注任务" in missing.json()["error"]["message"]


def test_a_sentiment_export_is_what_insight_train_reads(client, tmp_path):
    task = _upload(client, kind="sentiment").json()
    base = f"/api/labelling/tasks/{task['id']}"
    for _ in TURNS:
        item = client.get(f"{base}/next").json()["item"]
        client.post(
            f"{base}/items/{item['id']}/label", json={"label": "positive" if "XL" in item["text"] else "negative"}
        )
    path = tmp_path / "sentiment.jsonl"
    path.write_bytes(client.get(f"{base}/export").content)
    assert datasets.read_labelled(path) == (TURNS, [0, 1, 0, 0])


@pytest.mark.parametrize(
    "form, message, field",
    [
        ({"body": ""}, "文件：turns.jsonl 是空文件", "file"),
        ({"body": "\n \n"}, "turns.jsonl：没有任何文本，请检查文件内容", "file"),
        (
            {"body": '{"text": "好"}\n{"text": 1}\nnope\n'},
            "turns.jsonl 第 2 行：缺少 text（应为非空文本）；第 3 行：不是有效的 JSON（第 1 列）（整个文件未导入）",
            "file",
        ),
        (
            {"filename": "turns.xlsx"},
            "文件：turns.xlsx 的格式不支持，请上传 .jsonl、.csv 或 .txt（每行一条文本）",
            "file",
        ),
        (
            {"kind": "emotion"},
            "标注类型：没有“emotion”这种类型，可选 意图（intent）、情感（sentiment）、评价方面（aspects）",
            "kind",
        ),
        ({"kind": ""}, "标注类型：必须填写，可选 意图（intent）、情感（sentiment）、评价方面（aspects）", "kind"),
        ({"name": " "}, "任务名称：不能为空", "name"),
        ({"labels": "只有一个"}, "标签集：至少要有 2 个标签", "labels"),
        (
            {"source": "weibo"},
            "来源：没有“weibo”这种来源，可选 上传文件（upload）、店铺评论（reviews）、买家对话（conversations）",
            "source",
        ),
    ],
)
def test_bad_tasks_are_refused_in_chinese_and_write_nothing(client, form, message, field):
    r = _upload(client, **form)
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["message"] == message and err["detail"]["field"] == field
    assert client.get("/api/labelling/tasks").json() == {"items": []}


def test_a_file_that_is_missing_is_named(client):
    r = client.post("/api/labelling/tasks", data={"name": "x", "kind": "intent"})
    assert r.status_code == 422 and r.json()["error"]["message"] == "文件：请选择要上传的文件"


def test_reviews_task_suggests_a_batch_and_hands_out_the_least_sure(client, app):
    r = client.post("/api/labelling/tasks", data={"name": "评论情感", "kind": "sentiment", "source": "reviews"})
    assert r.status_code == 201, r.text
    task = r.json()
    assert task["progress"]["total"] > 100 and task["source"] == "店铺评论 reviews.jsonl"
    item = client.get(f"/api/labelling/tasks/{task['id']}/next").json()["item"]
    with app.state.db.session() as s:
        scored = s.scalars(select(LabelItem.confidence).where(LabelItem.task_id == task["id"])).all()
    suggested = [c for c in scored if c is not None]
    assert len(suggested) == 100  # one batch, not the whole file
    assert item["confidence"] == min(suggested) and 0.5 <= item["confidence"] < 0.75


def test_aspect_suggestions_from_the_lexicon(client):
    body = '{"text": "物流很快，但是尺码偏小"}\n{"text": "挺好的"}\n'
    task = _upload(client, kind="aspects", body=body).json()
    assert [lb["code"] for lb in task["labels"]][:3] == ["质量", "尺码", "物流"]
    base = f"/api/labelling/tasks/{task['id']}"
    first = client.get(f"{base}/next").json()["item"]
    assert (first["text"], first["suggested"], first["confidence"]) == ("挺好的", [], 0.0)
    r = client.post(f"{base}/items/{first['id']}/label", json={"label": "物流"})
    assert r.status_code == 422 and r.json()["error"]["detail"] == {"field": "aspects"}
    client.post(f"{base}/items/{first['id']}/label", json={"aspects": []})
    second = client.get(f"{base}/next").json()["item"]
    assert sorted(second["suggested"]) == ["尺码", "物流"] and second["confidence"] == 1.0
    client.post(f"{base}/items/{second['id']}/label", json={"aspects": second["suggested"] + ["价格"]})
    lines = client.get(f"{base}/export").text.splitlines()
    assert [json.loads(x) for x in lines] == [
        {"text": "物流很快，但是尺码偏小", "aspects": ["尺码", "物流", "价格"]},
        {"text": "挺好的", "aspects": []},
    ]


def test_agents_label_hosts_and_shoppers_may_not(app, client):
    task = _upload(client).json()
    with TestClient(app, headers=bearer(app.state.db, "agent")) as agent:
        assert agent.get(f"/api/labelling/tasks/{task['id']}/next").status_code == 200
    for role in ("host", "shopper"):
        with TestClient(app, headers=bearer(app.state.db, role)) as other:
            r = other.get("/api/labelling/tasks")
            assert r.status_code == 403 and "需要运营或客服权限" in r.json()["error"]["message"]
