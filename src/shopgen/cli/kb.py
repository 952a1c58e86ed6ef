"""``shopgen kb import|search|synonyms``: the assistant's knowledge base."""

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
    from shopgen.assistant import synonyms as shop_synonyms
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
    synonyms = shop_synonyms.load(ctx.db, load_synonyms(ctx.settings.kb_synonyms))
    index = KnowledgeIndex(docs, embedder, cache, store_opener(ctx.settings, ctx.db, cache, COLLECTION), synonyms)
    hits = index.search(query, method, k)
    emit(
        {"query": query, "method": method, "hits": hits},
        as_json,
        "\n".join(f"{h['score']:.4f}  [{h['kind']}] {h['title']}" for h in hits) or "no match",
    )


@kb_group.group("synonyms")
def synonyms_group() -> None:
    """The shop's synonym groups (also edited in the studio at /assist/synonyms)."""


@synonyms_group.command("list")
@json_option
@pass_ctx
def synonyms_list(ctx: Context, as_json: bool) -> None:
    """The groups in the database (the file SHOPGEN_KB_SYNONYMS names applies beside them)."""
    from shopgen.assistant import synonyms

    with ctx.db.session() as s:
        groups = synonyms.listing(s)
    emit({"groups": groups}, as_json, "\n".join(f"#{g['id']}  {' '.join(g['words'])}" for g in groups) or "no groups")


@synonyms_group.command("add")
@click.argument("words", nargs=-1, required=True)
@json_option
@pass_ctx
def synonyms_add(ctx: Context, words: tuple[str, ...], as_json: bool) -> None:
    """One group: WORDS are two or more words shoppers use for the same thing."""
    from shopgen.assistant import synonyms
    from shopgen.security.principal import CLI

    with ctx.db.session() as s:
        g = synonyms.add(s, CLI, list(words))
    emit(g, as_json, f"added #{g['id']}  {' '.join(g['words'])}")


@synonyms_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@json_option
@pass_ctx
def synonyms_import(ctx: Context, file: str, as_json: bool) -> None:
    """Groups from a file, one a line (# comments); a bad or repeated line → nothing written."""
    from pathlib import Path

    from shopgen.assistant import synonyms
    from shopgen.security.principal import CLI

    path = Path(file)
    if not path.is_file():
        raise InvalidInput(f"file not found: {file}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{file} is not UTF-8 text") from None
    with ctx.db.session() as s:
        added = synonyms.add_lines(s, CLI, text)
    emit({"added": added}, as_json, f"added {len(added)} groups")


@synonyms_group.command("remove")
@click.argument("group_id", type=click.IntRange(1))
@json_option
@pass_ctx
def synonyms_remove(ctx: Context, group_id: int, as_json: bool) -> None:
    """Delete group GROUP_ID (see: shopgen kb synonyms list)."""
    from shopgen.assistant import synonyms
    from shopgen.security.principal import CLI

    with ctx.db.session() as s:
        synonyms.delete(s, CLI, group_id)
    emit({"deleted": group_id}, as_json, f"deleted #{group_id}")


def register(cli: click.Group) -> None:
    cli.add_command(kb_group)
