import logging

import pytest

from shopgen.copywriting import metrics

from .conftest import dev_rows


def _pairs(n=50):
    rows = dev_rows(n + 1)
    refs = [r["summary"] for r in rows[:n]]
    # a neighbour's copy (shares style words, not facts), cut to assorted lengths, plus the edge cases
    preds = [rows[i + 1]["summary"][: 20 + 7 * i] for i in range(n)]
    preds[:6] = ["好", "这款", "abc", refs[3][:3], refs[4], refs[5] + "。" + refs[6]]
    return preds, refs


def test_bleu_and_rouge_equal_nltk_and_rouge_chinese_on_real_pairs():
    bleu_score = pytest.importorskip("nltk.translate.bleu_score", reason="pip install 'shopgen[copy]'")
    rouge_chinese = pytest.importorskip("rouge_chinese", reason="pip install 'shopgen[copy]'")
    import jieba

    jieba.setLogLevel(logging.WARNING)
    smooth = bleu_score.SmoothingFunction().method3
    preds, refs = _pairs()
    for p, r in zip(preds, refs):
        want_bleu = bleu_score.sentence_bleu([list(r)], list(p), smoothing_function=smooth)
        assert metrics.sentence_bleu4(p, r) == pytest.approx(want_bleu, abs=1e-6)
        want = rouge_chinese.Rouge().get_scores(" ".join(jieba.cut(p)), " ".join(jieba.cut(r)))[0]
        got = metrics.rouge_scores(p, r)
        for key in ("rouge-1", "rouge-2", "rouge-l"):
            assert got[key] == pytest.approx(want[key]["f"], abs=1e-6), (key, p)


def test_edge_cases():
    assert metrics.sentence_bleu4("", "参考文案") == 0.0
    assert metrics.sentence_bleu4("xyz", "参考文案") == 0.0  # no shared character: nltk returns 0
    # 2 characters, both in the reference: p1 = 1, p2 = 1/1 (one bigram, matched), p3, p4 smoothed 1/2, 1/4
    short = metrics.sentence_bleu4("文案", "参考文案")
    assert short == pytest.approx(2.718281828 ** (1 - 4 / 2) * (1 * 1 * 0.5 * 0.25) ** 0.25)
    # rouge-chinese raises on an empty hypothesis; we score it 0
    assert metrics.rouge_scores("", "参考文案") == {"rouge-1": 0.0, "rouge-2": 0.0, "rouge-l": 0.0}
    assert metrics.rouge_scores("   ", "参考文案")["rouge-l"] == 0.0
    assert metrics.rouge_scores("参考文案", "参考文案")["rouge-1"] == pytest.approx(1.0, abs=1e-7)


def test_distinct2_and_corpus_average():
    assert metrics.distinct2(["abab", "ab"]) == pytest.approx(2 / 4)  # ab ba ab | ab
    assert metrics.distinct2(["a", ""]) == 0.0
    s = metrics.score(["参考文案", ""], ["参考文案", "参考文案"])
    assert s["bleu4"] == pytest.approx(50.0)
    assert s["rouge1"] == pytest.approx(50.0, abs=1e-5)
    with pytest.raises(Exception, match="2 predictions but 1 references"):
        metrics.score(["a", "b"], ["a"])
