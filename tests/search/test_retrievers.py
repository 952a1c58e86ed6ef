import numpy as np
import pytest

from shopgen.core.settings import Settings
from shopgen.models.embed import create_embedder
from shopgen.search.base import Hit, top_k
from shopgen.search.bm25 import BM25Index
from shopgen.search.dense import build_cached
from shopgen.search.hybrid import HybridRetriever, convex, rrf

DOCS = [
    ("d1", "花呗怎么还款"),
    ("d2", "借呗可以提前还款吗"),
    ("d3", "七天无理由退货怎么申请"),
    ("d4", "发货后多久能到"),
    ("d5", "花呗额度为什么降低了"),
]


def test_top_k_orders_and_breaks_ties_by_index():
    assert top_k(np.array([0.1, 0.9, 0.5, 0.9]), 3).tolist() == [1, 3, 2]
    assert top_k(np.array([1.0]), 5).tolist() == [0]


def test_bm25_ranks_term_matches_and_round_trips(tmp_path):
    idx = BM25Index.build(DOCS)
    hits = idx.search("花呗还款", 3)
    # d1 has both words; d2 and d5 one each; d3 and d4 none, so they are not returned
    assert hits[0].id == "d1" and {h.id for h in hits[1:]} == {"d2", "d5"}
    assert hits[0].score > hits[1].score
    assert idx.search("完全无关的句子xyz", 3) == []
    idx.save(tmp_path / "bm25.npz")
    again = BM25Index.load(tmp_path / "bm25.npz")
    assert again.search("花呗还款", 3) == hits


def test_rrf_fuses_ranks():
    a = [Hit("x", 9.0), Hit("y", 5.0)]
    b = [Hit("y", 0.9), Hit("z", 0.8)]
    fused = rrf([a, b], k=60)
    assert [h.id for h in fused] == ["y", "x", "z"]
    assert fused[0].score == 1 / 62 + 1 / 61


def test_bigrams_match_words_jieba_splits_differently(tmp_path):
    docs = [("a", "退款几天到账"), ("b", "退货地址在哪里")]
    # jieba cuts 「到帐」 (a typo) and 「多久」 apart from the document's words; only the pair 「退款」 is shared
    words_only = BM25Index.build(docs, bigrams=False)
    with_pairs = BM25Index.build(docs, bigrams=True)
    assert [h.id for h in with_pairs.search("退款多久到帐", 2)][0] == "a"
    assert with_pairs.search("退款多久到帐", 1)[0].score > words_only.search("退款多久到帐", 1)[0].score
    # the setting travels with the saved index
    with_pairs.save(tmp_path / "pairs.npz")
    again = BM25Index.load(tmp_path / "pairs.npz")
    assert again.bigrams and again.search("退款多久到帐", 2) == with_pairs.search("退款多久到帐", 2)


def test_convex_fusion_keeps_score_gaps():
    # dense is sure of "y" (far ahead of the rest); BM25 barely prefers "x"
    bm25 = [Hit("x", 10.0), Hit("y", 9.5), Hit("z", 1.0)]
    dense = [Hit("y", 0.95), Hit("x", 0.60), Hit("z", 0.59)]
    fused = convex([bm25, dense], [0.5, 0.5])
    assert [h.id for h in fused] == ["y", "x", "z"]
    # min-max per list: y = 0.5 * (8.5 / 9) + 0.5 * 1
    assert abs(fused[0].score - (0.5 * 8.5 / 9 + 0.5)) < 1e-9
    # a document only one retriever returned keeps that retriever's share; all-equal lists count 1
    assert [h.id for h in convex([[Hit("q", 2.0)], []], [0.3, 0.7])] == ["q"]
    assert convex([[Hit("q", 2.0)], []], [0.3, 0.7])[0].score == 0.3
    with pytest.raises(ValueError, match="unknown fusion"):
        HybridRetriever([], fusion="max")


def test_dense_cache_skips_embedding_the_second_time(tmp_path):
    emb = create_embedder(Settings(data_dir=tmp_path, embed_backend="fake"))
    idx, info = build_cached(DOCS, emb, tmp_path / "cache")
    assert info["cached"] is False
    idx2, info2 = build_cached(DOCS, emb, tmp_path / "cache")
    assert info2 == {"cached": True, "key": info["key"]}
    assert np.array_equal(idx.store.matrix, idx2.store.matrix)
    changed, info3 = build_cached(DOCS[:-1], emb, tmp_path / "cache")
    assert info3["cached"] is False and info3["key"] != info["key"]


def test_hybrid_with_real_e5_finds_a_paraphrase(tmp_path):
    emb = create_embedder(Settings(data_dir=tmp_path))
    dense, _ = build_cached(DOCS, emb, None)
    hybrid = HybridRetriever([BM25Index.build(DOCS), dense])
    assert dense.search("东西寄出来要几天到", 1)[0].id == "d4"
    assert hybrid.search("花呗的钱怎么还", 1)[0].id == "d1"


def test_dense_reuses_the_last_query_vector(tmp_path):
    emb = create_embedder(Settings(data_dir=tmp_path, embed_backend="fake"))
    calls = []
    real = emb.embed_queries
    emb.embed_queries = lambda texts: calls.append(list(texts)) or real(texts)
    idx, _ = build_cached(DOCS, emb, None)
    first = idx.search("花呗还款", 2)
    assert idx.search("花呗还款", 2) == first and calls == [["花呗还款"]]
    idx.search("发货", 2)
    assert calls == [["花呗还款"], ["发货"]]


def test_primed_queries_are_embedded_once_in_a_batch(tmp_path):
    emb = create_embedder(Settings(data_dir=tmp_path, embed_backend="fake"))
    calls = []
    real = emb.embed_queries
    emb.embed_queries = lambda texts: calls.append(list(texts)) or real(texts)
    idx, _ = build_cached(DOCS, emb, None)
    idx.prime(["花呗还款", "发货", "花呗还款"])
    assert calls == [["花呗还款", "发货"]]
    idx.search("发货", 1)
    idx.search("花呗还款", 1)
    assert len(calls) == 1
