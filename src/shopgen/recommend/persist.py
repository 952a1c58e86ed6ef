"""Save and load a trained recommender: one ``.npz`` (no pickle) with the model's arrays, the
item side (ids, categories, text vectors) and a JSON header naming the model and its parameters."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from shopgen.core.errors import InvalidInput
from shopgen.recommend.base import ItemSide, Recommender, create

FORMAT = "shopgen-recommender/1"


def save(
    path: str | Path, model: Recommender, items: ItemSide, info: dict | None = None, extra: dict | None = None
) -> Path:
    """Write the model, its items, ``info`` (JSON) and ``extra`` arrays to ``path`` atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    header = {
        "format": FORMAT,
        "model": model.name,
        "params": model.params(),
        "items": items.ids,
        "categories": items.categories,
        "info": info or {},
    }
    arrays = {f"m.{k}": v for k, v in model.state().items()}
    arrays.update({f"x.{k}": v for k, v in (extra or {}).items()})
    if items.vectors is not None:
        arrays["item_vectors"] = items.vectors
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, header=np.asarray(json.dumps(header, ensure_ascii=False)), **arrays)
    tmp.replace(path)  # readers never see half a file
    return path


def load(path, with_extra: bool = False):
    """``(model, items, info)`` (and the ``extra`` arrays when asked); InvalidInput for a file that
    is not a saved recommender. ``path`` may also be an open binary file (Ray ships bytes)."""
    if isinstance(path, str | Path):
        path = Path(path)
        if not path.is_file():
            raise InvalidInput(f"{path}: no such model file (train one with 'shopgen recommend train')")
    name = getattr(path, "name", "model")
    try:
        with np.load(path, allow_pickle=False) as z:
            header = json.loads(str(z["header"]))
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError, KeyError) as exc:
        raise InvalidInput(f"{name}: not a shopgen recommender ({exc})") from exc
    if header.get("format") != FORMAT:
        raise InvalidInput(f"{name}: not a shopgen recommender (format {header.get('format')!r})")
    items = ItemSide(ids=header["items"], vectors=arrays.get("item_vectors"), categories=header.get("categories"))
    model = create(header["model"], **header["params"])
    model.restore({k[2:]: v for k, v in arrays.items() if k.startswith("m.")}, items)
    if with_extra:
        return model, items, header.get("info", {}), {k[2:]: v for k, v in arrays.items() if k.startswith("x.")}
    return model, items, header.get("info", {})
