"""Serving recommendations for the shop: the API, the studio and ``shopgen recommend for|similar``.

One :class:`RecommendService` per process (built by the composition root). It trains the
configured model on the event store and the catalog, saves it beside the shop
(``<data dir>/recommend/model.npz``) and keeps it in memory. Histories are read from the store
at request time, so a shopper's view a second ago already counts, with no retraining.

Freshness: answers are cached; the cache is dropped when an ingest is published on the EventHub,
or when the catalog, the event store or the model file changes (checked at most once a second).
A catalog change retrains at once (a new product must be recommendable from its text); new
events retrain at most every ``retrain_seconds``.

Bad input: a shopper the shop has events for but the model has not seen is answered from their
history (cold start); one with no usable history gets what sells (同类热卖); an id the shop has
never seen is NotFound. The same for items: a SKU neither in the catalog nor in any event is
NotFound.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from shopgen.core.errors import InvalidInput, NotFound
from shopgen.events import store as events
from shopgen.events.hub import Ingested
from shopgen.recommend import catalog as shop_catalog
from shopgen.recommend import data, persist, reasons, rules
from shopgen.recommend import items as item_text
from shopgen.recommend.base import ItemSide, Recommender, create

log = logging.getLogger(__name__)
HISTORY = 50  # events read per request
EXPLAIN = 10  # most recent distinct history items a reason may point at


@dataclass
class Trained:
    model: Recommender
    items: ItemSide
    index: dict[str, int]
    users: set[str]
    popularity: np.ndarray
    versions: tuple
    matrix: object  # the training interactions, binary CSR (for 「N 位顾客同时看过」)
    info: dict = field(default_factory=dict)


class RecommendService:
    def __init__(
        self,
        db,
        model_dir: Path,
        *,
        model: str = "hybrid",
        params: dict | None = None,
        embedder=None,
        retrain_seconds: float = 60.0,
        cache_size: int = 10_000,
    ) -> None:
        """``embedder``: a zero-argument callable returning the shop's Embedder (loaded on first use)."""
        self.db, self.model_dir, self.model_name = db, Path(model_dir), model
        self.params = params or {}
        self.embedder = embedder
        self.retrain_seconds = retrain_seconds
        self.cache_size = cache_size
        self._cache: OrderedDict = OrderedDict()
        self._trained: Trained | None = None
        self._catalog: tuple[tuple, dict] | None = None
        self._checked = 0.0
        self._masks: dict[str, np.ndarray] = {}  # allowed items per surface, for the current model and catalog
        self._lock = threading.RLock()

    @property
    def path(self) -> Path:
        return self.model_dir / "model.npz"

    # ---- freshness --------------------------------------------------------------------------

    def on_ingest(self, ingested: Ingested) -> None:
        """EventHub subscriber: new behaviour changes answers (not the model, until it retrains)."""
        if ingested.inserted:
            with self._lock:
                self._cache.clear()
                self._checked = 0.0

    def _fresh(self, s) -> tuple[Trained, dict]:
        with self._lock:
            now = time.monotonic()
            if self._trained is not None and self._catalog is not None and now - self._checked < 1.0:
                return self._trained, self._catalog[1]
            self._checked = now
            cat_v = shop_catalog.version(s)
            if self._catalog is None or self._catalog[0] != cat_v:
                self._catalog = (cat_v, shop_catalog.snapshot(s))
                self._cache.clear()
            ev_v = events.version(s)
            t = self._trained or self._load(cat_v, ev_v)
            if t is None or t.versions[0] != cat_v:
                t = self._train(s, cat_v, ev_v)
            elif t.versions[1] != ev_v and time.time() - t.info.get("trained_at", 0) >= self.retrain_seconds:
                t = self._train(s, cat_v, ev_v)
            if t is not self._trained or cat_v != getattr(self, "_masks_version", None):
                self._masks, self._masks_version = {}, cat_v
            if t is not self._trained:
                self._trained = t
                self._cache.clear()
            return t, self._catalog[1]

    def _load(self, cat_v: tuple, ev_v: tuple) -> Trained | None:
        if not self.path.is_file():
            return None
        try:
            model, items, info, extra = persist.load(self.path, with_extra=True)
        except InvalidInput as exc:
            log.warning("ignoring %s: %s", self.path, exc.message)
            return None
        if info.get("catalog_version") != list(cat_v) or model.name != self.model_name:
            return None
        shape = tuple(int(x) for x in extra["shape"])
        matrix = data.sparse().csr_matrix((extra["data"], extra["indices"], extra["indptr"]), shape=shape)
        return Trained(
            model,
            items,
            {sku: n for n, sku in enumerate(items.ids)},
            set(info.get("users", [])),
            np.asarray((matrix > 0).sum(axis=0)).ravel().astype(np.float32),
            (cat_v, tuple(info.get("events_version", ()))),
            matrix,
            info,
        )

    # ---- training ---------------------------------------------------------------------------

    def train(self) -> dict:
        """Train on the whole event store now (``shopgen recommend train``); returns a summary."""
        with self._lock, self.db.session() as s:
            cat_v = shop_catalog.version(s)
            self._catalog = (cat_v, shop_catalog.snapshot(s))
            self._trained = self._train(s, cat_v, events.version(s))
            self._cache.clear()
            return {k: v for k, v in self._trained.info.items() if k != "users"}

    def _train(self, s, cat_v: tuple, ev_v: tuple) -> Trained:
        products = self._catalog[1]
        recs = ((r.user, r.item, r.ts.timestamp(), data.TYPE_WEIGHTS[r.type]) for r in events.rows(s))
        log_ = data.build(recs, items=list(products))
        model = create(self.model_name, **self.params)
        vectors = None
        if model.needs_text:
            texts = [(products.get(i) or {}).get("text", "") for i in log_.items]
            vectors = item_text.embed(self.embedder(), texts, self.model_dir) if any(texts) else None
        cats = [(products.get(i) or {}).get("category") or "" for i in log_.items]
        side = ItemSide(ids=log_.items, vectors=vectors, categories=cats)
        if model.needs_text and vectors is None and model.name == "text":
            raise InvalidInput("the text model needs a catalog with product text")
        t0 = time.perf_counter()
        matrix = log_.matrix()
        model.fit(matrix, side)
        binary = (matrix > 0).astype(np.float32).tocsr()
        popularity = np.asarray(binary.sum(axis=0)).ravel().astype(np.float32)
        info = {
            "model": model.name,
            "params": model.params(),
            "users": log_.users,
            "n_users": log_.n_users,
            "n_items": log_.n_items,
            "interactions": len(log_),
            "train_seconds": round(time.perf_counter() - t0, 3),
            "trained_at": time.time(),
            "catalog_version": list(cat_v),
            "events_version": list(ev_v),
        }
        extra = {
            "data": binary.data,
            "indices": binary.indices,
            "indptr": binary.indptr,
            "shape": np.asarray(binary.shape),
        }
        persist.save(self.path, model, side, info, extra)
        index = {sku: n for n, sku in enumerate(side.ids)}
        return Trained(model, side, index, set(log_.users), popularity, (cat_v, tuple(ev_v)), binary, info)

    # ---- answers ----------------------------------------------------------------------------

    def _hit(self, key):
        """A cached answer while the last freshness check is under a second old (no database)."""
        with self._lock:
            if key in self._cache and time.monotonic() - self._checked < 1.0:
                self._cache.move_to_end(key)
                return self._cache[key]
        return None

    def _cached(self, key, compute):
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        value = compute()
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return value

    def for_user(self, user: str, k: int = 10, surface: str | None = None) -> dict:
        """Top ``k`` for ``user`` with a reason each; NotFound for a shopper the shop never saw."""
        where = rules.surface(surface)
        if not 1 <= k <= 100:
            raise InvalidInput("k must be between 1 and 100")
        key = ("user", user, k, where.name)
        if (hit := self._hit(key)) is not None:
            return hit
        with self.db.session() as s:
            t, products = self._fresh(s)
            if key in self._cache:
                return self._cached(key, lambda: None)
            hist = events.history(s, user, HISTORY)
            if not hist and not events.known_user(s, user):
                raise NotFound(f"shopper {user!r} has no history in this shop", {"user": user})
        return self._cached(key, lambda: self._for_user(t, products, user, hist, k, where))

    def _weights(self, t: Trained, hist) -> dict[int, tuple[float, str]]:
        """Per history item: its strongest signal and the action behind it."""
        out: dict[int, tuple[float, str]] = {}
        for r in hist:
            i, w = t.index.get(r.item), data.TYPE_WEIGHTS.get(r.type, 0.0)
            if i is None or w <= 0:
                continue
            if i not in out or w > out[i][0]:
                out[i] = (w, r.type)
        return out

    def _allowed(self, t: Trained, products: dict, where: rules.Surface) -> np.ndarray:
        """A fresh copy of the surface's allowed-items mask (computed once per model and catalog)."""
        mask = self._masks.get(where.name)
        if mask is None:
            mask = self._masks[where.name] = rules.allowed([products.get(sku) for sku in t.items.ids], where)
        return mask.copy()

    @staticmethod
    def _ranked(scores: np.ndarray, ok: np.ndarray, limit: int) -> list[int]:
        """Allowed items that scored above the floor, best first (stable on ties), at most ``limit``."""
        cand = np.flatnonzero(ok & (scores > scores.min()))
        return cand[np.argsort(-scores[cand], kind="stable")][:limit].tolist()

    def _for_user(self, t: Trained, products: dict, user, hist, k, where) -> dict:
        weights = self._weights(t, hist)
        ok = self._allowed(t, products, where)
        ok[list(weights)] = False  # not what they already have in front of them
        cats = t.items.categories or [""] * len(t.items)
        picked: list[tuple[int, dict]] = []
        if weights:
            h = data.history_matrix([[(i, w) for i, (w, _) in weights.items()]], len(t.items))
            scores = t.model.score(h)[0]
            chosen = rules.diversify(self._ranked(scores, ok, 20 * k), cats, k)
            picked = list(zip(chosen, self._explain(t, products, weights, chosen)))
        picked += self._popular_fill(t, products, ok, weights, [i for i, _ in picked], k)
        return {
            "user": user,
            "cold_start": user not in t.users,
            "surface": where.name,
            "model": t.model.name,
            "history": [
                {**shop_catalog.card(products.get(r.item), r.item), "type": r.type, "ts": r.ts.isoformat()}
                for r in hist[:20]
            ],
            "items": [
                {**shop_catalog.card(products.get(t.items.ids[i]), t.items.ids[i]), "reason": why}
                for i, why in picked[:k]
            ],
        }

    def _popular_fill(self, t, products, ok, weights, have: list[int], k: int) -> list[tuple[int, dict]]:
        if len(have) >= k:
            return []
        cats = t.items.categories or [""] * len(t.items)
        mine = {cats[i] for i in weights}
        taken = set(have)
        # the shopper's own categories first, then the whole shop; each by popularity
        free = ok.copy()
        free[list(taken)] = False
        cand = np.flatnonzero(free)
        need = k - len(have)
        in_mine = np.isin(np.asarray(cats, dtype=object)[cand], list(mine)) if mine else np.zeros(len(cand), bool)
        order = []
        for part in (cand[in_mine], cand[~in_mine]):
            order += part[np.argsort(-t.popularity[part], kind="stable")][:need].tolist()
        return [(i, reasons.popular(cats[i], cats[i] in mine)) for i in order[:need]]

    def _explain(self, t: Trained, products: dict, weights: dict, chosen: list[int]) -> list[dict]:
        recent = list(weights)[:EXPLAIN]  # history is newest first
        contrib = np.asarray([weights[j][0] for j in recent])[:, None] * t.model.affinity(recent, chosen)
        out = []
        for col, i in enumerate(chosen):
            j = recent[int(np.argmax(contrib[:, col]))]
            src, dst = products.get(t.items.ids[j]) or {}, products.get(t.items.ids[i]) or {}
            title = src.get("title") or t.items.ids[j]
            if src.get("fabric") and src.get("fabric") == dst.get("fabric"):
                out.append(reasons.same_fabric(src["fabric"], t.items.ids[j]))
            elif src.get("category") and dst.get("category") and src["category"] != dst["category"]:
                out.append(reasons.liked_with(title, t.items.ids[j]))
            else:
                out.append(reasons.because(weights[j][1], title, t.items.ids[j]))
        return out

    def similar(self, sku: str, k: int = 10, surface: str | None = None) -> dict:
        """Items like ``sku`` with a reason each; NotFound for a SKU the shop never had."""
        where = rules.surface(surface)
        if not 1 <= k <= 100:
            raise InvalidInput("k must be between 1 and 100")
        key = ("item", sku, k, where.name)
        if (hit := self._hit(key)) is not None:
            return hit
        with self.db.session() as s:
            t, products = self._fresh(s)
            if sku not in t.index and not events.known_item(s, sku):
                raise NotFound(f"product {sku!r} is not in this shop", {"sku": sku})
        return self._cached(key, lambda: self._similar(t, products, sku, k, where))

    def _similar(self, t: Trained, products: dict, sku: str, k: int, where) -> dict:
        me = products.get(sku) or {}
        ok = self._allowed(t, products, where)
        cats = t.items.categories or [""] * len(t.items)
        picked: list[tuple[int, dict]] = []
        i = t.index.get(sku)
        if i is not None:
            ok[i] = False
            scores = t.model.similar(i)
            order = self._ranked(scores, ok, k)
            co = self._co_counts(t, i)
            for j in order:
                other = products.get(t.items.ids[j]) or {}
                if me.get("fabric") and me.get("fabric") == other.get("fabric"):
                    why = reasons.same_fabric(me["fabric"], sku)
                elif co[j] >= 2:
                    why = reasons.also_viewed(int(co[j]))
                elif cats[j] == me.get("category") and t.popularity[j] > 0:
                    why = reasons.popular(cats[j], True)
                else:
                    why = reasons.similar_text()
                picked.append((j, why))
        weights = {i: (1.0, "view")} if i is not None else {}
        picked += self._popular_fill(t, products, ok, weights, [j for j, _ in picked], k)
        return {
            "sku": sku,
            "product": shop_catalog.card(products.get(sku), sku),
            "surface": where.name,
            "model": t.model.name,
            "items": [
                {**shop_catalog.card(products.get(t.items.ids[j]), t.items.ids[j]), "reason": why}
                for j, why in picked[:k]
            ],
        }

    def _co_counts(self, t: Trained, i: int) -> np.ndarray:
        """How many shoppers had item ``i`` and each other item (for 「N 位顾客同时看过」)."""
        m = t.matrix
        return np.asarray((m[:, [i]].T @ m).todense()).ravel()
