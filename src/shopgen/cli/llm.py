"""``shopgen llm chat`` and ``shopgen embed``."""

from __future__ import annotations

import time

import click

from shopgen.cli.common import Context, emit, json_option, pass_ctx
from shopgen.core.errors import InvalidInput


@click.group("llm")
def llm_group() -> None:
    """Talk to the configured text generator."""


@llm_group.command("chat")
@click.argument("prompt")
@click.option("--system", default=None, help="A system message.")
@click.option("--max-tokens", type=click.IntRange(1, 4096), default=128, show_default=True)
@click.option("--temperature", type=click.FloatRange(0, 2), default=None)
@json_option
@pass_ctx
def chat(
    ctx: Context, prompt: str, system: str | None, max_tokens: int, temperature: float | None, as_json: bool
) -> None:
    """Answer PROMPT with the embedded (or configured) LLM."""
    if not prompt.strip():
        raise InvalidInput("the prompt is empty")
    messages = [{"role": "user", "content": prompt}]
    if system:
        messages.insert(0, {"role": "system", "content": system})
    llm = ctx.runtime.llm()
    if as_json:
        r = llm.chat(messages, max_tokens=max_tokens, temperature=temperature)
        data = r.to_dict()
        data["seconds"] = round(data["seconds"], 3)
        emit(data, True)
        return
    start = time.perf_counter()
    for piece in llm.stream(messages, max_tokens=max_tokens, temperature=temperature):
        click.echo(piece, nl=False)
    click.echo(f"\n[{llm.model}, {time.perf_counter() - start:.1f}s]", err=True)


@click.command("embed")
@click.argument("texts", nargs=-1, required=True)
@click.option("--passage", is_flag=True, help="Embed as passages instead of queries.")
@json_option
@pass_ctx
def embed(ctx: Context, texts: tuple[str, ...], passage: bool, as_json: bool) -> None:
    """Embed TEXTS; print dimensions and pairwise cosine similarity."""
    from shopgen.models.embed.base import cosine_matrix

    emb = ctx.runtime.embedder()
    start = time.perf_counter()
    vecs = emb.embed_passages(texts) if passage else emb.embed_queries(texts)
    seconds = time.perf_counter() - start
    cos = cosine_matrix(vecs).astype(float).round(4).tolist()
    data = {
        "model": emb.model,
        "dim": int(vecs.shape[1]),
        "texts": list(texts),
        "cosine": cos,
        "seconds": round(seconds, 4),
    }
    if as_json:
        emit(data, True)
        return
    click.echo(f"{emb.model}: {len(texts)} vectors of dimension {data['dim']}")
    for i, a in enumerate(texts):
        for j in range(i + 1, len(texts)):
            click.echo(f"cos({a}, {texts[j]}) = {cos[i][j]:.4f}")


def register(cli: click.Group) -> None:
    cli.add_command(llm_group)
    cli.add_command(embed)
