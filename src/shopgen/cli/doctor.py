"""``shopgen doctor``: which backends work here, and how fast."""

from __future__ import annotations

import time

import click

from shopgen.cli.common import Context, emit, json_option, pass_ctx
from shopgen.core.errors import ShopgenError


def _check(fn) -> dict:
    start = time.perf_counter()
    try:
        out = {"ok": True, **fn()}
    except ShopgenError as exc:
        out = {"ok": False, "error": exc.message}
    out["check_seconds"] = round(time.perf_counter() - start, 3)
    return out


def _database(ctx: Context) -> dict:
    ctx.db.ping()
    return {"backend": ctx.db.backend, "url": ctx.db.url.render_as_string(hide_password=True)}


def _llm(ctx: Context) -> dict:
    from shopgen.models.probe import measure_generation

    llm = ctx.runtime.llm()
    m = measure_generation(llm, max_tokens=16)
    out = {"backend": llm.name, **m}
    if getattr(llm, "load_seconds", None) is not None:
        out["load_seconds"] = round(llm.load_seconds, 3)
    return out


def _embedder(ctx: Context) -> dict:
    from shopgen.models.probe import measure_embedding

    emb = ctx.runtime.embedder()
    return {"backend": emb.name, **measure_embedding(emb, rounds=2)}


def _line(name: str, r: dict) -> str:
    if not r["ok"]:
        return f"✗ {name:<9} {r['error']}"
    if name == "llm":
        return (
            f"✓ {name:<9} {r['backend']} {r['model']}: first token {r['ttft_s']}s, {r['decode_tokens_per_s']} tokens/s"
        )
    if name == "embedder":
        return f"✓ {name:<9} {r['backend']} {r['model']} dim {r['dim']}: {r['sentences_per_s_single']} sentences/s"
    return f"✓ {name:<9} {r['backend']} {r['url']}"


@click.command("doctor")
@click.option("--skip-llm", is_flag=True, help="Do not load the LLM.")
@json_option
@pass_ctx
def doctor(ctx: Context, skip_llm: bool, as_json: bool) -> int:
    """Check the database, the LLM and the embedder; exit 1 if any fails."""
    checks = {"database": _check(lambda: _database(ctx))}
    if not skip_llm:
        checks["llm"] = _check(lambda: _llm(ctx))
    checks["embedder"] = _check(lambda: _embedder(ctx))
    ok = all(c["ok"] for c in checks.values())
    emit({"ok": ok, "checks": checks}, as_json, "\n".join(_line(k, v) for k, v in checks.items()))
    return 0 if ok else 1


def register(cli: click.Group) -> None:
    cli.add_command(doctor)
