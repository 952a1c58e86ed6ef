"""House-style exemplars for the studio's copywriter: a pairs file the shop names
(``SHOPGEN_COPY_EXEMPLARS``, e.g. AdvertiseGen's train pairs or the shop's past copy) plus the
shop's own **approved** drafts, so the copy it writes follows the copy its operators accepted.

The store is rebuilt only when the approved drafts change (their count or newest id), so the cost
of a large pairs file (9k pairs: about a second for the BM25 index) is paid once, not per request.
"""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import func, select

from shopgen.copywriting.attrs import format_attrs, product_facts
from shopgen.copywriting.exemplars import ExemplarStore, read_pairs
from shopgen.core.errors import ConfigError, InvalidInput
from shopgen.store.models import CopyDraft, Product

KINDS = ("description",)  # the kinds whose approved drafts are exemplars (AdvertiseGen's register)


def approved_pairs(session, kind: str = "description", lang: str = "zh") -> list[tuple[str, str]]:
    """``(content, summary)`` of the approved drafts of ``kind``: the product's facts and the copy."""
    rows = session.execute(
        select(CopyDraft.text, Product)
        .join(Product, Product.id == CopyDraft.product_id)
        .where(CopyDraft.status == "approved", CopyDraft.kind == kind, CopyDraft.lang == lang)
        .order_by(CopyDraft.id)
    ).all()
    out = []
    for text, product in rows:
        try:
            out.append((format_attrs(product_facts(product)), text))
        except InvalidInput:  # a product without a title has no facts to pair with
            continue
    return out


class HouseExemplars:
    """The exemplar store for the studio: ``path``'s pairs (if any) and the approved drafts."""

    def __init__(self, db, path: str | Path | None = None) -> None:
        self.db, self.path = db, Path(path) if path else None
        if self.path is not None and not self.path.is_file():
            raise ConfigError(f"SHOPGEN_COPY_EXEMPLARS: {self.path} is not a file")
        self._file: list[tuple[str, str]] | None = None
        self._key: tuple | None = None
        self._store: ExemplarStore | None = None
        self._lock = threading.Lock()

    def _file_pairs(self) -> list[tuple[str, str]]:
        if self._file is None:
            self._file = read_pairs(self.path) if self.path else []
        return self._file

    def store(self) -> ExemplarStore | None:
        """The current store, or None when there is nothing to learn from (no file, nothing approved)."""
        with self._lock:
            with self.db.session() as s:
                key = s.execute(
                    select(func.count(CopyDraft.id), func.max(CopyDraft.id)).where(
                        CopyDraft.status == "approved", CopyDraft.kind.in_(KINDS)
                    )
                ).one()
                key = tuple(key)
                if key != self._key:
                    pairs = self._file_pairs() + approved_pairs(s)
                    self._store, self._key = (ExemplarStore(pairs) if pairs else None), key
            return self._store
