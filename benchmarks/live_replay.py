"""Live copilot speed: fast-path throughput at max speed, p99 latency at a steady 1,000/s, and the
Redis bus with 1 vs 2 workers (threads in one process, then separate processes). Prints JSON.

    .venv/bin/python benchmarks/live_replay.py [--csv PATH] [--redis URL] [--steady-seconds 10]

The input is the shared Bilibili danmaku CSV (read in place, never copied); ×10 repeats it with fresh
ids and shifted times (about 68k comments).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import threading
import time
import uuid

import numpy as np

from shopgen.core.settings import Settings
from shopgen.live import replay
from shopgen.live.classify import Classifier
from shopgen.live.normalize import Comment
from shopgen.live.pipeline import Copilot
from shopgen.server import build_runtime

CSV = "/work/shared/data/live/bilibili_hamilton_danmu.csv"


def new_classifier() -> Classifier:
    """A comment classifier (with its own cache) over models loaded as the service loads them."""
    runtime = build_runtime(Settings())
    return Classifier(runtime.live_intent(), runtime.sentiment("linear"))


def repeated(comments: list[Comment], times: int) -> list[Comment]:
    span = max(c.ts for c in comments) + 1
    return [Comment("bench", c.user, c.text, c.ts + k * span, id=f"{c.id}-{k}") for k in range(times) for c in comments]


def max_speed(comments: list[Comment], batch: int = 512) -> dict:
    cop = Copilot("bench", classifier=new_classifier())
    cop.classifier.classify("预热")
    t = time.perf_counter()
    for chunk in replay.paced(comments, None, batch):
        cop.ingest_many(chunk)
    dt = time.perf_counter() - t
    return {
        "comments": len(comments),
        "seconds": round(dt, 3),
        "throughput_per_s": round(len(comments) / dt, 1),
        "cache_hits": cop.classifier.hits,
        "cache_misses": cop.classifier.misses,
    }


def steady(comments: list[Comment], rate: float, seconds: float) -> dict:
    """Comments arrive at ``rate``/s (one at a time); latency = labelled - arrival."""
    cop = Copilot("steady", classifier=new_classifier())
    cop.classifier.classify("预热")
    n = int(rate * seconds)
    items = [Comment("steady", c.user, c.text, i / rate, id=f"s{i}") for i, c in enumerate((comments * 20)[:n])]
    for chunk in replay.paced(items, 1.0, batch=64):
        cop.ingest_many(chunk)
    lat = np.fromiter(cop.latencies_ms, np.float64)
    return {
        "rate_per_s": rate,
        "comments": n,
        "latency_ms_p50": round(float(np.percentile(lat, 50)), 3),
        "latency_ms_p99": round(float(np.percentile(lat, 99)), 3),
    }


@contextlib.contextmanager
def _loaded_bus(url: str, comments: list[Comment]):
    """A bus under a fresh prefix with ``comments`` published; its keys are deleted afterwards."""
    from shopgen.live.bus import RedisBus

    b = RedisBus(url, prefix=f"shopgen-bench:{uuid.uuid4().hex[:8]}")
    try:
        b.ensure_group()
        b.publish("bench", comments)
        yield b
    finally:
        b.delete_all()


def _result(b, how: str, workers: int, comments: list[Comment], dt: float) -> dict:
    counts = b.counts("bench")
    return {
        "workers": workers,
        how: True,
        "comments": len(comments),
        "seconds": round(dt, 3),
        "throughput_per_s": round(len(comments) / dt, 1),
        "counted": counts.get("_total", 0),
        "dropped": {k.removeprefix("_dropped:"): v for k, v in counts.items() if k.startswith("_dropped:")},
    }


def bus(comments: list[Comment], url: str, workers: int) -> dict:
    from shopgen.live.bus import Worker

    with _loaded_bus(url, comments) as b:
        ws = [Worker(b, f"w{i}", batch=256, block_ms=100, classifier=new_classifier()) for i in range(workers)]
        for w in ws:
            w.classifier.classify("预热")
        t = time.perf_counter()
        ts = [threading.Thread(target=w.run, kwargs={"until": lambda: b.lag() == 0}) for w in ws]
        for th in ts:
            th.start()
        for th in ts:
            th.join()
        return _result(b, "threads", workers, comments, time.perf_counter() - t)


def _proc_worker(url: str, prefix: str, name: str, ready, go) -> None:
    from shopgen.live.bus import RedisBus, Worker

    b = RedisBus(url, prefix=prefix)
    w = Worker(b, name, batch=256, block_ms=100, classifier=new_classifier())
    w.classifier.classify("预热")
    ready.release()
    go.wait()
    w.run(until=lambda: b.lag() == 0)


def bus_processes(comments: list[Comment], url: str, workers: int) -> dict:
    """N worker processes (the scale-out path: no shared GIL), started and warmed before the clock."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    with _loaded_bus(url, comments) as b:
        ready, go = ctx.Semaphore(0), ctx.Event()
        procs = [ctx.Process(target=_proc_worker, args=(url, b.prefix, f"p{i}", ready, go)) for i in range(workers)]
        for pr in procs:
            pr.start()
        for _ in procs:
            ready.acquire()
        t = time.perf_counter()
        go.set()
        for pr in procs:
            pr.join()
        return _result(b, "processes", workers, comments, time.perf_counter() - t)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--csv", default=CSV)
    p.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    p.add_argument("--steady-seconds", type=float, default=10.0)
    p.add_argument("--no-redis", action="store_true")
    a = p.parse_args()
    base = replay.read(a.csv, "csv", room="bench")
    out = {
        "input": {"file": a.csv.rsplit("/", 1)[-1], "comments": len(base)},
        "max_speed_x1": max_speed(base),
        "max_speed_x10": max_speed(repeated(base, 10)),
        "steady_1000_per_s": steady(base, 1000.0, a.steady_seconds),
    }
    if not a.no_redis:
        data = repeated(base, 2)
        out["redis_bus"] = [bus(data, a.redis, 1), bus(data, a.redis, 2)]
        big = repeated(base, 4)
        out["redis_bus_processes"] = [bus_processes(big, a.redis, 1), bus_processes(big, a.redis, 2)]
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
