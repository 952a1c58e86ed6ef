"""The reranker: its features, the model file, and where the shipped hybrid applies it."""

import json

import numpy as np
import pytest

from shopgen.core.errors import ConfigError
from shopgen.search.base import Hit
from shopgen.search.bm25 import BM25Index
from shopgen.search.hybrid import HybridRetriever, default_hybrid
from shopgen.search.rerank import (
    FEATURES,
    Candidate,
    LinearReranker,
    NoReranker,
    RerankedRetriever,
    create_reranker,
    features,
)
from tests.search.test_retrievers import DOCS


class Ranked:
    """A retriever that answers a fixed ranking, whatever the query."""

    name = "fixed"

    def __init__(self, hits):
        self.hits = hits

    def search(self, query, k=10):
        return self.hits[:k]


def cand(doc_id, text, rank, fused=1.0, scaled=(1.0, 1.0)):
    return Candidate(doc_id, text, fused, rank, scaled)


def test_features_read_question_words_negations_and_shared_runs():
    rows = features(
        "花呗什么时候还款？",
        [cand("a", "花呗什么时候还款", 1), cand("b", "花呗还款多少钱", 2), cand("c", "花呗不能还款", 3)],
    )
    f = dict(zip(FEATURES, rows.T))
    assert rows.shape == (3, len(FEATURES))
    assert f["pair_jaccard"][0] == 1.0 and f["run_query_share"][0] == 1.0  # punctuation does not count
    assert list(f["question_word_mismatch"]) == [0.0, 2.0, 1.0]  # 什么时候 vs 多少; 什么时候 vs none
    assert list(f["negation_mismatch"]) == [0.0, 0.0, 1.0]
    assert list(f["inverse_rank"]) == [1.0, 0.5, pytest.approx(1 / 3)]


def test_the_shipped_model_never_counts_agreement_against_a_candidate():
    model = create_reranker("linear")
    assert model.meta["script"] == "benchmarks/rerank_train.py"
    w = dict(zip(FEATURES, model.weights))
    assert all(v >= 0 for f, v in w.items() if not f.endswith("_mismatch"))
    assert w["negation_mismatch"] < 0 and w["question_word_mismatch"] < 0
    # the same place in the fused list: a candidate that negates the question loses
    scores = model.rerank(
        "花呗可以提前还款吗", [cand("neg", "花呗不可以提前还款吗", 1), cand("same", "花呗可以提前还钱吗", 1)]
    )
    assert scores[1] > scores[0]


def test_model_file_round_trips_and_a_foreign_file_is_refused(tmp_path):
    model = LinearReranker(np.arange(len(FEATURES), dtype=float), 0.5, {"note": "test"})
    loaded = LinearReranker.load(model.save(tmp_path / "r.json"))
    assert loaded.weights.tolist() == model.weights.tolist() and loaded.bias == 0.5 and loaded.meta == {"note": "test"}
    (tmp_path / "old.json").write_text(json.dumps({"features": ["fused"], "weights": [1.0], "bias": 0}))
    with pytest.raises(ConfigError, match="other features"):
        LinearReranker.load(tmp_path / "old.json")
    with pytest.raises(ConfigError, match="cannot read"):
        LinearReranker.load(tmp_path / "missing.json")
    with pytest.raises(ConfigError, match="unknown reranker backend"):
        create_reranker("cross-encoder")


def test_reranked_retriever_reorders_the_fused_pool_only():
    lexical = Ranked([Hit("d1", 3.0), Hit("d2", 2.0), Hit("d3", 1.0)])
    dense = Ranked([Hit("d1", 0.9), Hit("d2", 0.8), Hit("d3", 0.7)])
    fused = HybridRetriever([lexical, dense], fusion="convex")
    texts = dict(DOCS)
    # a model that reads only the length ratio: d2 (9 characters) is nearest the query's 8, d1 has 6
    ratio_only = LinearReranker(np.array([1.0 if f == "length_ratio" else 0.0 for f in FEATURES]))
    r = RerankedRetriever(fused, texts, ratio_only, pool=2)
    hits = r.search("借呗能提前还款吗", 5)
    assert [h.id for h in hits] == ["d2", "d1"]  # d3 is outside the pool of 2
    assert [h.id for h in RerankedRetriever(fused, texts, NoReranker()).search("x", 3)] == ["d1", "d2", "d3"]
    found = r.candidates("x")
    assert [(c.rank, c.scaled) for c in found] == [(1, (1.0, 1.0)), (2, (0.5, pytest.approx(0.5)))]


def test_default_hybrid_reranks_question_lists_only():
    lexical = BM25Index.build(DOCS)
    dense = Ranked([])
    assert isinstance(default_hybrid(lexical, dense, dict(DOCS)), RerankedRetriever)
    assert isinstance(default_hybrid(lexical, dense), HybridRetriever)  # no texts: the fusion alone
    assert isinstance(default_hybrid(lexical, dense, dict(DOCS), reranker="none"), HybridRetriever)
    passages = {i: t * 10 for i, t in DOCS}  # long passages, not questions
    assert isinstance(default_hybrid(lexical, dense, passages), HybridRetriever)


def test_a_model_without_run_weights_skips_them_and_scores_the_same():
    cands = [cand("a", "花呗什么时候还款", 1), cand("b", "花呗还款多少钱", 2)]
    shipped = create_reranker("linear")
    w = dict(zip(FEATURES, shipped.weights))
    assert w["run_query_share"] == 0 and w["run_doc_share"] == 0  # the shipped fit gave them none
    full = features("花呗什么时候还款？", cands) @ shipped.weights + shipped.bias
    assert shipped.rerank("花呗什么时候还款？", cands) == pytest.approx(full.tolist())
    skipped = features("花呗什么时候还款？", cands, runs=False)
    assert not skipped[:, FEATURES.index("run_query_share")].any()
