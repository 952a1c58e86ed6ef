"""BLEU-4 and ROUGE-1/2/L as the ChatGLM-6B P-Tuning AdvertiseGen protocol computes them, without nltk.

Per pair (prediction, reference)::

    bleu-4  = nltk sentence_bleu([list(ref)], list(pred), smoothing_function=SmoothingFunction().method3)
    rouge-* = rouge_chinese.Rouge().get_scores(' '.join(jieba.cut(pred)), ' '.join(jieba.cut(ref)))[0][*]['f']

each averaged over pairs and multiplied by 100. These re-implementations agree with nltk and
rouge-chinese to 1e-6 (tests/copywriting/test_metrics.py checks real AdvertiseGen pairs), are a few
times faster, and need only jieba (its default dictionary, as the protocol uses ``jieba.cut``).

Edge cases, matching the references where they define one:

* an empty prediction, or one sharing no character with the reference, scores BLEU 0 (nltk returns 0
  when no unigram matches); a prediction shorter than 4 characters gets method3's smoothed
  precisions 1/(2^k) for its missing orders, exactly as nltk does;
* rouge-chinese *raises* ValueError for an empty hypothesis (or reference); we score such a pair
  0 for every ROUGE, as the ChatGLM2/3 fine-tuning scripts do, so one empty output cannot abort an
  evaluation and still counts against the model.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from itertools import chain

from shopgen.core.errors import InvalidInput

_WEIGHTS = (0.25, 0.25, 0.25, 0.25)


# -- BLEU -----------------------------------------------------------------------------------------
def _ngrams(seq: Sequence[str], n: int) -> Counter:
    return Counter(tuple(seq[i : i + n]) for i in range(len(seq) - n + 1))


def sentence_bleu4(prediction: str, reference: str) -> float:
    """Character BLEU-4 with method3 smoothing, in [0, 1]."""
    hyp, ref = list(prediction), list(reference)
    nums, dens = [], []
    for n in range(1, 5):
        counts, ref_counts = _ngrams(hyp, n), _ngrams(ref, n)
        nums.append(sum(min(c, ref_counts[g]) for g, c in counts.items()))
        dens.append(max(1, sum(counts.values())))
    if nums[0] == 0:
        return 0.0
    precisions, k = [], 1
    for num, den in zip(nums, dens):
        if num == 0:  # method3 (NIST geometric sequence smoothing)
            precisions.append(1 / (2**k * den))
            k += 1
        else:
            precisions.append(num / den)
    c, r = len(hyp), len(ref)
    bp = 1.0 if c > r else (0.0 if c == 0 else math.exp(1 - r / c))
    return bp * math.exp(math.fsum(w * math.log(p) for w, p in zip(_WEIGHTS, precisions) if p > 0))


# -- ROUGE ----------------------------------------------------------------------------------------
def _cut_sent(para: str) -> list[str]:
    """rouge-chinese's sentence splitter (it decides where its words are split)."""
    para = re.sub("([。！？?])([^”’])", r"\1\n\2", para)
    para = re.sub(r"(\.{6})([^”’])", r"\1\n\2", para)
    para = re.sub("(…{2})([^”’])", r"\1\n\2", para)
    para = re.sub("([。！？?][”’])([^，。！？?])", r"\1\n\2", para)
    return para.rstrip().split("\n")


def _words(spaced: str) -> list[str]:
    sents = [" ".join(s.split()) for s in _cut_sent(spaced) if len(s) > 0]
    return list(chain.from_iterable(s.split(" ") for s in sents))


def _f(overlap: int, n_hyp: int, n_ref: int) -> float:
    p = overlap / n_hyp if n_hyp else 0.0
    r = overlap / n_ref if n_ref else 0.0
    return 2.0 * ((p * r) / (p + r + 1e-8))


def _rouge_n(hyp: list[str], ref: list[str], n: int) -> float:
    # rouge-chinese counts *distinct* n-grams (sets), and n-grams run across sentence ends
    h = {tuple(hyp[i : i + n]) for i in range(len(hyp) - n + 1)}
    r = {tuple(ref[i : i + n]) for i in range(len(ref) - n + 1)}
    return _f(len(h & r), len(h), len(r))


def _lcs_len(a: list[str], b: list[str]) -> int:
    """Longest common subsequence, one DP row at a time."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b, 1):
            cur.append(prev[j - 1] + 1 if x == y else max(prev[j], cur[j - 1]))
        prev = cur
    return prev[-1]


def rouge_scores(prediction: str, reference: str) -> dict[str, float]:
    """ROUGE-1/2/L F-scores in [0, 1] on jieba words; 0 for an empty prediction or reference."""
    import jieba

    hyp = _words(" ".join(jieba.cut(prediction)))
    ref = _words(" ".join(jieba.cut(reference)))
    if not " ".join(hyp).split() or not " ".join(ref).split():
        return {"rouge-1": 0.0, "rouge-2": 0.0, "rouge-l": 0.0}
    llcs = _lcs_len(ref, hyp)
    return {"rouge-1": _rouge_n(hyp, ref, 1), "rouge-2": _rouge_n(hyp, ref, 2), "rouge-l": _f(llcs, len(hyp), len(ref))}


# -- corpus level ---------------------------------------------------------------------------------
def distinct2(outputs: Sequence[str]) -> float:
    """Distinct character bigrams over all outputs / all character bigrams (0 when there are none)."""
    grams = [o[i : i + 2] for o in outputs for i in range(len(o) - 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


def score(predictions: Sequence[str], references: Sequence[str]) -> dict[str, float]:
    """``bleu4``, ``rouge1``, ``rouge2``, ``rougeL`` (means ×100) and ``distinct2`` of the predictions.

    Raises InvalidInput when the lists differ in length or are empty.
    """
    if len(predictions) != len(references):
        raise InvalidInput(f"{len(predictions)} predictions but {len(references)} references")
    if not predictions:
        raise InvalidInput("nothing to score")
    bleu = [sentence_bleu4(p, r) for p, r in zip(predictions, references)]
    rouge = [rouge_scores(p, r) for p, r in zip(predictions, references)]
    n = len(predictions)
    return {
        "bleu4": 100 * math.fsum(bleu) / n,
        "rouge1": 100 * math.fsum(x["rouge-1"] for x in rouge) / n,
        "rouge2": 100 * math.fsum(x["rouge-2"] for x in rouge) / n,
        "rougeL": 100 * math.fsum(x["rouge-l"] for x in rouge) / n,
        "distinct2": distinct2(predictions),
    }
