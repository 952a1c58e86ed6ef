"""``shopgen events import FILE``: shopper behaviour into the event store."""

from __future__ import annotations

import click

from shopgen.cli.common import Context, emit, json_option, pass_ctx
from shopgen.events.formats import FORMATS
from shopgen.events.schema import TYPES


@click.group("events")
def events_group() -> None:
    """Shopper behaviour events: view, click, cart, purchase, favorite, impression."""


@events_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True)
@click.option(
    "--as-type",
    type=click.Choice(TYPES),
    default=None,
    help="Event type for formats without one (.inter: view, Amazon reviews: purchase).",
)
@json_option
@pass_ctx
def import_cmd(ctx: Context, file: str, fmt: str, as_type: str | None, as_json: bool) -> None:
    """Import FILE (CSV/JSONL, RecBole .inter, Amazon review JSON(.gz), Taobao UserBehavior CSV).

    Idempotent: events already stored (same id, or same user/item/type/time) are skipped.
    A bad row names its line and nothing is written."""
    from shopgen.events.formats import import_file

    r = import_file(ctx.db, file, fmt, as_type)
    emit(
        r.summary(),
        as_json,
        f"imported {r.inserted} events ({r.duplicates} already stored) for {len(r.users)} shoppers",
    )


def register(cli: click.Group) -> None:
    cli.add_command(events_group)
