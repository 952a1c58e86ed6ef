"""``shopgen demo load``."""

import click

from shopgen.cli.common import Context, emit, json_option, pass_ctx


@click.group("demo")
def demo_group() -> None:
    """The demo shop shipped with shopgen."""


@demo_group.command("load")
@json_option
@pass_ctx
def load(ctx: Context, as_json: bool) -> None:
    """Load (or refresh) the demo catalog, knowledge base and orders. Safe to run again."""
    from shopgen.demo.loader import load_demo

    counts = load_demo(ctx.db)
    emit(counts, as_json, "demo shop loaded: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


def register(cli: click.Group) -> None:
    cli.add_command(demo_group)
