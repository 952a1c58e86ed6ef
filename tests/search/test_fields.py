import pytest

from shopgen.core.settings import Settings
from shopgen.models.embed import create_embedder
from shopgen.search.base import Hit
from shopgen.search.bm25 import BM25Index
from shopgen.search.fields import FieldIndexes, build_indexes, fielded_retriever

# q1's question is the shopper's, with a long answer; q2's short answer happens to hold the same words
DOCS = [
    (
        "q1",
        "退货运费谁出",
        "因质量问题或发错货退货的，来回运费由商家承担，你可以先垫付，退款时一并补偿；"
        "七天无理由退货的寄回运费由买家承担，下单时购买了运费险的可获得理赔。",
    ),
    ("q2", "售后规则", "退货运费谁出，看退货原因。"),
    ("q3", "多久发货", "付款后48小时内发货。"),
]


@pytest.fixture
def embedder(tmp_path):
    return create_embedder(Settings(data_dir=tmp_path, embed_backend="fake"))


class Counting:
    """The fake embedder, counting the queries it embeds."""

    def __init__(self, inner):
        self.inner, self.queries = inner, []

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def embed_queries(self, texts):
        self.queries += list(texts)
        return self.inner.embed_queries(texts)


class Refuses:
    name = "refuses"

    def search(self, query, k=10):
        raise AssertionError("a retriever with no weight was searched")


def test_the_question_field_outweighs_an_answer_that_repeats_the_words(embedder):
    ix, info = build_indexes(DOCS, embedder)
    # the whole entry as one text: the short q2 wins on length
    assert BM25Index.build([(i, f"{t} {b}") for i, t, b in DOCS]).search("退货运费谁出", 1)[0].id == "q2"
    assert fielded_retriever(ix, question_weight=0.5, dense_weight=0.0).search("退货运费谁出", 1)[0].id == "q1"
    assert fielded_retriever(ix, question_weight=1.0, dense_weight=0.0).search("退货运费谁出", 1)[0].id == "q1"
    assert info["full"]["cached"] is False and info["question"]["cached"] is False


def test_weights_split_within_each_method_and_unweighted_retrievers_are_not_searched(embedder):
    ix, _ = build_indexes(DOCS, embedder)
    only_full = FieldIndexes(ix.bm25_full, Refuses(), ix.dense_full, Refuses())
    r = fielded_retriever(only_full, question_weight=0.0, dense_weight=0.7)
    assert r.weights == pytest.approx([0.3, 0.7]) and r.fusion == "convex"
    assert r.search("多久发货", 1)[0].id == "q3"
    both = fielded_retriever(ix, question_weight=0.4, dense_weight=0.7)
    assert both.weights == pytest.approx([0.18, 0.12, 0.42, 0.28]) and sum(both.weights) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="question_weight"):
        fielded_retriever(ix, question_weight=1.5)


def test_a_query_is_embedded_once_for_both_dense_fields(embedder, tmp_path):
    counting = Counting(embedder)
    ix, _ = build_indexes(DOCS, counting, tmp_path / "cache")
    counting.queries.clear()
    hits = fielded_retriever(ix).search("发货要几天", 3)
    assert counting.queries == ["发货要几天"] and all(isinstance(h, Hit) for h in hits)
    # the questions are embedded as queries (their own cached matrix), the entries as passages
    again, info = build_indexes(DOCS, counting, tmp_path / "cache")
    assert info["full"]["cached"] and info["question"]["cached"]
    assert info["full"]["key"] != info["question"]["key"]
