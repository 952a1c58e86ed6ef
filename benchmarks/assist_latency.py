"""End-to-end latency of the assistant over HTTP on loopback: FAQ hits and LLM answers.

    python benchmarks/assist_latency.py [--concurrency 1,4,8,16] [--requests 200] [--llm 8] [--wrk 10]

Starts the real service (uvicorn, the embedded defaults, a fresh demo shop in a temporary data
dir) in this process, creates a shopper API key, and sends the demo FAQ questions verbatim to
``POST /api/assist/chat`` from N client threads (one persistent HTTP connection per thread), each
question in a session of its own, created before the clock starts. A request is timed from sending until the ``done`` event; the route
must be ``faq`` (answered from the knowledge base, no LLM). Prints JSON: per concurrency level
the achieved requests/s and latency p50/p95 (the curve), then time to first token for a few
questions the LLM answers. The shopper rate limit is raised for the run.

``--import-products N`` (with ``--wrk``) also imports a catalog of N generated products through
``POST /api/catalog/import`` while wrk runs at the highest concurrency: chat must lose no request to it
(``non_2xx``, ``error_events``), and the import's own time is reported.

``--wrk SECONDS`` drives the same FAQ questions with ``wrk`` (Debian's package, a real load generator
in C) for that long at each concurrency instead of the Python threads: a Lua script rotates over
pre-created sessions and questions, and reports p50/p95/p99 from wrk's own latency histogram.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import uvicorn

from shopgen.core.settings import Settings
from shopgen.demo.loader import DATA, load_demo
from shopgen.metrics.retrieval import percentile
from shopgen.security import apikeys
from shopgen.security.principal import SYSTEM
from shopgen.server import create_app

LLM_QUESTIONS = [
    "那个纯棉T恤洗了会不会缩水",
    "这款耳机适合跑步戴吗",
    "羽绒服里面是鸭绒还是鹅绒",
    "保温杯能装牛奶吗",
    "防晒霜敏感肌能用吗",
    "瑜伽裤会不会透",
    "帆布鞋偏大还是偏小",
    "电饭煲能做蛋糕吗",
]
WARM_UP = "这个牌子的衣服质量怎么样"  # loads the LLM; not timed


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _events(resp) -> list[tuple[str, dict, float]]:
    out, event = [], None
    for line in resp.iter_lines():
        if line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            out.append((event, json.loads(line[5:]), time.perf_counter()))
    return out


def serve(settings: Settings):
    app = create_app(settings)
    load_demo(app.state.db)
    with app.state.db.session() as s:
        _, key = apikeys.create(s, SYSTEM, "bench", "shopper")
        _, operator = apikeys.create(s, SYSTEM, "bench-import", "operator")
    serve.operator_key = operator
    port = _port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}", key


def ask(client: httpx.Client, session_id: str, text: str) -> tuple[float, float | None, str]:
    start = time.perf_counter()
    with client.stream("POST", "/api/assist/chat", json={"session_id": session_id, "message": text}) as r:
        if r.status_code != 200:
            raise RuntimeError(f"{r.status_code}: {r.read()[:200]!r}")
        events = _events(r)
    meta = next((d for e, d, _ in events if e == "meta"), {})
    first = next((t for e, _, t in events if e == "token"), None)
    done = next((d for e, d, _ in events if e == "done"), {})
    route = meta.get("route", "?") + ("+handoff" if done.get("handoff") else "")
    return time.perf_counter() - start, (first - start) if first else None, route


def level(base: str, key: str, questions: list[str], workers: int, n: int) -> dict:
    clients = [
        httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60) for _ in range(workers)
    ]
    sessions = [clients[0].post("/api/assist/sessions", json={}).json()["session_id"] for _ in range(n)]
    lat, routes = [], {}

    def worker(w: int) -> None:
        for i in range(w, n, workers):
            seconds, _, route = ask(clients[w], sessions[i], questions[i % len(questions)])
            lat.append(seconds * 1000)
            routes[route] = routes.get(route, 0) + 1

    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(worker, range(workers)))
    wall = time.perf_counter() - start
    for c in clients:
        c.close()
    return {
        "concurrency": workers,
        "requests": n,
        "rps": round(n / wall, 1),
        "p50_ms": round(percentile(lat, 50), 1),
        "p95_ms": round(percentile(lat, 95), 1),
        "routes": routes,
    }


WRK_LUA = """
local sessions = {%(sessions)s}
local questions = {%(questions)s}
local n = 0
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
init = function(args)
  failed = 0
end
response = function(status, headers, body)
  -- a 200 stream can still end in an error event (e.g. database is locked)
  if status == 200 and (string.find(body, "event: error", 1, true) or not string.find(body, "event: done", 1, true)) then
    failed = failed + 1
  end
end
request = function()
  n = n + 1
  local body = '{"session_id": "' .. sessions[(n %% #sessions) + 1] .. '", "message": "' .. questions[(n %% #questions) + 1] .. '"}'
  return wrk.format("POST", "/api/assist/chat", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer %(key)s"}, body)
end
done = function(summary, latency, requests)
  local in_stream = 0
  for _, t in ipairs(threads) do in_stream = in_stream + (t:get("failed") or 0) end
  io.write(string.format("RESULT %%d %%d %%.3f %%.3f %%.3f %%d %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.timeout + summary.errors.connect + summary.errors.read + summary.errors.write,
    in_stream))
end
"""


def wrk_level(base: str, key: str, questions: list[str], connections: int, seconds: int, sessions: list[str]) -> dict:
    import shutil
    import subprocess

    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt install wrk)")
    quoted = lambda xs: ", ".join(json.dumps(x, ensure_ascii=False) for x in xs)  # noqa: E731
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8") as f:
        f.write(WRK_LUA % {"sessions": quoted(sessions), "questions": quoted(questions), "key": key})
    try:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", f.name, base],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        Path(f.name).unlink()
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    n, micros, p50, p95, p99, bad_status, errors, in_stream = line.split()[1:]
    return {
        "concurrency": connections,
        "requests": int(n),
        "rps": round(int(n) / (int(micros) / 1e6), 1),
        "p50_ms": float(p50),
        "p95_ms": float(p95),
        "p99_ms": float(p99),
        "non_2xx": int(bad_status),
        "socket_errors": int(errors),
        "error_events": int(in_stream),
        "generator": "wrk",
    }


def catalog_file(n: int, folder: Path) -> Path:
    """N products made from the demo ones under new SKUs (titles, prices and stock varied)."""
    demo = [json.loads(x) for x in (DATA / "products.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    path = folder / f"bulk-{n}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            p = json.loads(json.dumps(demo[i % len(demo)]))
            sku = f"BULK-{i:06d}"
            p["sku"], p["title"] = sku, f"{p['title']} {i}号款"
            for j, v in enumerate(p.get("variants", [])):
                v["sku"], v["stock"] = f"{sku}-{j}", (i * 7 + j) % 50
            out.write(json.dumps(p, ensure_ascii=False) + "\n")
    return path


def import_during(base: str, path: Path, result: dict) -> threading.Thread:
    def run() -> None:
        start = time.perf_counter()
        with path.open("rb") as f:
            r = httpx.post(
                f"{base}/api/catalog/import",
                headers={"Authorization": f"Bearer {serve.operator_key}"},
                files={"file": (path.name, f, "application/x-ndjson")},
                timeout=3600,
            )
        result.update(status=r.status_code, seconds=round(time.perf_counter() - start, 1), body=r.json())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--concurrency", default="1,4,8,16")
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--llm", type=int, default=8, help="LLM-answered questions for time to first token")
    ap.add_argument("--wrk", type=int, default=0, help="seconds per level with wrk instead of Python threads")
    ap.add_argument("--import-products", type=int, default=0, help="import N products during the last wrk level")
    args = ap.parse_args()
    entries = [json.loads(line) for line in (DATA / "kb.jsonl").read_text(encoding="utf-8").splitlines()]
    faqs = [e["question"] for e in entries if e["kind"] == "faq"]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp),
            rate_shopper_per_minute=1_000_000,
            rate_key_per_minute=1_000_000,
            rate_address_per_minute=1_000_000,
        )
        server, base, key = serve(settings)
        warm = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=300)

        def new_session() -> str:
            return warm.post("/api/assist/sessions", json={}).json()["session_id"]

        ask(warm, new_session(), faqs[0])  # builds the index, loads e5 and the intent model
        faq_routes = [ask(warm, new_session(), q)[2] for q in faqs]
        # answered from the FAQ without handing over: a question that queues its session for a person
        # (a negative complaint) would turn every later request in that session into a queue notice
        confident = [q for q, r in zip(faqs, faq_routes) if r == "faq"]
        imported: dict = {}
        if args.wrk:
            pool = [new_session() for _ in range(64)]
            levels = [int(c) for c in args.concurrency.split(",")]
            curve = [wrk_level(base, key, confident, c, args.wrk, pool) for c in levels[:-1]]
            if args.import_products:
                bulk = catalog_file(args.import_products, Path(tmp))
                imported["products"], imported["megabytes"] = args.import_products, round(bulk.stat().st_size / 1e6, 1)
                thread = import_during(base, bulk, imported)
            curve.append(
                wrk_level(base, key, confident, levels[-1], args.wrk, pool) | {"during_import": bool(imported)}
            )
            if imported:
                thread.join()
                after = time.perf_counter()
                ask(warm, new_session(), faqs[0])
                imported["first_turn_after_s"] = round(time.perf_counter() - after, 2)
                shared = server.config.app.state.assist_index
                shared.wait()  # the new products embedded in the background
                imported["index_caught_up_s"] = round(time.perf_counter() - after, 1)
                imported["index_products"] = sum(d.startswith("product:") for d in shared.get().docs)
        else:
            curve = [level(base, key, confident, int(c), args.requests) for c in args.concurrency.split(",")]
        ttft = []
        if args.llm:
            ask(warm, new_session(), WARM_UP)  # the model loads on first use: not part of a turn's latency
        for q in LLM_QUESTIONS[: args.llm]:
            seconds, first, route = ask(warm, new_session(), q)
            ttft.append(
                {
                    "question": q,
                    "route": route,
                    "first_token_s": round(first, 2) if first else None,
                    "total_s": round(seconds, 2),
                }
            )
        warm.close()
        server.should_exit = True
    firsts = [t["first_token_s"] for t in ttft if t["first_token_s"] and t["route"] == "llm"]
    print(
        json.dumps(
            {
                "faq_questions": len(faqs),
                "answered_from_faq_verbatim": len(confident),
                "curve": curve,
                "import": imported or None,
                "llm": ttft,
                "median_llm_first_token_s": statistics.median(firsts or [0]),
                "max_llm_first_token_s": max(firsts or [0]),
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
