"""Added per-request latency of authentication, in process.

Builds the real app (``create_app``: the same middleware, error handlers and auth
dependencies as in production) on a temporary SQLite shop and adds two identical tiny routes:
``/bench/public`` (declared public) and ``/bench/operator`` (``require("operator")``). The same
requests are then sent through httpx's ASGI transport, interleaved in rounds so drift hits every
variant equally:

  public          /bench/public with no credentials         (the baseline)
  api key         /bench/operator with Authorization: Bearer sg_…
  session cookie  /bench/operator with the studio's session cookie

The added latency of each is its median minus the baseline's median. Also times the key lookup
alone (``apikeys.resolve``: one primary-key SELECT plus a sha256) and the argon2 password check
that only a login pays.

    .venv/bin/python benchmarks/auth_latency.py [--requests 3000] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from fastapi import Depends

from shopgen.core.settings import Settings
from shopgen.http.auth import public, require
from shopgen.security import apikeys, passwords, sessions, users
from shopgen.security.principal import CLI
from shopgen.server import create_app


def build(tmp: Path):
    settings = Settings(
        data_dir=tmp, llm_backend="fake", embed_backend="fake", rate_key_per_minute=10**9, rate_address_per_minute=10**9
    )
    app = create_app(settings)

    @app.get("/bench/public", dependencies=[Depends(public)])
    async def bench_public() -> dict:  # async: no thread hand-off to blur the figures
        return {"ok": True}

    @app.get("/bench/operator", dependencies=[Depends(require("operator"))])
    async def bench_operator() -> dict:
        return {"ok": True}

    with app.state.db.session() as s:
        user, _ = users.create(s, CLI, "bench", "operator", "bench-passw0rd")
        token = sessions.create(s, user)
        _, key = apikeys.create(s, CLI, "bench", "operator")
    return app, key, token


async def measure(app, key: str, token: str, n: int) -> dict[str, list[float]]:
    variants = {
        "public": ("/bench/public", {}),
        "api key": ("/bench/operator", {"Authorization": f"Bearer {key}"}),
        "session cookie": ("/bench/operator", {"Cookie": f"{sessions.COOKIE}={token}"}),
    }
    times: dict[str, list[float]] = {k: [] for k in variants}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for name, (path, headers) in variants.items():  # warm up
            for _ in range(50):
                assert (await client.get(path, headers=headers)).status_code == 200, name
        for _ in range(n):
            for name, (path, headers) in variants.items():
                t0 = time.perf_counter()
                r = await client.get(path, headers=headers)
                times[name].append(time.perf_counter() - t0)
                if r.status_code != 200:
                    raise SystemExit(f"{name}: HTTP {r.status_code}")
    return times


def time_call(fn, n: int) -> float:
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app, key, token = build(Path(tmp))
        times = asyncio.run(measure(app, key, token, args.requests))
        db = app.state.db

        def resolve_key():
            with db.engine.connect() as conn:
                assert apikeys.resolve(conn, key) is not None

        lookup = time_call(resolve_key, 2000)
        pw_hash = passwords.hash_password("bench-passw0rd")
        argon = time_call(lambda: passwords.verify_password(pw_hash, "bench-passw0rd"), 20)
        db.dispose()

    med = {k: statistics.median(v) * 1e6 for k, v in times.items()}
    p90 = {k: statistics.quantiles(v, n=10)[8] * 1e6 for k, v in times.items()}
    out = {
        "machine": f"{platform.processor() or platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        "requests_per_variant": args.requests,
        "median_us": {k: round(v, 1) for k, v in med.items()},
        "p90_us": {k: round(v, 1) for k, v in p90.items()},
        "added_median_us": {k: round(med[k] - med["public"], 1) for k in ("api key", "session cookie")},
        "key_lookup_alone_us": round(lookup * 1e6, 1),
        "argon2_verify_ms (login only)": round(argon * 1e3, 1),
    }
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return
    print(f"{out['machine']}; {args.requests} requests per variant, interleaved")
    for k in med:
        print(f"  {k:<15} median {med[k]:8.1f} µs   p90 {p90[k]:8.1f} µs")
    for k, v in out["added_median_us"].items():
        print(f"  added by {k:<15} {v:8.1f} µs")
    print(f"  apikeys.resolve alone   {out['key_lookup_alone_us']:8.1f} µs")
    print(f"  argon2 verify (login)   {out['argon2_verify_ms (login only)']:8.1f} ms")


if __name__ == "__main__":
    main()
