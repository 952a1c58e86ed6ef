"""The insight dashboard's figures over one reviews file: counts, weekly sentiment, aspects,
negative themes and alerts, optionally narrowed to one product or one brand.

Scoring every review (sentiment, aspects), the monitor run and the theme clustering are the slow
parts (about 3 s cold on the demo shop, most of it loading jieba's dictionary and scikit-learn);
they are cached in memory per file *content* (sha256), so an edited file is re-read and an
unchanged one costs one hash. Themes are cached per (content, selected reviews). The service's
dashboard (:func:`configured`) is also kept on disk per data fingerprint, so a restarted server
answers the first request from the cache (``shopgen demo load`` computes it ahead).

Weeks are the monitor's weekly buckets (aligned to the Unix epoch, so they start on Thursdays):
a week in the chart is exactly the week an alert talks about.

Brands: a review row may carry ``brand``; otherwise it takes its product's brand from ``names``
(``{sku: {"title", "brand"}}``, usually the catalog).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
from pathlib import Path

from shopgen.core.errors import ConfigError, ImportFailed
from shopgen.insight import aspects, datasets, monitor, stream, topics
from shopgen.insight.sentiment import analyze
from shopgen.insight.sources import reviews_path

WEEK = dt.timedelta(days=7)
MONITOR = monitor.Config(window=WEEK, tolerance=dt.timedelta(days=3650))
THEMES_K = 5
_KEEP = 4  # files (content hashes) kept in memory


@dataclass(frozen=True)
class Review:
    line: int
    week: dt.datetime
    sku: str
    brand: str
    text: str
    negative: bool  # by the sentiment model
    complaint: bool  # rated 1–2 when the row has a 1–5 rating, else the model's label (as topics does)
    aspects: tuple[tuple[str, str], ...]  # (aspect, polarity)


@dataclass(frozen=True)
class Analysed:
    name: str
    sha256: str
    reviews: tuple[Review, ...]
    alerts: tuple[dict, ...]
    cache_dir: str = ""  # where its themes are kept on disk too ("" : memory only)


_LOCK = threading.Lock()
_FILES: OrderedDict[tuple, Analysed] = OrderedDict()
_THEMES: OrderedDict[tuple, list[dict]] = OrderedDict()


def _remember(cache: OrderedDict, key, value):
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > _KEEP * 8:
        cache.popitem(last=False)
    return value


def load(path: str | Path, model, aspect_model=None) -> Analysed:
    """The reviews of ``path`` scored by the sentiment ``model``, their aspects by ``aspect_model``
    (default: ``model``); cached by content and models. Raises ConfigError when the file is missing,
    ImportFailed naming the line of a bad row."""
    path = Path(path)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise ConfigError(f"reviews file {path} cannot be read: {exc.strerror} (SHOPGEN_INSIGHT_REVIEWS)") from None
    aspect_model = aspect_model or model
    key = (digest, id(model), id(aspect_model))
    with _LOCK:  # one computation at a time: concurrent first requests never score twice
        if key in _FILES:
            _FILES.move_to_end(key)
            return _FILES[key]
        analysed = _analyse(path, digest, model, aspect_model)
        _FILES[key] = analysed
        while len(_FILES) > _KEEP:
            _FILES.popitem(last=False)
        return analysed


CACHE_VERSION = 1
_CONFIGURED: OrderedDict[tuple, Analysed] = OrderedDict()


def cache_dir(data_dir: str | Path) -> Path:
    """Where computed dashboards are kept between runs (one JSON file per data fingerprint)."""
    return Path(data_dir) / "insight" / "cache"


def configured(settings, runtime) -> Analysed:
    """The service's reviews file (``SHOPGEN_INSIGHT_REVIEWS``) scored by the configured sentiment
    model (``SHOPGEN_SENTIMENT_MODEL``), aspects by ``linear`` (their thresholds were tuned on it).

    Cached per data fingerprint (the file's sha256 and the two model names) in memory and on disk
    under ``data_dir/insight/cache``: a restarted server shows the dashboard without loading a
    model or scoring a review; only a changed file (or model setting) is scored again."""
    path = reviews_path(settings)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise ConfigError(f"reviews file {path} cannot be read: {exc.strerror} (SHOPGEN_INSIGHT_REVIEWS)") from None
    models = (str(settings.sentiment_model), "linear")
    directory = cache_dir(settings.data_dir)
    file = directory / f"{digest[:24]}-{'-'.join(m.replace('/', '_') for m in models)}.json"
    key = (digest, models, str(file))
    with _LOCK:
        if key in _CONFIGURED:
            _CONFIGURED.move_to_end(key)
            return _CONFIGURED[key]
        analysed = _read(file, path.name, digest, models)
    if analysed is None:
        computed = load(path, runtime.sentiment(), runtime.sentiment("linear"))
        analysed = Analysed(computed.name, digest, computed.reviews, computed.alerts, str(directory))
        _write(file, analysed, models)
    with _LOCK:
        while len(_CONFIGURED) >= _KEEP:
            _CONFIGURED.popitem(last=False)
        return _remember(_CONFIGURED, key, analysed)


def _read(file: Path, name: str, digest: str, models: tuple) -> Analysed | None:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if data.get("version") != CACHE_VERSION or data.get("sha256") != digest or tuple(data["models"]) != models:
            return None
        reviews = tuple(
            Review(
                int(r[0]),
                dt.datetime.fromisoformat(r[1]),
                r[2],
                r[3],
                r[4],
                bool(r[5]),
                bool(r[6]),
                tuple((x, y) for x, y in r[7]),
            )
            for r in data["reviews"]
        )
        return Analysed(name, digest, reviews, tuple(data["alerts"]), str(file.parent))
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None  # missing, from another version, or damaged: computed again


def _write(file: Path, a: Analysed, models: tuple) -> None:
    rows = [
        [r.line, r.week.isoformat(), r.sku, r.brand, r.text, r.negative, r.complaint, [list(x) for x in r.aspects]]
        for r in a.reviews
    ]
    data = {
        "version": CACHE_VERSION,
        "sha256": a.sha256,
        "models": list(models),
        "reviews": rows,
        "alerts": list(a.alerts),
    }
    _atomic_write(file, data)


def _atomic_write(file: Path, data) -> None:
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_name(f".{file.name}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(file)
    except OSError:
        pass  # a read-only data dir: the memory cache still serves


def _analyse(path: Path, digest: str, model, aspect_model) -> Analysed:
    rows = []
    for no, rec in datasets.iter_records(path):
        where = f"{path.name} line {no}"
        if "ts" not in rec and "time" not in rec:
            raise ImportFailed(f"{where}: no 'ts' column", {"line": no})
        ts = stream.parse_ts(rec.get("ts", rec.get("time")), where)
        text = datasets.text_of(rec, where)
        if text.strip():
            rows.append((no, ts, rec, text))
    rows.sort(key=lambda r: (r[1], r[0]))
    scores = analyze([r[3] for r in rows], model) if rows else []
    reviews = tuple(
        Review(
            no,
            monitor.bucket_start(ts, WEEK),
            str(rec.get("product_sku") or rec.get("product") or "").strip(),
            str(rec.get("brand") or "").strip(),
            text,
            s["label"] == "negative",
            _complaint(rec, s),
            tuple((a["aspect"], a["polarity"]) for a in aspects.analyze(text, aspect_model)),
        )
        for (no, ts, rec, text), s in zip(rows, scores)
    )
    items = [stream.Item(no, ts, stream.scopes_of(rec), text) for no, ts, rec, text in rows]
    alerts = monitor.detect(monitor.aggregate(iter(items), MONITOR, results=scores), MONITOR) if items else []
    return Analysed(path.name, digest, reviews, tuple(alerts))


def _complaint(rec: dict, score: dict) -> bool:
    rating = str(rec.get("rating", "")).strip()
    return rating in ("1", "2") if rating in ("1", "2", "3", "4", "5") else score["label"] == "negative"


def brand_of(review: Review, names: dict) -> str:
    return review.brand or (names.get(review.sku) or {}).get("brand") or ""


def select(a: Analysed, names: dict, product_sku: str | None = None, brand: str | None = None) -> list[Review]:
    return [
        r for r in a.reviews if (not product_sku or r.sku == product_sku) and (not brand or brand_of(r, names) == brand)
    ]


def alert_matches(alert: dict, names: dict, product_sku: str | None, brand: str | None) -> bool:
    """Whether an alert's scope lies inside the filter (``all`` only when there is none)."""
    kind, _, value = str(alert.get("scope", "")).partition(":")
    if not product_sku and not brand:
        return True
    if kind == "product":
        return (not product_sku or value == product_sku) and (
            not brand or (names.get(value) or {}).get("brand") == brand
        )
    return kind == "brand" and not product_sku and value == brand


def read_log(path: Path) -> tuple[list[dict], int]:
    """Alerts from the studio's alert log, and how many lines were not alerts (skipped)."""
    if not path.is_file():
        return [], 0
    out, bad = [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            a = json.loads(line)
        except ValueError:
            bad += 1
            continue
        if isinstance(a, dict) and {"time", "scope", "metric"} <= a.keys():
            out.append(a)
        else:
            bad += 1
    return out, bad


def alerts(a: Analysed, log_path: Path, names: dict, product_sku: str | None = None, brand: str | None = None) -> dict:
    """Alerts from the log and from the monitor run over the reviews (weekly), newest first;
    one alert found by both is listed once with both sources."""
    logged, skipped = read_log(log_path)
    merged: dict[tuple, dict] = {}
    for source, found in (("reviews", a.alerts), ("log", logged)):
        for alert in found:
            key = (alert["time"], alert["scope"], alert["metric"])
            entry = merged.setdefault(key, {**alert, "sources": []})
            if source not in entry["sources"]:
                entry["sources"].append(source)
    items = [x for x in merged.values() if alert_matches(x, names, product_sku, brand)]
    items.sort(key=lambda x: (x["time"], x["scope"], x["metric"]), reverse=True)
    return {"items": items, "total": len(items), "skipped_log_lines": skipped}


def _weeks(reviews: list[Review]) -> list[dict]:
    if not reviews:
        return []
    n, neg = Counter(r.week for r in reviews), Counter(r.week for r in reviews if r.negative)
    t, end, out = min(n), max(n), []
    while t <= end:  # empty weeks are shown as zeros, not skipped
        out.append(
            {
                "week": t.date().isoformat(),
                "reviews": n[t],
                "positive": n[t] - neg[t],
                "negative": neg[t],
                "negative_share": round(neg[t] / n[t], 4) if n[t] else 0.0,
            }
        )
        t += WEEK
    return out


def _aspects(reviews: list[Review]) -> list[dict]:
    per: dict[str, Counter] = {}
    for r in reviews:
        for aspect, polarity in r.aspects:
            per.setdefault(aspect, Counter())[polarity] += 1
    rows = [
        {
            "aspect": a,
            "positive": c["positive"],
            "negative": c["negative"],
            "mixed": c["mixed"],
            "total": sum(c.values()),
        }
        for a, c in per.items()
    ]
    return sorted(rows, key=lambda x: (-x["total"], x["aspect"]))


def themes(a: Analysed, reviews: list[Review]) -> list[dict]:
    """Themes of the complaints among ``reviews`` (cached): a star rating, when there is one, says
    more about what a buyer disliked than the model's reading of a mixed review."""
    negs = [r for r in reviews if r.complaint]
    if len(negs) < 4:  # fewer than two themes of two: nothing worth clustering
        return []
    lines = tuple(r.line for r in negs)
    key = (a.sha256, lines)
    file = (
        Path(a.cache_dir) / f"themes-{a.sha256[:24]}-{hashlib.sha256(repr(lines).encode()).hexdigest()[:16]}.json"
        if a.cache_dir
        else None
    )
    with _LOCK:
        if key in _THEMES:
            return _THEMES[key]
        if file is not None:
            try:
                found = json.loads(file.read_text(encoding="utf-8"))
                if found.get("version") == CACHE_VERSION and found.get("lines") == list(lines):
                    return _remember(_THEMES, key, found["themes"])
            except (OSError, ValueError, AttributeError):
                pass
        texts = [r.text for r in negs]
        k = max(1, min(THEMES_K, len(set(texts)) // 2))  # repeated complaints: no more themes than distinct texts
        found = topics.cluster(texts, k)
        if file is not None:
            _atomic_write(file, {"version": CACHE_VERSION, "lines": list(lines), "themes": found})
        return _remember(_THEMES, key, found)


def overview(a: Analysed, names: dict, product_sku: str | None = None, brand: str | None = None) -> dict:
    reviews = select(a, names, product_sku, brand)
    neg = sum(r.negative for r in reviews)
    return {
        "file": a.name,
        "sha256": a.sha256,
        "filter": {"product_sku": product_sku, "brand": brand},
        "counts": {
            "reviews": len(reviews),
            "negative": neg,
            "positive": len(reviews) - neg,
            "negative_share": round(neg / len(reviews), 4) if reviews else 0.0,
            "products": len({r.sku for r in reviews if r.sku}),
        },
        "weeks": _weeks(reviews),
        "aspects": _aspects(reviews),
        "themes": themes(a, reviews),
    }


def choices(a: Analysed, names: dict) -> dict:
    """What the filter can offer: reviewed products (most reviewed first) and their brands."""
    per = Counter(r.sku for r in a.reviews if r.sku)
    products = [
        {"sku": sku, "title": (names.get(sku) or {}).get("title") or "", "reviews": n}
        for sku, n in sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    brands = sorted({b for r in a.reviews if (b := brand_of(r, names))})
    return {"products": products, "brands": brands}
