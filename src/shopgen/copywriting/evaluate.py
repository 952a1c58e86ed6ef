"""Evaluate copy generation on AdvertiseGen-style data: BLEU-4, ROUGE-1/2/L, distinct-2, grounding.

The target is the ``summary`` style, i.e. the ``description`` kind. Modes:

* ``fewshot``  — the copywriter with the k most similar exemplars as style guides;
* ``zeroshot`` — the copywriter with no exemplars;
* ``nearest``  — no model: the copy of the most similar exemplar (the retrieval baseline).

When the data and the exemplars are the same file, :func:`split_dev` gives a fixed half of it as
exemplars and the other half as test items; otherwise the test items come from ``data`` and the
exemplars from ``exemplars``, and an exemplar identical to the item is excluded in every case.
``split="half"`` scores the held-out half of ``data`` whatever the exemplar file, so that every mode
(zero-shot, exemplars from the other half, exemplars from a train file) is scored on the same items.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from shopgen.copywriting import grounding, metrics
from shopgen.copywriting.attrs import parse_attrs
from shopgen.copywriting.exemplars import ExemplarStore, nearest_copy_baseline, read_pairs
from shopgen.copywriting.generate import Copywriter
from shopgen.core.errors import InvalidInput

MODES = ("fewshot", "zeroshot", "nearest")
SPLITS = ("auto", "half", "all")


def split_dev(path: str | Path, seed: int = 0) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``(exemplars, test)``: a seeded shuffle of the file's pairs cut in half (the same for the same seed)."""
    pairs = read_pairs(path)
    order = list(range(len(pairs)))
    random.Random(seed).shuffle(order)
    half = len(pairs) // 2
    return [pairs[i] for i in sorted(order[:half])], [pairs[i] for i in sorted(order[half:])]


def _stderr_progress(i: int, n: int) -> None:
    if i == n or i % 10 == 0:
        print(f"\r{i}/{n}", end="\n" if i == n else "", file=sys.stderr, flush=True)


def load_split(data_path, exemplars_path, seed: int, split: str = "auto"):
    """``(exemplar pool, test items)``; see the module docstring for ``split``."""
    if split not in SPLITS:
        raise InvalidInput(f"unknown split {split!r}; valid splits: {', '.join(SPLITS)}")
    same = exemplars_path is not None and Path(data_path).resolve() == Path(exemplars_path).resolve()
    if same:
        if split == "all":
            raise InvalidInput("split 'all' needs an exemplar file other than the data")
        return split_dev(data_path, seed)
    if split == "half":
        test = split_dev(data_path, seed)[1]
    else:
        test = read_pairs(data_path)
        random.Random(seed).shuffle(test)
    return (read_pairs(exemplars_path) if exemplars_path else []), test


def evaluate(
    data_path: str | Path,
    exemplars_path: str | Path | None,
    llm=None,
    limit: int | None = None,
    kind: str = "description",
    seed: int = 0,
    mode: str = "fewshot",
    *,
    k: int = 2,
    split: str = "auto",
    progress: Callable[[int, int], None] | None = _stderr_progress,
) -> dict:
    """Scores of ``mode`` on up to ``limit`` test items.

    Raises InvalidInput for an unknown mode, a missing model (fewshot/zeroshot) or exemplar file
    (fewshot/nearest), or files with no usable item.
    """
    if mode not in MODES:
        raise InvalidInput(f"unknown mode {mode!r}; valid modes: {', '.join(MODES)}")
    if mode != "nearest" and llm is None:
        raise InvalidInput(f"mode {mode} needs a language model")
    if mode != "zeroshot" and not exemplars_path:
        raise InvalidInput(f"mode {mode} needs an exemplar file (--exemplars)")
    if limit is not None and limit < 1:
        raise InvalidInput("limit must be at least 1")
    pool, test = load_split(data_path, exemplars_path, seed, split)
    test = test[:limit] if limit else test
    if not test:
        raise InvalidInput(f"{data_path} has no test item")
    store = ExemplarStore(pool) if pool else None
    if mode != "zeroshot" and not store:
        raise InvalidInput("the exemplar file has no item")
    writer = Copywriter(llm, store if mode == "fewshot" else None, k=k) if mode != "nearest" else None
    preds, refs, facts_list = [], [], []
    start = time.perf_counter()
    for i, (content, summary) in enumerate(test, 1):
        facts = parse_attrs(content)
        if writer is None:
            preds.append(nearest_copy_baseline(facts, store, exclude=content))
        else:
            preds.append(writer.generate(facts, kind, exclude=content).text)
        refs.append(summary)
        facts_list.append(facts)
        if progress:
            progress(i, len(test))
    seconds = time.perf_counter() - start
    return {
        "n": len(test),
        **metrics.score(preds, refs),
        "unsupported_rate": grounding.unsupported_rate(preds, facts_list),
        "seconds_per_item": seconds / len(test),
        "model": "nearest-exemplar" if writer is None else getattr(llm, "model", ""),
        "mode": mode,
        "exemplar_pool": len(pool) if mode != "zeroshot" else 0,
    }
