"""Studio pages show Chinese even when an error's message was written for programs."""

from fastapi import Depends
from fastapi.testclient import TestClient

from shopgen.core.errors import InvalidInput
from shopgen.core.settings import Settings
from shopgen.http.auth import require
from shopgen.http.errors import page_message
from shopgen.server import create_app
from tests.auth import HTML, bearer


def test_page_message_keeps_chinese_and_replaces_english():
    assert page_message(422, "标题：最多 200 个字") == "标题：最多 200 个字"
    assert page_message(404, "Not Found") == "找不到这个地址"
    assert page_message(418, "teapot") == "出错了，请稍后再试"


def test_an_english_error_on_a_page_is_shown_in_chinese_and_kept_for_programs(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, llm_backend="fake", embed_backend="fake"))

    @app.get("/boom-page", dependencies=[Depends(require("operator"))])
    def boom():
        raise InvalidInput("limit must be between 1 and 1000")

    with TestClient(app, headers={**HTML, **bearer(app.state.db, "operator")}) as c:
        page = c.get("/boom-page")
        api = c.get("/boom-page", headers={"accept": "application/json"})
    app.state.db.dispose()
    assert page.status_code == 422 and "输入有误，请检查后再试" in page.text and "limit must" not in page.text
    assert api.json()["error"]["message"] == "limit must be between 1 and 1000"
