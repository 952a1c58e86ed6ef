"""Every recommender honours the protocol: fit, score any history, similar items, save and load."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from shopgen.core.errors import ConfigError, InvalidInput
from shopgen.models.embed.fake import FakeEmbedder
from shopgen.recommend import persist
from shopgen.recommend.base import ItemSide, create, recommenders

# 8 items in two groups (0-3 and 4-7); every user touches three items of one group
USERS = [[0, 1, 2], [1, 2, 3], [0, 2, 3], [0, 1, 3], [4, 5, 6], [5, 6, 7], [4, 6, 7], [4, 5, 7]] * 3
TEXTS = ["纯棉T恤 白色", "纯棉T恤 黑色", "纯棉衬衫", "纯棉卫衣", "保湿面霜", "保湿面膜", "保湿爽肤水", "保湿洁面乳"]
PARAMS = {"itemknn": {"k": 5}, "ease": {"lam": 1.0}, "mf": {"factors": 2, "iterations": 20, "regularization": 0.1}}


@pytest.fixture(scope="module")
def train():
    rows = [u for u, items in enumerate(USERS) for _ in items]
    cols = [i for items in USERS for i in items]
    return sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(USERS), 8))


@pytest.fixture(scope="module")
def items():
    return ItemSide(
        ids=[f"i{n}" for n in range(8)], vectors=FakeEmbedder().embed_passages(TEXTS), categories=["a"] * 4 + ["b"] * 4
    )


@pytest.mark.parametrize("name", recommenders.names())
def test_contract(name, train, items, tmp_path):
    model = create(name, **PARAMS.get(name, {})).fit(train, items)
    history = sp.csr_matrix(([1.0], ([0], [0])), shape=(1, 8), dtype=np.float32)  # one view of item 0
    scores = model.score(history)
    assert scores.shape == (1, 8) and scores.dtype == np.float32
    assert model.similar(0).shape == (8,)
    if name != "popularity":  # personalised: item 0's group outranks the other group
        group_a, group_b = scores[0, 1:4].min(), scores[0, 4:].max()
        assert group_a > group_b, (name, scores)
        sim = model.similar(0)
        assert sim[1:4].min() > sim[4:].max(), (name, sim)
    aff = model.affinity([0, 4], [1, 5])
    assert aff.shape == (2, 2)
    if name != "popularity":  # item 0 is closer to 1 than to 5, item 4 the other way round
        assert aff[0, 0] > aff[0, 1] and aff[1, 1] > aff[1, 0], (name, aff)
    persist.save(tmp_path / "m.npz", model, items, {"note": "x"})
    loaded, side, info = persist.load(tmp_path / "m.npz")
    assert info == {"note": "x"} and side.ids == items.ids and loaded.name == name
    np.testing.assert_allclose(loaded.score(history), scores, rtol=1e-4, atol=1e-5)


def test_popularity_counts_and_prefers_the_category_for_similar(train, items):
    pop = create("popularity").fit(train, items)
    assert pop.score(train[:2]).tolist()[0] == [9, 9, 9, 9, 9, 9, 9, 9]
    assert (pop.similar(0)[:4] > pop.similar(0)[4:].max()).all()


def test_hybrid_ranks_a_cold_item_by_its_text(items):
    # item 3 (纯棉卫衣) never interacted with: behaviour knows nothing, its text still ranks it
    users = [[0, 1, 2], [0, 1], [4, 5, 6], [5, 6, 7]]
    rows = [u for u, its in enumerate(users) for _ in its]
    train = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, [i for its in users for i in its])), shape=(4, 8)
    )
    hist = sp.csr_matrix(([1.0], ([0], [2])), shape=(1, 8), dtype=np.float32)
    hybrid = create("hybrid", behaviour="itemknn").fit(train, items)
    knn = create("itemknn").fit(train, items)
    assert knn.score(hist)[0, 3] == 0.0
    s = hybrid.score(hist)[0]
    assert s[3] > s[4:].max()
    assert create("hybrid").fit(train, items).behaviour.name == "ease"  # auto: a small catalog


def test_bad_names_and_parameters(items):
    with pytest.raises(ConfigError, match="valid: ease, hybrid, itemknn, mf, popularity, text"):
        create("bpr")
    with pytest.raises(InvalidInput, match="bad parameters for recommender 'ease'"):
        create("ease", k=3)
    with pytest.raises(InvalidInput, match="needs item texts"):
        create("text").fit(None, ItemSide(ids=["a"]))
    with pytest.raises(InvalidInput, match="vectors for"):
        ItemSide(ids=["a", "b"], vectors=np.zeros((1, 4)))


def test_load_refuses_other_files(tmp_path):
    np.savez(tmp_path / "x.npz", a=np.zeros(2))
    with pytest.raises(InvalidInput, match="not a shopgen recommender"):
        persist.load(tmp_path / "x.npz")
    with pytest.raises(InvalidInput, match="no such model file"):
        persist.load(tmp_path / "missing.npz")
