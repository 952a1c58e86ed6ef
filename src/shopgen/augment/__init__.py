"""Data augmentation for labelled training sets (数据增强): Chinese EDA edits and LLM paraphrases.

::

    facts       product facts a text states (sizes, prices, numbers, materials, colours, codes)
    lexicon     the shipped synonym groups (data/synonyms.txt, written for shopgen)
    eda         synonym replacement, random insertion, swap and deletion over jieba words, facts untouched
    paraphrase  LLM paraphrases kept when facts, meaning (e5) and label (a classifier) hold
    dedupe      exact and normalised duplicates against the originals and each other
    rows        labelled JSONL / CSV in, JSONL out (atomically)
    pipeline    one run over a file's rows, with its report

Nothing here loads a model: the CLI (``shopgen augment``) hands in the runtime's LLM, embedder and
the classifier that checks labels.
"""

from shopgen.augment.pipeline import METHODS, run

__all__ = ["METHODS", "run"]
