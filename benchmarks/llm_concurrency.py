"""How many LLM conversations one machine serves: N shoppers (one API key each) ask questions
that need the model, as fast as answers come back, for a while; the generation gate answers
what it cannot take at once with 429/503 and Retry-After instead of queueing for minutes.

    .venv/bin/python benchmarks/llm_concurrency.py [--clients 1,2,4,8] [--seconds 60]

Runs the real service (embedded llama.cpp model, e5) on loopback with the demo shop. A refused
client waits a second and asks again. Prints JSON per
level: answers per minute, latency p50/p95 of answered turns, refusals (429/503) per minute.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from shopgen.core.settings import Settings
from shopgen.metrics.retrieval import percentile
from shopgen.security import apikeys
from shopgen.security.principal import SYSTEM

sys.path.insert(0, str(Path(__file__).resolve().parent))
from assist_latency import LLM_QUESTIONS, WARM_UP, ask, serve  # noqa: E402


def level(app_db, base: str, clients: int, seconds: float) -> dict:
    keys = []
    with app_db.session() as s:
        for i in range(clients):
            keys.append(apikeys.create(s, SYSTEM, f"shop-{i}", "shopper")[1])
    lat, refused, stop = [], {"429": 0, "503": 0}, time.perf_counter() + seconds
    lock = threading.Lock()

    def shopper(i: int) -> None:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {keys[i]}"}, timeout=300) as c:
            n = 0
            while time.perf_counter() < stop:
                sid = c.post("/api/assist/sessions", json={}).json()["session_id"]
                q = LLM_QUESTIONS[(i + n) % len(LLM_QUESTIONS)]
                n += 1
                try:
                    seconds_taken, _, route = ask(c, sid, q)
                except RuntimeError as exc:
                    code = str(exc)[:3]
                    with lock:
                        refused[code] = refused.get(code, 0) + 1
                    time.sleep(1.0)  # then ask again, as a client told to retry shortly would
                    continue
                with lock:
                    lat.append(seconds_taken)

    threads = [threading.Thread(target=shopper, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    return {
        "clients": clients,
        "answers_per_min": round(len(lat) * 60 / wall, 1),
        "p50_s": round(percentile(lat, 50), 2) if lat else None,
        "p95_s": round(percentile(lat, 95), 2) if lat else None,
        "refused_per_min": {k: round(v * 60 / wall, 1) for k, v in refused.items()},
        "wall_s": round(wall, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", default="1,2,4,8")
    ap.add_argument("--seconds", type=float, default=60)
    args = ap.parse_args()
    settings = Settings(data_dir=Path(tempfile.mkdtemp()), rate_shopper_per_minute=100_000)
    server, base, key = serve(settings)
    app_db = server.config.app.state.db
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=300) as c:
        ask(c, c.post("/api/assist/sessions", json={}).json()["session_id"], WARM_UP)  # loads the models
    out = {
        "settings": {"llm_max_inflight": settings.llm_max_inflight, "per_caller": settings.llm_max_inflight_per_caller},
        "levels": [level(app_db, base, int(n), args.seconds) for n in args.clients.split(",")],
    }
    print(json.dumps(out, ensure_ascii=False, indent=1))
    server.should_exit = True


if __name__ == "__main__":
    main()
