"""Item text, and its embeddings computed once.

Sources: the shop's catalog (title, brand, category, attributes, description), Amazon 2018
metadata (``meta_*.json.gz``: title, brand, category, feature, description; deduplicated by
asin), RecBole ``.item`` files (every token field joined). :func:`embed` turns texts into
passage vectors with the shop's embedder, caching them by content hash in a folder.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import re
from pathlib import Path

import numpy as np

from shopgen.core.errors import InvalidInput

MAX_CHARS = 400  # e5-small reads 512 tokens; the head of a description carries the product
_TAGS = re.compile(r"<[^>]+>")


def _clean(text: str) -> str:
    return " ".join(html.unescape(_TAGS.sub(" ", text)).split())


def product_text(p: dict) -> str:
    """A catalog product (``store.catalog.to_dict``) as one passage."""
    attrs = "；".join(f"{k}：{v}" for k, v in (p.get("attributes") or {}).items())
    parts = [p.get("title") or "", p.get("brand") or "", p.get("category") or "", attrs, p.get("description") or ""]
    return _clean(" ".join(x for x in parts if x))[:MAX_CHARS]


def amazon_meta(path: str | Path) -> dict[str, dict]:
    """``{asin: {"text", "category"}}`` from an Amazon 2018 metadata file (first row per asin)."""
    out: dict[str, dict] = {}
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                m = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidInput(f"{Path(path).name} line {n}: not valid JSON ({exc.msg})") from exc
            asin = m.get("asin")
            if not asin or asin in out:
                continue
            cats = [c for c in m.get("category") or [] if isinstance(c, str)]
            desc = m.get("description") or []
            desc = " ".join(desc) if isinstance(desc, list) else str(desc)
            feats = " ".join(x for x in m.get("feature") or [] if isinstance(x, str))
            text = " ".join(x for x in (m.get("title", ""), m.get("brand", ""), " / ".join(cats), feats, desc) if x)
            out[asin] = {"text": _clean(text)[:MAX_CHARS], "category": cats[-1] if cats else ""}
    return out


def recbole_items(path: str | Path) -> dict[str, dict]:
    """``{item_id: {"text", "category"}}`` from a RecBole atomic ``.item`` file."""
    out: dict[str, dict] = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        names = [h.split(":", 1)[0] for h in f.readline().rstrip("\n").split("\t")]
        if "item_id" not in names:
            raise InvalidInput(f"{Path(path).name}: a RecBole .item header needs item_id")
        for line in f:
            rec = dict(zip(names, line.rstrip("\n").split("\t")))
            text = " ".join(v for k, v in rec.items() if k != "item_id" and v)
            cls = rec.get("class", "").split()
            out[rec["item_id"]] = {"text": _clean(text)[:MAX_CHARS], "category": cls[0] if cls else ""}
    return out


def sidecar(data: Path) -> Path | None:
    """Item text that sits beside a data file: ``meta_X.json.gz`` for ``X_5.json.gz``, ``X.item``
    for ``X.inter``."""
    name = data.name
    if name.endswith(".inter"):
        p = data.with_suffix(".item")
        return p if p.is_file() else None
    m = re.match(r"(.+?)(_5)?\.json(\.gz)?$", name)
    if m:
        for cand in (f"meta_{m.group(1)}.json.gz", f"meta_{m.group(1)}.json"):
            if (data.parent / cand).is_file():
                return data.parent / cand
    return None


def load_texts(path: str | Path) -> dict[str, dict]:
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such item file")
    return recbole_items(path) if path.suffix == ".item" else amazon_meta(path)


def embed(embedder, texts: list[str], cache_dir: Path | None = None, batch: int = 64) -> np.ndarray:
    """Passage vectors for ``texts`` (a zero row for an empty text), cached per text in
    ``cache_dir`` under the embedder's model name, so a catalog is embedded once."""
    dim = int(embedder.dim)
    out = np.zeros((len(texts), dim), dtype=np.float32)
    cache: dict[str, np.ndarray] = {}
    cache_file = None
    if cache_dir is not None:
        tag = hashlib.sha1(f"{embedder.name}:{embedder.model}".encode()).hexdigest()[:12]
        cache_file = Path(cache_dir) / f"item-vectors-{tag}.npz"
        if cache_file.is_file():
            with np.load(cache_file, allow_pickle=False) as z:
                cache = dict(zip(z["keys"].tolist(), z["vectors"]))
    key = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
    todo = [n for n, t in enumerate(texts) if t.strip() and key[n] not in cache]
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        vecs = embedder.embed_passages([texts[n] for n in chunk])
        for n, v in zip(chunk, vecs):
            cache[key[n]] = np.asarray(v, dtype=np.float32)
    for n, t in enumerate(texts):
        if t.strip():
            out[n] = cache[key[n]]
    if cache_file is not None and todo:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.asarray(list(cache)), vectors=np.stack(list(cache.values())))
        tmp.replace(cache_file)
    return out
