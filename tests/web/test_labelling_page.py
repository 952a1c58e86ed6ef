"""数据标注 (/labelling): the task list and its form (post/redirect/get; a bad file is shown
again in Chinese, nothing written), the queue page, deleting (operators only, audited)."""

from __future__ import annotations

import re

import pytest

from shopgen.core.settings import Settings
from shopgen.security import audit
from shopgen.server import create_app
from tests.auth import page_csrf, studio


@pytest.fixture
def app(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, llm_backend="fake", embed_backend="fake"))
    yield app
    app.state.db.dispose()


def _create(client, body: bytes, filename="c.txt", **form):
    data = {"csrf_token": page_csrf(client, "/labelling"), "name": "买家消息", "kind": "intent", "source": "upload"}
    return client.post(
        "/labelling", data={**data, **form}, files={"file": (filename, body, "text/plain")}, follow_redirects=False
    )


def test_agent_makes_a_task_and_opens_its_queue(app):
    with studio(app, "agent") as c:
        html = c.get("/labelling").text
        assert "<h1>数据标注</h1>" in html and 'id="tasks-empty"' in html
        r = _create(c, "我的快递到哪了\n有没有发票\n".encode())
        assert r.status_code == 303 and re.fullmatch(r"/labelling/\d+", r.headers["location"])
        queue = c.get(r.headers["location"]).text
        assert "买家消息" in queue and 'data-kind="intent"' in queue and "/static/labelling.js" in queue
        assert (
            queue.count('class="label-key"') == 10
            and '<kbd>0</kbd><span class="label-words"><span class="label-name">物流配送</span>' in queue
        )
        assert (
            '<kbd>5</kbd><span class="label-words"><span class="label-name">订单状态</span><span class="label-code">order_status</span>'
            in queue
        )
        assert "置信度最低" in queue and "删除任务" not in queue  # deleting is for operators
        listing = c.get("/labelling").text
        assert "data-progress>0 / 2<" in listing and "开始标注" in listing


def test_a_bad_file_is_shown_again_in_chinese_and_nothing_is_written(app):
    with studio(app, "operator") as c:
        r = _create(c, b'{"text": "ok"}\n{bad\n', filename="m.jsonl", name="我的任务", kind="sentiment")
        assert r.status_code == 422
        assert "m.jsonl 第 2 行：不是有效的 JSON（第 2 列）（整个文件未导入）" in r.text
        assert 'value="我的任务"' in r.text and '<option value="sentiment" selected>' in r.text
        assert 'id="tasks-empty"' in r.text
        r = _create(c, b"", filename="e.txt")
        assert r.status_code == 422 and "文件：e.txt 是空文件" in r.text


def test_operator_deletes_a_task_and_it_is_audited(app):
    with studio(app, "operator") as c:
        location = _create(c, "好\n差\n".encode()).headers["location"]
        task_id = int(location.rsplit("/", 1)[1])
        assert "删除任务" in c.get(location).text
        r = c.post(f"{location}/delete", data={"csrf_token": page_csrf(c, location)}, follow_redirects=False)
        assert r.status_code == 303
        assert "已删除任务「买家消息」" in c.get(r.headers["location"]).text
        assert c.get(location).status_code == 404
    with app.state.db.session() as s:
        assert [(e.action, e.target) for e in audit.query(s, action="labelling.")] == [
            ("labelling.delete", f"label_task:{task_id}"),
            ("labelling.create", f"label_task:{task_id}"),
        ]
