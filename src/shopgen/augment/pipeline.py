"""One augmentation run over labelled rows: EDA edits, LLM paraphrases or both, one duplicate
filter across them, and a report of what was generated, kept and dropped (per reason)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from shopgen.augment import eda
from shopgen.augment import paraphrase as para
from shopgen.augment.dedupe import Deduper
from shopgen.augment.lexicon import Lexicon
from shopgen.augment.rows import Row
from shopgen.core.errors import InvalidInput

METHODS = ("eda", "paraphrase", "both")


def _eda(rows: Sequence[Row], n: int, seed: int, alpha: float, lexicon: Lexicon | None, dedupe: Deduper):
    records, dropped, by_op, generated = [], Counter(duplicate=0, near_duplicate=0), Counter(), 0
    for row in rows:
        for op, text in eda.variants(row.text, n, seed=seed, alpha=alpha, lexicon=lexicon):
            generated += 1
            reason = dedupe.check(text)
            if reason:
                dropped[reason] += 1
                continue
            by_op[op] += 1
            records.append({"text": text, "label": row.label, "source": f"eda:{op}", "of": row.line})
    report = {"generated": generated, "kept": len(records), "dropped": dict(dropped), "kept_by_op": dict(by_op)}
    return records, report


def _paraphrase(
    rows: Sequence[Row], n: int, dedupe: Deduper, *, llm, embedder, labeler, min_similarity, progress, seed: int
):
    cands, generated = [], 0
    for i, row in enumerate(rows):
        texts = para.generate(llm, row.text, n, seed=seed)
        generated += len(texts)
        cands += [para.Candidate(i, t) for t in texts]
        if progress:
            progress(1)
    kept, dropped = para.select(
        [r.text for r in rows],
        [r.label for r in rows],
        cands,
        embedder=embedder,
        labeler=labeler,
        min_similarity=min_similarity,
        dedupe=dedupe,
    )
    records = [
        {"text": c.text, "label": rows[c.row].label, "source": "paraphrase", "of": rows[c.row].line} for c in kept
    ]
    report = {
        "generated": generated,
        "kept": len(records),
        "dropped": dict(dropped),
        "min_similarity": min_similarity,
        "label_checked": labeler is not None,
        "model": getattr(llm, "model", None),
    }
    return records, report


def run(
    rows: Sequence[Row],
    *,
    method: str = "eda",
    n_per_row: int = 4,
    seed: int = 0,
    alpha: float = 0.1,
    lexicon: Lexicon | None = None,
    llm=None,
    embedder=None,
    labeler: para.Labeler | None = None,
    min_similarity: float = 0.95,
    with_originals: bool = True,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[dict], dict]:
    """Augmented records (the originals first unless ``with_originals`` is off) and the report.
    ``paraphrase`` and ``both`` need ``llm`` and ``embedder``; ``labeler`` (texts → labels) is optional."""
    if method not in METHODS:
        raise InvalidInput(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    if n_per_row < 1:
        raise InvalidInput("n_per_row must be at least 1")
    if not 0 < alpha <= 0.5:
        raise InvalidInput("alpha must be in (0, 0.5]")
    dedupe = Deduper(r.text for r in rows)
    records = (
        [{"text": r.text, "label": r.label, "source": "original", "of": r.line} for r in rows] if with_originals else []
    )
    report: dict = {"rows": len(rows), "method": method, "n_per_row": n_per_row, "seed": seed}
    if method in ("eda", "both"):
        new, report["eda"] = _eda(rows, n_per_row, seed, alpha, lexicon, dedupe)
        records += new
    if method in ("paraphrase", "both"):
        if llm is None or embedder is None:
            raise InvalidInput("paraphrasing needs an LLM and an embedder")
        new, report["paraphrase"] = _paraphrase(
            rows,
            n_per_row,
            dedupe,
            llm=llm,
            embedder=embedder,
            labeler=labeler,
            min_similarity=min_similarity,
            progress=progress,
            seed=seed,
        )
        records += new
    report["written"] = len(records)
    return records, report
