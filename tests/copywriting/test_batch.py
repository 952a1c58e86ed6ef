import json

import pytest

from shopgen.copywriting.batch import done_skus, run_batch
from shopgen.copywriting.generate import Copywriter
from shopgen.core.errors import BackendError, InvalidInput
from shopgen.models.llm.fake import FakeGenerator

from .conftest import GOOD, TEE, demo_product


class Flaky(FakeGenerator):
    def chat(self, messages, **kw):
        if self._turn >= 1:
            raise BackendError("model down")
        return super().chat(messages, **kw)


def _items(n):
    return [(f"SKU-{i}", TEE) for i in range(n)]


def _lines(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_writes_one_draft_per_product(tmp_path):
    out = tmp_path / "out" / "copy.jsonl"
    seen = []
    r = run_batch(
        _items(2) + [demo_product("FZ-1001")],
        Copywriter(FakeGenerator([GOOD])),
        "description",
        "学生党",
        out,
        progress=lambda i, n: seen.append((i, n)),
    )
    assert (r["written"], r["skipped"], r["failed"]) == (3, 0, [])
    rows = _lines(out)
    assert [x["sku"] for x in rows] == ["SKU-0", "SKU-1", "FZ-1001"]
    assert set(rows[0]) == {"sku", "kind", "audience", "text", "issues", "compliance", "status"}
    assert (rows[0]["text"], rows[0]["status"], rows[0]["audience"]) == (GOOD, "draft", "学生党")
    assert seen[-1] == (3, 3)


def test_resume_after_a_crash_skips_done_skus_and_drops_the_half_line(tmp_path):
    out = tmp_path / "copy.jsonl"
    run_batch(_items(3), Copywriter(FakeGenerator([GOOD])), "description", None, out)
    data = out.read_bytes()
    out.write_bytes(data[: len(data) - 20])  # the crash cut the third line short
    assert done_skus(out) == {"SKU-0", "SKU-1"}
    llm = FakeGenerator([GOOD])
    r = run_batch(_items(4), Copywriter(llm), "description", None, out, resume=True)
    assert (r["written"], r["skipped"]) == (2, 2)
    assert [x["sku"] for x in _lines(out)] == ["SKU-0", "SKU-1", "SKU-2", "SKU-3"]
    assert llm._turn == 2  # only the two missing products were generated


def test_failures_are_reported_not_written_and_bad_files_refused(tmp_path):
    out = tmp_path / "copy.jsonl"
    r = run_batch([("A", TEE), ("B", TEE)], Copywriter(Flaky([GOOD])), "description", None, out)
    assert r["written"] == 1 and r["failed"] == [{"sku": "B", "error": "model down"}]
    assert done_skus(out) == {"A"}  # a resumed run retries B
    with pytest.raises(InvalidInput, match="no '#'"):  # bad input stops the batch before it starts
        run_batch([("A", TEE), ("B", "颜色白色")], Copywriter(FakeGenerator([GOOD])), "description", None, out)
    out.write_text('{"sku": "A"}\nnot json\n{"sku": "C"}\n', encoding="utf-8")
    with pytest.raises(InvalidInput, match="line 2 is not a batch record"):
        run_batch([("A", TEE)], Copywriter(FakeGenerator([GOOD])), "description", None, out, resume=True)
    with pytest.raises(InvalidInput, match="valid engines: local, ray"):
        run_batch([], Copywriter(FakeGenerator()), "description", None, out, engine="spark")
    with pytest.raises(InvalidInput, match="unknown kind"):
        run_batch([], Copywriter(FakeGenerator()), "poem", None, out)


def _writer():
    return Copywriter(FakeGenerator([GOOD]))


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::ResourceWarning", "ignore::FutureWarning")
def test_ray_engine_on_local_ray(tmp_path):
    # about 4 s on 2 shared cores (Ray start-up), so not marked slow
    pytest.importorskip("ray", reason="pip install 'shopgen[ray]'")
    out = tmp_path / "copy.jsonl"
    r = run_batch(_items(3), _writer, "description", None, out, engine="ray")
    assert (r["written"], r["failed"]) == (3, [])
    assert sorted(x["sku"] for x in _lines(out)) == ["SKU-0", "SKU-1", "SKU-2"]
    assert all(x["text"] == GOOD for x in _lines(out))
