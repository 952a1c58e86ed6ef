"""Exact and near duplicates, and label conflicts among them.

Rows are taken in file order. A row whose key (:func:`row_key`, built on
:func:`~shopgen.dataprep.normalise.dedup_key`) was seen
before is an exact duplicate of the first row with that key. Otherwise its character n-gram
shingles go through MinHash LSH (``datasketch``); each candidate the index returns is checked
with the true Jaccard similarity of the two shingle sets, so LSH only saves time and never decides
on its own. A row at or above ``threshold`` with a kept row is a near duplicate of the most similar
one; otherwise it is kept and indexed.

Shingles are character n-grams (default 2) of the key, which has no spaces or punctuation: Chinese
has no spaces to split words on, and bigrams behave like short words ("很好|下次|还来") while
staying robust to jieba's segmentation. Texts shorter than ``n`` are one shingle.

Each kept row with its duplicates is a :class:`Group`. A group whose rows carry more than one label
is a **conflict**: the same text (or nearly) labelled two ways. :func:`resolve` says what survives.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from shopgen.core.errors import InvalidInput
from shopgen.core.lazy import require
from shopgen.dataprep.normalise import dedup_key

CONFLICT_POLICIES = ("drop", "majority", "keep")


@dataclass
class Member:
    index: int  # position in the input list
    kind: str  # "first", "duplicate" or "near_duplicate"
    similarity: float  # Jaccard with the group's first row (1.0 for exact)


@dataclass
class Group:
    members: list[Member] = field(default_factory=list)

    @property
    def first(self) -> int:
        return self.members[0].index


def shingles(key: str, n: int) -> set[str]:
    if len(key) <= n:
        return {key}
    return {key[i : i + n] for i in range(len(key) - n + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def row_key(texts: list[str]) -> str:
    """The duplicate key of a row with one or more text fields (fields kept apart by ``|``, which
    no single field's key contains)."""
    return "|".join(dedup_key(t) for t in texts)


def find_groups(
    keys: list[str], *, threshold: float = 0.8, ngram: int = 2, num_perm: int = 128, seed: int = 1
) -> list[Group]:
    """Group rows, given by their keys (:func:`row_key`), into first occurrences and their
    duplicates (``threshold`` ≥ 1 or ≤ 0: exact duplicates only). Every index appears in exactly
    one group; groups are in file order.

    >>> [[m.index for m in g.members] for g in find_groups([row_key([t]) for t in ["好评！", "差评", "好评"]])]
    [[0, 2], [1]]
    """
    if ngram < 1:
        raise InvalidInput("--ngram must be at least 1")
    near = 0.0 < threshold < 1.0
    if near:
        ds = require("datasketch", "data")
        import numpy as np

        # LSH only proposes candidates (each is verified): a band set tuned 0.1 below the threshold
        # misses fewer true pairs near it, and above 0.9 datasketch cannot band 128 permutations
        lsh = ds.MinHashLSH(threshold=min(0.9, max(0.05, threshold - 0.1)), num_perm=num_perm)
        template = ds.MinHash(num_perm=num_perm, seed=seed)
        # reuse the permutations (drawing them is most of a MinHash's set-up); datasketch 2 wants
        # the hashing scheme named with them
        reuse = {"permutations": template.permutations}
        if hasattr(template, "scheme"):
            reuse["scheme"] = template.scheme
    groups: list[Group] = []
    by_key: dict[str, int] = {}  # key → group number
    kept_shingles: dict[int, set[str]] = {}  # group number → shingles of its first row
    for i, key in enumerate(keys):
        if key in by_key:
            groups[by_key[key]].members.append(Member(i, "duplicate", 1.0))
            continue
        match = None
        if near and key:
            sh = shingles(key, ngram)
            m = ds.MinHash(num_perm=num_perm, seed=seed, **reuse)
            m.update_batch(np.char.encode(np.array(sorted(sh)), "utf-8"))
            best = 0.0
            for g in lsh.query(m):
                sim = jaccard(sh, kept_shingles[g])
                if sim >= threshold and (sim > best or (sim == best and g < match)):
                    match, best = g, sim
        if match is not None:
            groups[match].members.append(Member(i, "near_duplicate", round(best, 4)))
            by_key[key] = match
            continue
        g = len(groups)
        groups.append(Group([Member(i, "first", 1.0)]))
        by_key[key] = g
        if near and key:
            kept_shingles[g] = sh
            lsh.insert(g, m)
    return groups


def resolve(group: Group, labels: list[str | None] | None, policy: str = "drop") -> dict[int, str]:
    """What happens to each row of ``group``: ``{index: "keep" | "duplicate" | "near_duplicate" |
    "label_conflict"}``. Without conflicting labels the first row is kept. With them, ``drop``
    removes every row of the group; ``majority`` keeps the first row of a strict majority label
    (ties drop all); ``keep`` keeps the first row of each label."""
    if policy not in CONFLICT_POLICIES:
        raise InvalidInput(f"conflict policy must be one of {', '.join(CONFLICT_POLICIES)}, not {policy!r}")
    found = [labels[m.index] for m in group.members] if labels else [None] * len(group.members)
    if len(set(found)) <= 1:
        return {m.index: "keep" if m.kind == "first" else m.kind for m in group.members}
    keep_label: set = set()
    if policy == "keep":
        keep_label = set(found)
    elif policy == "majority":
        (top, n), *rest = Counter(found).most_common()
        if not rest or rest[0][1] < n:
            keep_label = {top}
    out: dict[int, str] = {}
    seen: set = set()
    for m, label in zip(group.members, found):
        if label not in keep_label:
            out[m.index] = "label_conflict"
        elif label in seen:
            out[m.index] = "duplicate" if m.kind == "first" else m.kind
        else:
            seen.add(label)
            out[m.index] = "keep"
    return out


def is_conflict(group: Group, labels: list[str | None] | None) -> bool:
    return bool(labels) and len({labels[m.index] for m in group.members}) > 1
