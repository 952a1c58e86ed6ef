"""The cleaning pipeline (清洗): per row, standardise → traditional→simplified (on request) →
mask personal data → filters (empty, length, language) → exact and near duplicates, with label
conflicts; then a report of what was removed and why.

Rows removed by a filter take no part in duplicate detection. Length limits apply to each text
field on its own (a FAQ answer may be long where its question is short); the language filter to
the row's text fields together.

>>> from shopgen.dataprep.records import Row, Table
>>> t = Table(Path("x.jsonl"), "jsonl", [Row(1, {"text": "好评！", "label": "pos"}), Row(2, {"text": "好评", "label": "neg"})])
>>> prepare(t, Options()).report["removed"]
{'label_conflict': 2}
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from shopgen.core.errors import InvalidInput
from shopgen.dataprep import dedup, records
from shopgen.dataprep.normalise import cjk_share, normalise, to_simplified
from shopgen.security.pii import DEFAULT_ORDER_PATTERN, LABELS, mask

# Addresses are left out by default: in the review training file 126 texts had an "address" finding
# and about 2 in 40 of those were a person's address; the rest were hotels' streets, "大街小巷",
# "弄来弄去" (see BENCHMARKS.md, "Data preparation"). Masking them would damage training text.
DEFAULT_MASK_KINDS = ("order", "email", "id_card", "bank_card", "mobile", "landline")

REASONS = ("empty", "too_short", "too_long", "not_chinese", "duplicate", "near_duplicate", "label_conflict")


@dataclass
class Options:
    fields: Sequence[str] | None = None  # text fields; None: detect
    label_field: str | None = None  # None: "label" (or intent, sentiment) when the file has it
    labels: Sequence[str] | None = None  # the allowed labels; others are an error naming the line
    t2s: bool = False
    mask: bool = True
    mask_kinds: Sequence[str] = DEFAULT_MASK_KINDS  # kinds of shopgen.security.pii; "address" on request
    min_chars: int = 1
    max_chars: int | None = None
    min_cjk: float = 0.5  # 0 turns the language filter off
    near: float = 0.8  # Jaccard of character shingles; 1 (or 0): exact duplicates only
    ngram: int = 2
    conflicts: str = "drop"  # see dedup.resolve
    examples: int = 3
    order_pattern: str = DEFAULT_ORDER_PATTERN


@dataclass
class Prepared:
    table: records.Table
    fields: list[str]
    label_field: str | None
    labels: list[str] | None  # per row, as strings
    texts: list[list[str]]  # per row, the cleaned text fields
    fate: list[str]  # per row: "keep" or a reason from REASONS
    groups: list[dedup.Group] = field(default_factory=list)  # over the rows that passed the filters
    report: dict = field(default_factory=dict)

    def kept_rows(self) -> list[dict]:
        out = []
        for row, texts, fate in zip(self.table.rows, self.texts, self.fate):
            if fate == "keep":
                out.append({**row.values, **dict(zip(self.fields, texts))})
        return out


def _labels(table: records.Table, name: str | None, allowed: Sequence[str] | None) -> list[str] | None:
    if name is None:
        if allowed:
            raise InvalidInput(f"{table.path.name}: --labels given but the file has no label field (use --label-field)")
        return None
    out = []
    for row in table.rows:
        value = row.values.get(name)
        if isinstance(value, bool) or not isinstance(value, str | int) or str(value).strip() == "":
            raise InvalidInput(f"{table.path.name} line {row.line}: {name!r} must be a non-empty string or integer")
        value = str(value).strip()
        if allowed and value not in allowed:
            raise InvalidInput(
                f"{table.path.name} line {row.line}: unknown label {value!r} (allowed: {', '.join(allowed)})"
            )
        out.append(value)
    return out


def _texts(table: records.Table, fields: list[str]) -> list[list[str]]:
    out = []
    for row in table.rows:
        values = [row.values.get(f) for f in fields]
        for f, v in zip(fields, values):
            if v is not None and not isinstance(v, str):
                raise InvalidInput(f"{table.path.name} line {row.line}: {f!r} must be a string, not {type(v).__name__}")
        out.append([v or "" for v in values])
    return out


def _clean_row(values: list[str], opts: Options, changed: Counter) -> list[str]:
    out = []
    for v in values:
        n = normalise(v)
        changed["normalised"] += n != v
        if opts.t2s:
            s = to_simplified(n)
            changed["simplified"] += s != n
            n = s
        if opts.mask:
            m = mask(n, order_pattern=opts.order_pattern, kinds=opts.mask_kinds)
            changed["masked"] += m != n
            n = m
        out.append(n)
    return out


def _filter(values: list[str], opts: Options) -> str:
    if any(not v for v in values):
        return "empty"
    if any(len(v) < opts.min_chars for v in values):
        return "too_short"
    if opts.max_chars is not None and any(len(v) > opts.max_chars for v in values):
        return "too_long"
    if opts.min_cjk > 0 and cjk_share(" ".join(values)) < opts.min_cjk:
        return "not_chinese"
    return "keep"


def prepare(table: records.Table, opts: Options) -> Prepared:
    """Run the pipeline over ``table`` without writing anything. Raises InvalidInput naming the
    line for a label outside ``opts.labels`` or a text field that is not a string."""
    if opts.min_chars < 0 or (opts.max_chars is not None and opts.max_chars < opts.min_chars):
        raise InvalidInput("--min-chars must be ≥ 0 and --max-chars ≥ --min-chars")
    if not 0 <= opts.near <= 1:
        raise InvalidInput("--near must be between 0 and 1")
    unknown = [k for k in opts.mask_kinds if k not in LABELS]
    if unknown:
        raise InvalidInput(f"unknown --mask-kinds {unknown[0]!r} (kinds: {', '.join(LABELS)}, or all)")
    start = time.perf_counter()
    label_field = records.detect_label_field(table, opts.label_field)
    fields = records.detect_text_fields(table, opts.fields, label_field)
    labels = _labels(table, label_field, opts.labels)
    changed: Counter = Counter()
    texts = [_clean_row(v, opts, changed) for v in _texts(table, fields)]
    fate = [_filter(v, opts) for v in texts]
    passed = [i for i, f in enumerate(fate) if f == "keep"]
    groups = dedup.find_groups(
        [dedup.row_key(texts[i]) for i in passed], threshold=opts.near if opts.near < 1 else 0, ngram=opts.ngram
    )
    for g in groups:  # indices inside groups are positions in `passed`
        for m in g.members:
            m.index = passed[m.index]
        for i, what in dedup.resolve(g, labels, opts.conflicts).items():
            fate[i] = what
    prep = Prepared(table, fields, label_field, labels, texts, fate, groups)
    prep.report = _report(prep, opts, changed, time.perf_counter() - start)
    return prep


def _short(texts: list[str], limit: int = 80) -> str:
    s = " | ".join(t.replace("\n", " ") for t in texts)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _report(p: Prepared, opts: Options, changed: Counter, seconds: float) -> dict:
    rows = p.table.rows
    removed = Counter(f for f in p.fate if f != "keep")
    examples: dict[str, list[dict]] = {}
    first_of: dict[int, tuple[int, float]] = {}
    for g in p.groups:
        for m in g.members[1:]:
            first_of[m.index] = (g.first, m.similarity)
    for i, f in enumerate(p.fate):
        if f == "keep" or f == "label_conflict" or len(examples.get(f, [])) >= opts.examples:
            continue
        ex = {"line": rows[i].line, "text": _short(p.texts[i])}
        if i in first_of:
            ex["of_line"], ex["similarity"] = rows[first_of[i][0]].line, first_of[i][1]
        examples.setdefault(f, []).append(ex)
    conflicts = [g for g in p.groups if dedup.is_conflict(g, p.labels)]
    return {
        "file": str(p.table.path),
        "format": p.table.kind,
        "text_fields": p.fields,
        "label_field": p.label_field,
        "rows_in": len(rows),
        "rows_out": p.fate.count("keep"),
        "removed": {r: removed[r] for r in REASONS if removed[r]},
        "changed": {k: changed[k] for k in ("normalised", "simplified", "masked") if k in changed},
        "duplicates": {
            "exact": sum(m.kind == "duplicate" for g in p.groups for m in g.members),
            "near": sum(m.kind == "near_duplicate" for g in p.groups for m in g.members),
            "groups": sum(len(g.members) > 1 for g in p.groups),
        },
        "conflicts": {
            "groups": len(conflicts),
            "rows": sum(len(g.members) for g in conflicts),
            "policy": opts.conflicts,
            "examples": [_conflict(p, g) for g in conflicts[: opts.examples]],
        },
        "examples": examples,
        "settings": {
            "t2s": opts.t2s,
            "mask": list(opts.mask_kinds) if opts.mask else False,
            "min_chars": opts.min_chars,
            "max_chars": opts.max_chars,
            "min_cjk": opts.min_cjk,
            "near": opts.near,
            "ngram": opts.ngram,
        },
        "seconds": round(seconds, 2),
    }


def _conflict(p: Prepared, g: dedup.Group) -> dict:
    return {
        "lines": [p.table.rows[m.index].line for m in g.members],
        "labels": [p.labels[m.index] for m in g.members],
        "texts": [_short(p.texts[m.index], 60) for m in g.members],
        "similarity": min(m.similarity for m in g.members),
    }


def clean_file(path: str | Path, out: str | Path, opts: Options) -> dict:
    """Clean ``path`` into ``out`` (written atomically; ``.jsonl`` out turns a CSV into JSON Lines)
    and return the report. ``out`` may not be ``path`` itself."""
    path, out = Path(path), Path(out)
    if out.exists() and path.exists() and out.resolve() == path.resolve():
        raise InvalidInput(f"{out}: --out must not be the input file")
    prep = prepare(records.read(path), opts)
    written = records.write(prep.table, prep.kept_rows(), out)
    return {**prep.report, "out": str(written)}
