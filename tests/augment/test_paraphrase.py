import pytest

from shopgen.augment import paraphrase as para
from shopgen.augment.pipeline import run
from shopgen.augment.rows import Row
from shopgen.models.embed import create_embedder
from shopgen.models.llm.fake import FakeGenerator

ORIGINAL = "这件纯棉T恤有XL码吗？"


@pytest.fixture
def embedder(settings):
    return create_embedder(settings)  # settings name the "fake" backend


def test_parse_strips_numbering_bullets_quotes_and_preambles():
    reply = "好的，改写如下：\n1. 这件有XL吗\n2、“还有XL码吗”\n- 有没有XL码\n\n（4）XL码还有吗"
    assert para.parse(reply) == ["这件有XL吗", "还有XL码吗", "有没有XL码", "XL码还有吗"]


def test_select_drops_each_candidate_for_its_reason(embedder):
    texts = [
        "这件纯棉T恤还有XL码吗？",  # kept
        "这件涤纶T恤有XL码吗？",  # facts: material changed
        "纯棉XL码的话今天天气真不错呀哈哈",  # meaning: same facts, another sentence
        "这件纯棉T恤有XL码吗，我要退",  # label: the classifier says return
        "这件纯棉T恤有XL码吗？",  # duplicate of the original
        "这件纯棉T恤有XL码吗!",  # near duplicate of the original
        "这件纯棉T恤还有XL码吗？",  # duplicate of the first, already kept
        "",  # malformed
    ]
    cands = [para.Candidate(0, t) for t in texts]
    kept, dropped = para.select(
        [ORIGINAL],
        ["product"],
        cands,
        embedder=embedder,
        labeler=lambda ts: ["return" if "退" in t else "product" for t in ts],
        min_similarity=0.6,
    )
    assert [c.text for c in kept] == [texts[0]]
    assert dropped == {"malformed": 1, "facts": 1, "meaning": 1, "label": 1, "duplicate": 2, "near_duplicate": 1}


def test_without_a_classifier_the_label_is_not_checked(embedder):
    cands = [para.Candidate(0, "这件纯棉T恤有XL码吗，我要退")]
    kept, dropped = para.select([ORIGINAL], ["product"], cands, embedder=embedder, min_similarity=0.6)
    assert len(kept) == 1 and dropped["label"] == 0


def test_a_run_with_the_scripted_model_reports_generated_kept_dropped(embedder):
    llm = FakeGenerator(replies=["1. 这件纯棉T恤还有XL码吗？\n2. 这件纯棉T恤有L码吗？", "物流怎么还没更新啊\n物流太慢"])
    rows = [Row(1, ORIGINAL, "product"), Row(2, "物流怎么还不更新", "complaint")]
    records, report = run(
        rows, method="paraphrase", n_per_row=2, llm=llm, embedder=embedder, labeler=None, min_similarity=0.2
    )
    p = report["paraphrase"]
    assert p["generated"] == 4 and p["dropped"]["facts"] == 1
    assert p["kept"] == 3 == len(records) - 2
    assert records[2] == {"text": "这件纯棉T恤还有XL码吗？", "label": "product", "source": "paraphrase", "of": 1}
    assert {r["label"] for r in records if r["of"] == 2} == {"complaint"}


def test_paraphrasing_needs_the_models():
    from shopgen.core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="LLM and an embedder"):
        run([Row(1, "包邮吗", "shipping")], method="paraphrase")


def test_each_row_is_paraphrased_with_its_own_seed(embedder):
    """The run's seed and the row's text fix the sampling: the same row gets the same seed in any
    file and any order, another run seed or another row another one."""
    seeds = []

    class Recording(FakeGenerator):
        def chat(self, messages, **kw):
            seeds.append(kw.get("seed"))
            return super().chat(messages, **kw)

    rows = [Row(1, ORIGINAL, "product"), Row(2, "物流怎么还不更新", "complaint")]
    for run_seed, order in ((0, rows), (0, rows[::-1]), (1, rows)):
        run(order, method="paraphrase", n_per_row=1, llm=Recording(), embedder=embedder, seed=run_seed)
    assert seeds[0] == para.row_seed(0, ORIGINAL) and seeds[1] == para.row_seed(0, "物流怎么还不更新")
    assert seeds[2:4] == seeds[1::-1]  # the same rows, the other order
    assert seeds[4] != seeds[0] and seeds[0] != seeds[1]
    assert para.generate(Recording(), ORIGINAL, 1) is not None and seeds[-1] is None  # no seed: a fresh draw
