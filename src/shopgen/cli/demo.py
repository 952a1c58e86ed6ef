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
    """Load (or refresh) the demo catalog, knowledge base and orders, and score the demo reviews
    for 评论洞察 ahead of the first visit. Safe to run again."""
    from shopgen.demo.loader import load_demo

    counts = load_demo(ctx.db)
    counts["insight_reviews"] = _warm_insight(ctx)
    emit(counts, as_json, "demo shop loaded: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


def _warm_insight(ctx: Context) -> int:
    """Score the review dashboard now and keep it on disk, so the studio's first 评论洞察 is quick."""
    from shopgen.core.errors import ShopgenError
    from shopgen.insight import overview

    try:
        analysed = overview.configured(ctx.settings, ctx.runtime)
        overview.overview(analysed, {})  # the shop-wide themes too
    except ShopgenError as exc:  # the insight extra missing, an unreadable reviews file: the shop still loads
        click.echo(f"评论洞察未预先计算：{exc.message}", err=True)
        return 0
    return len(analysed.reviews)


def register(cli: click.Group) -> None:
    cli.add_command(demo_group)
