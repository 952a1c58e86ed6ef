"""``shopgen catalog import|list|show``."""

from __future__ import annotations

import json

import click

from shopgen.cli.common import Context, emit, json_option, pass_ctx
from shopgen.core.errors import ImportFailed


@click.group("catalog")
def catalog_group() -> None:
    """The shop's products, variants, prices and stock."""


@catalog_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["auto", "csv", "jsonl"]), default="auto", show_default=True)
@json_option
@pass_ctx
def import_cmd(ctx: Context, file: str, fmt: str, as_json: bool) -> None:
    """Validate every row of FILE (CSV or JSONL) and import it in one transaction.

    If any row is bad, each bad line is reported and nothing is written.
    """
    from shopgen.store import importer

    try:
        result = importer.import_file(ctx.db, file, fmt)
    except ImportFailed as exc:
        if as_json:
            click.echo(json.dumps({"error": exc.to_dict()}, ensure_ascii=False))
        raise
    emit(result, as_json, f"imported {result['total']} products ({result['created']} new, {result['updated']} updated)")


@catalog_group.command("list")
@click.option("--category", default=None)
@click.option("-q", "--query", "q", default=None, help="Match title, SKU or brand.")
@click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True)
@json_option
@pass_ctx
def list_cmd(ctx: Context, category: str | None, q: str | None, limit: int, as_json: bool) -> None:
    """List products."""
    from shopgen.store import catalog

    with ctx.db.session() as s:
        items, total = catalog.list_products(s, category=category, q=q, limit=limit)
        rows = [catalog.to_dict(p) for p in items]
    if as_json:
        emit({"items": rows, "total": total}, True)
        return
    for r in rows:
        click.echo(f"{r['id']:>4}  {r['sku']:<12} ¥{r['price']:>9}  库存{r['stock']:>5}  {r['category']}  {r['title']}")
    click.echo(f"{len(rows)} of {total} products")


@catalog_group.command("show")
@click.argument("product")
@json_option
@pass_ctx
def show_cmd(ctx: Context, product: str, as_json: bool) -> None:
    """Show one product by id or SKU."""
    from shopgen.core.errors import NotFound
    from shopgen.store import catalog

    with ctx.db.session() as s:
        p = catalog.get(s, int(product)) if product.isdigit() else catalog.get_by_sku(s, product)
        if p is None:
            raise NotFound(f"no product with SKU {product}")
        data = catalog.to_dict(p)
    emit(data, as_json)


def register(cli: click.Group) -> None:
    cli.add_command(catalog_group)
