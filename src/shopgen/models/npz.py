"""The one file format of shopgen's small numpy models (sentiment, intents, the e5 sentiment head).

A compressed ``.npz``: float arrays, string lists stored as one NUL-joined string (a vocabulary's
terms in index order, label names), and a JSON ``meta`` with provenance. Loading never unpickles,
so a file works across numpy and scikit-learn versions; a missing or foreign file is a ConfigError.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from shopgen.core.errors import ConfigError

SEP = "\x00"


def vocab_terms(vocab: dict[str, int]) -> list[str]:
    """A vocabulary's terms in index order (what :func:`save` stores)."""
    return sorted(vocab, key=vocab.__getitem__)


def save(
    path: Path | str,
    *,
    meta: dict,
    strings: dict[str, Sequence[str]] | None = None,
    sort_meta: bool = False,
    **arrays: np.ndarray,
) -> Path:
    packed = {k: np.array(SEP.join(v)) for k, v in (strings or {}).items()}
    np.savez_compressed(
        path, **arrays, **packed, meta=np.array(json.dumps(meta, ensure_ascii=False, sort_keys=sort_meta))
    )
    return Path(path)


@dataclass
class Loaded:
    arrays: dict[str, np.ndarray]
    meta: dict

    def strings(self, key: str) -> list[str]:
        return str(self.arrays[key]).split(SEP)

    def vocab(self, key: str = "vocab") -> dict[str, int]:
        return {t: i for i, t in enumerate(self.strings(key))}


def load(path: Path | str, what: str, required: Sequence[str] = ()) -> Loaded:
    """Every array of ``path`` (``required`` ones must be there). ``what`` names the model in errors."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{what} not found: {path}")
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        missing = [k for k in (*required, "meta") if k not in arrays]
        if missing:
            raise KeyError(", ".join(missing))
        return Loaded(arrays, json.loads(str(arrays.pop("meta"))))
    except (KeyError, ValueError, OSError) as exc:
        raise ConfigError(f"not a shopgen {what}: {path} ({exc})") from exc
