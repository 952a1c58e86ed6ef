"""同义词 (/assist/synonyms): an operator adds groups line by line, edits, deletes and tries a
question; a refused line keeps what was typed and says which line."""

from __future__ import annotations

import re

import pytest

from shopgen.core.settings import Settings
from shopgen.server import create_app
from shopgen.store.models import KBEntry
from tests.auth import page_csrf, studio


@pytest.fixture
def app(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, llm_backend="fake", embed_backend="fake"))
    with app.state.db.session() as s:
        s.add(KBEntry(kind="faq", topic="商品", question="帆布鞋怎么清洗", answer="用软毛刷蘸清水刷洗，阴干。"))
        s.add(KBEntry(kind="faq", topic="物流", question="几天发货", answer="48小时内发货。"))
    return app


def test_operator_adds_tries_edits_and_deletes_groups(app):
    with studio(app, "operator") as c:
        assert 'href="/assist/synonyms"' in c.get("/assist/candidates").text
        csrf = page_csrf(c, "/assist/synonyms")
        assert "还没有同义词" in c.get("/assist/synonyms").text
        r = c.post("/assist/synonyms", data={"csrf_token": csrf, "lines": "小白鞋 帆布鞋\n运费险、退货险"})
        assert r.status_code == 200 and "已保存" in r.text  # followed the 303
        ids = [int(x) for x in re.findall(r'data-group="(\d+)"', r.text)]
        assert len(ids) == 2 and 'value="小白鞋 帆布鞋"' in r.text

        page = c.get("/assist/synonyms", params={"q": "小白鞋脏了"}).text
        added = re.search(r'id="preview-added">(.*?)</p>', page, re.S).group(1)
        assert "帆布鞋" in added
        assert "帆布鞋怎么清洗" in re.search(r'id="preview-with">(.*?)</ol>', page, re.S).group(1)

        r = c.post(f"/assist/synonyms/{ids[0]}", data={"csrf_token": csrf, "action": "save", "words": "小黑鞋 帆布鞋"})
        assert r.status_code == 200 and 'value="小黑鞋 帆布鞋"' in r.text
        assert "没有用到同义词" in c.get("/assist/synonyms", params={"q": "小白鞋脏了"}).text
        r = c.post(f"/assist/synonyms/{ids[1]}", data={"csrf_token": csrf, "action": "delete"})
        assert r.status_code == 200 and "已删除" in r.text and f'data-group="{ids[1]}"' not in r.text


def test_a_refused_line_is_named_and_nothing_is_lost(app):
    with studio(app, "operator") as c:
        csrf = page_csrf(c, "/assist/synonyms")
        typed = "小白鞋 帆布鞋\n鞋 靴子"
        r = c.post("/assist/synonyms", data={"csrf_token": csrf, "lines": typed})
        assert r.status_code == 422
        assert "第 2 行：每个词至少 2 个字" in r.text
        assert "小白鞋 帆布鞋\n鞋 靴子</textarea>" in r.text  # the operator fixes one line, not retypes all
        assert "data-group=" not in r.text  # the good line was not saved alone
        r = c.post("/assist/synonyms/999", data={"csrf_token": csrf, "action": "save", "words": "小白鞋 板鞋"})
        assert r.status_code == 404 and "#999 不存在" in r.text
        c.post("/assist/synonyms", data={"csrf_token": csrf, "lines": "小白鞋 帆布鞋"})
        gid = re.search(r'data-group="(\d+)"', c.get("/assist/synonyms").text).group(1)
        r = c.post(f"/assist/synonyms/{gid}", data={"csrf_token": csrf, "action": "save", "words": "小白鞋"})
        assert r.status_code == 422 and "至少要有两个不同的词" in r.text
        assert 'value="小白鞋 帆布鞋"' in r.text  # the stored group is unchanged


def test_the_page_lists_words_of_unanswered_questions(app):
    from tests.assistant.test_synonyms import _asked

    with studio(app, "operator") as c:
        assert "近 30 天没有这样的词" in c.get("/assist/synonyms").text
        _asked(app.state.db, "我的小白鞋开胶了，电话13812345678", "abstain")
        assert "近 30 天没有这样的词" in c.get("/assist/synonyms").text  # one question is not enough
        _asked(app.state.db, "小白鞋怎么洗", "abstain")
        page = c.get("/assist/synonyms").text
        table = re.search(r'id="unknown-words">(.*?)</table>', page, re.S).group(1)
        assert "<strong>小白鞋</strong>" in table and "13812345678" not in table


def test_agents_cannot_open_it(app):
    with studio(app, "agent") as c:
        assert c.get("/assist/synonyms").status_code == 403
