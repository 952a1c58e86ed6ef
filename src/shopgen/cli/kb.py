"""``shopgen kb import|search``: the assistant's knowledge base."""

from __future__ import annotations

import click

from shopgen.cli.common import Context, emit, json_option, pass_ctx
from shopgen.core.errors import InvalidInput


@click.group("kb")
def kb_group() -> None:
    """Knowledge base: FAQ, policies and the catalog, searchable."""


@kb_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@json_option
@pass_ctx
def import_cmd(ctx: Context, file: str, as_json: bool) -> None:
    """Import FAQ (.csv/.jsonl question–answer) or a policy document (.md). A bad line → nothing written."""
    from shopgen.assistant import kb

    r = kb.import_file(ctx.db, file)
    emit(r, as_json, f"imported {r['total']} entries ({r['created']} new, {r['updated']} updated)")


@kb_group.command("search")
@click.argument("query")
@click.option("--method", type=click.Choice(["bm25", "dense", "hybrid"]), default="hybrid", show_default=True)
@click.option("-k", "--top", "k", type=click.IntRange(1, 100), default=5, show_default=True)
@json_option
@pass_ctx
def search_cmd(ctx: Context, query: str, method: str, k: int, as_json: bool) -> None:
    """Search the FAQ, policies and active products."""
    from shopgen.assistant.index import COLLECTION, KnowledgeIndex, load_docs
    from shopgen.search.synonyms import load_synonyms
    from shopgen.search.vectors import store_opener

    if not query.strip():
        raise InvalidInput("the query is empty")
    docs = load_docs(ctx.db)
    if not docs:
        raise InvalidInput("the knowledge base is empty; run: shopgen demo load, or shopgen kb import FILE")
    embedder = ctx.runtime.embedder() if method != "bm25" else None
    cache = ctx.settings.data_dir / "index-cache"
    synonyms = load_synonyms(ctx.settings.kb_synonyms)
    index = KnowledgeIndex(docs, embedder, cache, store_opener(ctx.settings, ctx.db, cache, COLLECTION), synonyms)
    hits = index.search(query, method, k)
    emit(
        {"query": query, "method": method, "hits": hits},
        as_json,
        "\n".join(f"{h['score']:.4f}  [{h['kind']}] {h['title']}" for h in hits) or "no match",
    )


def register(cli: click.Group) -> None:
    cli.add_command(kb_group)
