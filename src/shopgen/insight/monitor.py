"""Negative-sentiment spikes and volume anomalies per scope, against a robust baseline.

Texts are scored in batches and counted per (scope, time bucket). For each bucket the baseline is
the previous ``history`` buckets of the same scope: median and MAD (scaled by 1.4826), so one past
spike does not inflate it. Robust z = (value − median) / max(1.4826·MAD, floor). Floors keep a
quiet series from alerting on noise: for the negative rate the binomial standard error of the
bucket, √(p₀(1−p₀)/n) with p₀ = max(median, 0.1), and at least 0.05; for volume √median (Poisson), at
least 1.

Buckets are aligned to the Unix epoch in UTC (so weekly buckets start on Thursdays). An alert needs z ≥ ``z_threshold``, at least ``min_history`` earlier buckets, and for the negative
rate at least ``min_count`` texts and ``min_count // 2`` negative ones in the bucket.
"""

from __future__ import annotations

import datetime as dt
import heapq
import statistics
from dataclasses import dataclass, field

from shopgen.insight import stream
from shopgen.insight.sentiment import analyze

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass
class Config:
    window: dt.timedelta = dt.timedelta(days=1)
    history: int = 7
    min_history: int = 3
    z_threshold: float = 3.5
    min_count: int = 5
    evidence: int = 3
    tolerance: dt.timedelta = dt.timedelta(hours=1)


@dataclass
class Bucket:
    n: int = 0
    neg: int = 0
    worst: list = field(default_factory=list)  # heap of (-(1 - score), line, text): the most negative texts


def bucket_start(ts: dt.datetime, window: dt.timedelta) -> dt.datetime:
    steps = (ts - EPOCH) // window
    return EPOCH + steps * window


def aggregate(items, cfg: Config, batch: int = 512, model=None, results=None) -> dict[str, dict[dt.datetime, Bucket]]:
    """scope → bucket start → counts, scoring texts ``batch`` at a time with ``model`` (a loaded
    sentiment model). ``results``, when given, are the sentiments of ``items`` in order (scored
    already by the caller), and nothing is scored again (``model`` is not needed then)."""
    series: dict[str, dict[dt.datetime, Bucket]] = {}
    chunk: list[stream.Item] = []
    given = iter(results) if results is not None else None

    def flush():
        scored = [next(given) for _ in chunk] if given is not None else analyze([i.text for i in chunk], model)
        for item, r in zip(chunk, scored):
            start = bucket_start(item.ts, cfg.window)
            for scope in item.scopes:
                b = series.setdefault(scope, {}).setdefault(start, Bucket())
                b.n += 1
                b.neg += r["label"] == "negative"
                entry = (1.0 - r["score"], -item.line, item.text)
                (heapq.heappush if len(b.worst) < cfg.evidence else heapq.heappushpop)(b.worst, entry)
        chunk.clear()

    for item in items:
        chunk.append(item)
        if len(chunk) >= batch:
            flush()
    if chunk:
        flush()
    return series


def _robust(history: list[float], floor: float) -> tuple[float, float]:
    med = statistics.median(history)
    mad = statistics.median(abs(x - med) for x in history) * 1.4826
    return med, max(mad, floor)


def detect(series: dict[str, dict[dt.datetime, Bucket]], cfg: Config) -> list[dict]:
    alerts = []
    for scope, buckets in sorted(series.items()):
        starts = sorted(buckets)
        t, end = starts[0], starts[-1]
        timeline = []
        while t <= end:  # empty buckets are real zeros for volume
            timeline.append((t, buckets.get(t, Bucket())))
            t += cfg.window
        alerts += _scan(scope, timeline, cfg)
    return sorted(alerts, key=lambda a: (a["time"], a["scope"], a["metric"]))


def _scan(scope: str, timeline: list[tuple[dt.datetime, Bucket]], cfg: Config) -> list[dict]:
    out = []
    for i, (start, b) in enumerate(timeline):
        past = [x for _, x in timeline[max(0, i - cfg.history) : i]]
        if len(past) < cfg.min_history:
            continue
        vols = [float(x.n) for x in past]
        med, scale = _robust(vols, max(1.0, statistics.median(vols) ** 0.5))
        if b.n >= cfg.min_count and (b.n - med) / scale >= cfg.z_threshold:
            out.append(_alert(scope, start, cfg, b, "volume", b.n, med, (b.n - med) / scale))
        rates = [x.neg / x.n for x in past if x.n >= cfg.min_count]
        if len(rates) < cfg.min_history or b.n < cfg.min_count or b.neg < max(1, cfg.min_count // 2):
            continue
        rate = b.neg / b.n
        med = statistics.median(rates)
        p0 = max(med, 0.1)
        med, scale = _robust(rates, max(0.05, (p0 * (1 - p0) / b.n) ** 0.5))
        if (rate - med) / scale >= cfg.z_threshold:
            out.append(_alert(scope, start, cfg, b, "negative_rate", rate, med, (rate - med) / scale))
    return out


def _alert(scope, start, cfg, b: Bucket, metric: str, value: float, base: float, z: float) -> dict:
    worst = sorted(b.worst, reverse=True)
    return {
        "time": start.isoformat(),
        "end": (start + cfg.window).isoformat(),
        "scope": scope,
        "metric": metric,
        "value": round(value, 4),
        "baseline": round(base, 4),
        "z": round(z, 2),
        "count": b.n,
        "negative": b.neg,
        "evidence": [text for _, _, text in worst],
    }


def run(path: str, cfg: Config, model) -> dict:
    """Alerts for a CSV/JSONL file of timestamped texts (streamed), scored with ``model``."""
    series = aggregate(stream.read(path, cfg.tolerance), cfg, model=model)
    alerts = detect(series, cfg)
    buckets = sum(len(v) for v in series.values())
    texts = sum(b.n for v in series.values() for b in v.values())
    return {"alerts": alerts, "scopes": len(series), "buckets": buckets, "scoped_texts": texts}
