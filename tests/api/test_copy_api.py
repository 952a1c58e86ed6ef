"""/api/copy: streamed generation (SSE), validation in the one error shape, drafts (save, edit
with re-check, approve, reject) and batch jobs (progress, results, one at a time, kept in the database: resumed after a
failure or a server restart).
Fake LLM (scripted replies) and fake embedder, selected by name."""

import json
import socket
import threading
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from shopgen.copywriting import jobs
from shopgen.core.settings import Settings
from shopgen.demo.loader import load_demo
from shopgen.models.llm.fake import FakeGenerator
from shopgen.models.runtime import Runtime
from shopgen.security import audit
from shopgen.server import create_app
from shopgen.store.models import Product
from tests.auth import bearer, page_csrf, studio
from tests.http import error, events
from tests.procs import dead_pid

# a grounded description of FZ-1001 with one superlative (最百搭) the copywriter must rewrite
REPLY = (
    "这款圆领短袖T恤采用100%棉面料，手感柔软、透气吸汗，是衣橱里最百搭的基础款。白色、黑色、浅灰色和藏青色"
    "四种颜色可选，男女同款，直筒版型不挑身材。日常通勤、周末出游都合适，到手价69元，春夏天天穿也不腻。"
)


class GatedGenerator(FakeGenerator):
    """Answers only once ``gate`` is set, so a batch stays running while the test looks at it."""

    def __init__(self, replies) -> None:
        super().__init__(replies)
        self.gate = threading.Event()

    def chat(self, messages, **kw):
        self.gate.wait(timeout=20)
        return super().chat(messages, **kw)


def make_shop(tmp_path, llm):
    settings = Settings(data_dir=tmp_path, llm_backend="fake", embed_backend="fake")
    app = create_app(settings, runtime=Runtime(settings, llm=llm))
    load_demo(app.state.db)
    return app


@pytest.fixture
def shop(tmp_path):
    return make_shop(tmp_path, FakeGenerator(replies=[REPLY]))


@pytest.fixture
def op(shop):
    with TestClient(shop, headers=bearer(shop.state.db, "operator")) as c:
        yield c


def generate(client, **body):
    return events(client.post("/api/copy/generate", json={"kind": "description", **body}))


def test_generate_streams_meta_tokens_then_the_checked_result(op):
    evs = generate(op, sku="FZ-1001", audience="学生党", tone="活泼")
    names = [n for n, _ in evs]
    assert names[0] == "meta" and names[-1] == "result" and set(names[1:-1]) == {"token"} and len(names) > 3
    assert evs[0][1] == {"kind": "description", "model": "fake-echo"}
    assert "".join(d["text"] for n, d in evs if n == "token") == REPLY  # the raw first draft
    result = evs[-1][1]
    assert {"text", "issues", "compliance", "attempts", "model", "seconds"} <= set(result) and "draft_id" not in result
    assert isinstance(result["issues"], list) and result["issues"] == []
    assert [f["word"] for f in result["compliance"]] == ["最"]  # rewritten: the final text differs
    assert "最" not in result["text"] and "很百搭" in result["text"]
    assert result["attempts"] == 1 and result["model"] == "fake-echo"


def test_generate_from_attributes(op):
    evs = generate(op, attrs="类型#T恤*颜色#白色*材质#棉", kind="title")
    assert evs[-1][0] == "result" and evs[-1][1]["kind"] == "title"


@pytest.mark.parametrize(
    "body, status, kind",
    [
        ({"sku": "FZ-1001", "kind": "poem"}, 422, "invalid_input"),
        ({"sku": "FZ-1001", "lang": "fr"}, 422, "invalid_input"),
        ({"sku": "NOPE-1"}, 404, "not_found"),
        ({"attrs": "类型上衣*颜色#白色"}, 422, "invalid_input"),
        ({"attrs": "类型#上衣", "save": True}, 422, "invalid_input"),
        ({"sku": "FZ-1001", "attrs": "类型#上衣"}, 422, "invalid_input"),
        ({}, 422, "invalid_input"),
        ({"sku": "FZ-1001", "kind": None}, 422, "invalid_input"),
    ],
)
def test_bad_requests_fail_before_the_stream_in_the_one_error_shape(op, body, status, kind):
    r = op.post("/api/copy/generate", json={"kind": "description", **body})
    assert r.headers["content-type"].startswith("application/json")
    assert error(r, status, kind)["message"]


def test_backend_failure_mid_stream_is_an_error_event(tmp_path):
    from shopgen.core.errors import BackendError

    class Broken(FakeGenerator):
        def stream(self, messages, **kw):
            yield "这款"
            raise BackendError("model crashed")

    app = make_shop(tmp_path, Broken())
    with TestClient(app, headers=bearer(app.state.db, "operator")) as c:
        evs = generate(c, sku="FZ-1001")
    assert [n for n, _ in evs] == ["meta", "token", "error"]
    assert evs[-1][1]["error"]["type"] == "backend_error" and evs[-1][1]["error"]["message"] == "model crashed"


def test_save_lists_edit_rechecks_approve_and_reject(shop, op):
    result = generate(op, sku="FZ-1001", save=True, audience="学生党")[-1][1]
    did = result["draft_id"]
    listed = op.get("/api/copy/drafts", params={"status": "pending", "sku": "FZ-1001"}).json()
    assert [d["id"] for d in listed["drafts"]] == [did] and listed["counts"]["pending"] == 1
    d = listed["drafts"][0]
    assert d["text"] == result["text"] and d["audience"] == "学生党" and d["compliance"] == result["compliance"]

    r = op.patch(f"/api/copy/drafts/{did}", json={"text": "这款红色T恤是最好的选择，柔软透气。"})
    assert r.status_code == 200, r.text
    edited = r.json()
    assert ("contradicted", "红色") in [(i["type"], i["claim"]) for i in edited["issues"]]
    assert edited["compliance"] and all(f["in_text"] for f in edited["compliance"])
    error(op.patch(f"/api/copy/drafts/{did}", json={"text": "  "}), 422, "invalid_input")

    assert edited["open_issues"] == len(edited["issues"]) + len(edited["compliance"]) > 0
    refused = error(op.post(f"/api/copy/drafts/{did}/approve"), 409, "conflict")  # unread issues: not one click
    assert "未处理的问题" in refused["message"] and refused["detail"]["field"] == "acknowledge_issues"
    error(op.post(f"/api/copy/drafts/{did}/approve", json={"acknowledge_issues": False}), 409, "conflict")
    approved = op.post(f"/api/copy/drafts/{did}/approve", json={"acknowledge_issues": True})
    assert approved.json()["status"] == "approved"
    error(op.post(f"/api/copy/drafts/{did}/approve", json={"acknowledge_issues": True}), 409, "conflict")
    error(op.post(f"/api/copy/drafts/{did}/reject"), 409, "conflict")
    error(op.patch(f"/api/copy/drafts/{did}", json={"text": REPLY}), 409, "conflict")

    other = op.post("/api/copy/drafts", json={"sku": "FZ-1001", "kind": "description", "text": REPLY})
    assert other.status_code == 201 and other.json()["status"] == "pending"
    assert op.post(f"/api/copy/drafts/{other.json()['id']}/reject").json()["status"] == "rejected"
    error(op.post("/api/copy/drafts/999/approve"), 404, "not_found")
    error(op.get("/api/copy/drafts", params={"status": "done"}), 422, "invalid_input")
    assert op.get("/api/copy/drafts", params={"status": "all"}).json()["counts"] == {
        "pending": 0,
        "approved": 1,
        "rejected": 1,
    }
    with shop.state.db.session() as s:
        actions = [e.action for e in audit.query(s, action="copy.draft.")]
    assert actions == ["copy.draft.reject", "copy.draft.approve", "copy.draft.edit"]


def test_bulk_approve_approves_only_drafts_without_open_issues(shop, op):
    text = REPLY.replace("最百搭", "很百搭")
    clean = op.post("/api/copy/drafts", json={"sku": "FZ-1001", "kind": "description", "text": text}).json()
    dirty = op.post(
        "/api/copy/drafts", json={"sku": "FZ-1001", "kind": "description", "text": text + "还能治疗失眠。"}
    ).json()
    assert clean["open_issues"] == 0 and dirty["open_issues"] > 0
    assert "治疗失眠" in {f["word"] for f in dirty["compliance"]}
    r = op.post("/api/copy/drafts/bulk-approve", json={"ids": [clean["id"], dirty["id"], 999]})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["approved"] == [clean["id"]]
    assert [x["id"] for x in out["skipped"]] == [dirty["id"], 999]
    assert "未处理的问题" in out["skipped"][0]["reason"]
    statuses = {d["id"]: d["status"] for d in op.get("/api/copy/drafts", params={"status": "all"}).json()["drafts"]}
    assert statuses == {clean["id"]: "approved", dirty["id"]: "pending"}
    error(op.post("/api/copy/drafts/bulk-approve", json={"ids": []}), 422, "invalid_input")


def test_options_lists_kinds_audiences_and_tones(op):
    o = op.get("/api/copy/options").json()
    assert [k["value"] for k in o["kinds"]] == ["title", "description", "selling_points", "live_script", "social_post"]
    assert o["kinds"][1]["label"] == "商品描述" and "学生党" in o["audiences"] and "活泼" in o["tones"]


def wait_for(client, job_id, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/copy/batch/{job_id}").json()
        if job["status"] != "running":
            return job
        time.sleep(0.05)
    pytest.fail(f"batch {job_id} still running after {timeout} s")


def test_batch_runs_to_done_and_its_results_are_drafts(shop, op):
    r = op.post("/api/copy/batch", json={"kind": "title", "category": "服装", "limit": 3, "audience": "学生党"})
    assert r.status_code == 202, r.text
    job_id, total = r.json()["job_id"], r.json()["total"]
    assert total == 3
    job = wait_for(op, job_id)
    assert job["status"] == "done" and (job["total"], job["done"], job["failed"]) == (3, 3, 0)
    assert job["started_at"] and job["finished_at"]
    res = op.get(f"/api/copy/batch/{job_id}/results").json()
    assert len(res["drafts"]) == 3
    assert {d["job_id"] for d in res["drafts"]} == {job_id} and {d["kind"] for d in res["drafts"]} == {"title"}
    assert all(
        d["status"] == "pending" and d["audience"] == "学生党" and d["sku"].startswith("FZ-") for d in res["drafts"]
    )
    lines = (shop.state.settings.data_dir / "copy-jobs" / f"{job_id}.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(x)["sku"] for x in lines) == sorted(d["sku"] for d in res["drafts"])
    assert len(op.get("/api/copy/drafts", params={"job_id": job_id}).json()["drafts"]) == 3


def test_one_batch_at_a_time(tmp_path):
    gen = GatedGenerator([REPLY])
    app = make_shop(tmp_path, gen)
    with TestClient(app, headers=bearer(app.state.db, "operator")) as c:
        first = c.post("/api/copy/batch", json={"kind": "description", "category": "服装", "limit": 2})
        assert first.status_code == 202
        job_id = first.json()["job_id"]
        assert c.get(f"/api/copy/batch/{job_id}").json()["status"] == "running"
        err = error(c.post("/api/copy/batch", json={"kind": "title"}), 409, "conflict")
        assert err["detail"] == {"job_id": job_id}
        gen.gate.set()
        assert wait_for(c, job_id)["status"] == "done"
        again = c.post("/api/copy/batch", json={"kind": "title", "category": "服装", "limit": 1})
        assert again.status_code == 202
        wait_for(c, again.json()["job_id"])


class BreaksOn(FakeGenerator):
    """Crashes (not a ShopgenError: the batch fails) while ``broken`` and the prompt names ``word``."""

    def __init__(self, replies, word: str) -> None:
        super().__init__(replies)
        self.word, self.broken = word, True

    def chat(self, messages, **kw):
        if self.broken and any(self.word in str(m.get("content", "")) for m in messages):
            raise RuntimeError("model process died")
        return super().chat(messages, **kw)


def test_a_failed_batch_resumes_without_drafting_a_product_twice(tmp_path):
    gen = BreaksOn([REPLY], word="羽绒")  # FZ-1002, the second 服装 product
    app = make_shop(tmp_path, gen)
    with TestClient(app, headers=bearer(app.state.db, "operator")) as c:
        job_id = c.post("/api/copy/batch", json={"kind": "title", "category": "服装", "limit": 3}).json()["job_id"]
        job = wait_for(c, job_id)
        assert job["status"] == "failed" and "model process died" in job["error"] and job["done"] == 1
        gen.broken = False
        r = c.post(f"/api/copy/batch/{job_id}/resume")
        assert r.status_code == 202 and r.json() == {"job_id": job_id, "total": 3, "resumed": True}
        job = wait_for(c, job_id)
        assert job["status"] == "done" and (job["done"], job["failed"], job["error"]) == (3, 0, None)
        skus = [d["sku"] for d in c.get(f"/api/copy/batch/{job_id}/results").json()["drafts"]]
        assert len(skus) == 3 and len(set(skus)) == 3  # the first product was not drafted again
        err = error(c.post(f"/api/copy/batch/{job_id}/resume"), 409, "conflict")
        assert err["detail"] == {"job_id": job_id, "status": "done"}
        listed = c.get("/api/copy/batch").json()["jobs"]
        assert [j["job_id"] for j in listed] == [job_id] and listed[0]["category"] == "服装"


def test_a_job_left_running_by_a_stopped_server_reads_interrupted_and_resumes(tmp_path):
    app = make_shop(tmp_path, FakeGenerator(replies=[REPLY]))
    params = {"kind": "title", "audience": None, "tone": None, "lang": "zh", "category": "美妆", "limit": 2}
    with app.state.db.session() as s:  # what a server killed mid-batch leaves behind
        job = jobs.start(s, params, 2, "user:someone")
        job.owner = f"{socket.gethostname()[:60]}:{dead_pid()}:0123456789ab"
        job_id = job.id
        first = (
            s.scalars(
                select(Product).where(Product.category == "美妆", Product.status == "active").order_by(Product.id)
            )
            .first()
            .sku
        )
    jobs.release(job_id)
    # it had written one product's copy to its file, but died before the draft reached the database
    path = app.state.copy_jobs.path(job_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "sku": first,
                "kind": "title",
                "audience": None,
                "text": "写进文件的标题",
                "issues": [],
                "compliance": [],
                "status": "draft",
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    restarted = create_app(app.state.settings, runtime=Runtime(app.state.settings, llm=FakeGenerator(replies=[REPLY])))
    with TestClient(restarted, headers=bearer(restarted.state.db, "operator")) as c:
        assert c.get(f"/api/copy/batch/{job_id}").json()["status"] == "interrupted"
        assert c.get("/api/copy/batch").json()["jobs"][0]["status"] == "interrupted"
        assert c.post(f"/api/copy/batch/{job_id}/resume").status_code == 202
        job = wait_for(c, job_id)
        assert job["status"] == "done" and job["done"] == 2 and job["started_by"] == "user:someone"
        found = c.get(f"/api/copy/batch/{job_id}/results").json()["drafts"]
        assert sorted(d["sku"] for d in found)[0] == first and len({d["sku"] for d in found}) == 2
        assert [d["text"] for d in found if d["sku"] == first] == ["写进文件的标题"]  # drafted from the file, once


def test_resume_errors(op):
    error(op.post("/api/copy/batch/nope/resume"), 404, "not_found")
    error(op.get("/api/copy/batch", params={"limit": 0}), 422, "invalid_input")


def test_batch_errors(op):
    error(op.get("/api/copy/batch/nope"), 404, "not_found")
    error(op.get("/api/copy/batch/nope/results"), 404, "not_found")
    error(op.post("/api/copy/batch", json={"kind": "poem"}), 422, "invalid_input")
    error(op.post("/api/copy/batch", json={"kind": "title", "category": "没有这个类目"}), 404, "not_found")


def test_operator_only(shop):
    for role in ("agent", "host", "shopper"):
        with TestClient(shop, headers=bearer(shop.state.db, role)) as c:
            error(c.post("/api/copy/generate", json={"sku": "FZ-1001", "kind": "title"}), 403, "forbidden")
    with TestClient(shop) as anon:
        error(anon.get("/api/copy/drafts"), 401, "unauthorized")


def test_studio_page_and_cookie_calls_with_csrf(shop):
    with studio(shop, "operator") as c:
        page = c.get("/copy")
        assert page.status_code == 200 and "商品文案" in page.text and "FZ-1001" in page.text
        assert "/static/copy.js" in page.text
        token = page_csrf(c, "/copy")
        headers = {"accept": "application/json"}
        error(
            c.post("/api/copy/drafts", json={"sku": "FZ-1001", "kind": "title", "text": "纯棉T恤"}, headers=headers),
            403,
            "forbidden",
        )  # no CSRF token
        r = c.post(
            "/api/copy/drafts",
            json={"sku": "FZ-1001", "kind": "title", "text": "纯棉T恤"},
            headers={**headers, "X-CSRF-Token": token},
        )
        assert r.status_code == 201, r.text
    with studio(shop, "agent") as c:
        assert c.get("/copy").status_code == 403
