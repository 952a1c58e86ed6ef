"""``shopgen behaviour report``."""

from __future__ import annotations

import click

from shopgen.cli.common import Context, emit, json_option, pass_ctx


@click.group("behaviour")
def behaviour_group() -> None:
    """Shopper behaviour analysis (客户行为分析): RFM, funnels, repeat purchase, cohorts."""


@behaviour_group.command("report")
@click.option(
    "--out", "out", type=click.Path(file_okay=False), required=True, help="Directory for report.html and PNGs."
)
@click.option(
    "--data",
    "data",
    type=click.Path(dir_okay=False),
    default=None,
    help="An event file; default: the shop's event store.",
)
@click.option("--tz-hours", type=click.IntRange(-12, 14), default=8, show_default=True, help="The shop's UTC offset.")
@json_option
@pass_ctx
def report_cmd(ctx: Context, out: str, data: str | None, tz_hours: int, as_json: bool) -> None:
    """An HTML report with charts: segments, funnels, repeat purchase, cohort retention, profiles."""
    from shopgen.behaviour import analysis, report, sources

    rows, products = sources.from_file(data, ctx.db) if data else sources.from_store(ctx.db)
    r = report.build(analysis.analyse(rows, products, tz_hours), out)
    emit(r, as_json, f"wrote {r['html']} and {len(r['png'])} charts ({r['events']} events, {r['shoppers']} shoppers)")


def register(cli: click.Group) -> None:
    cli.add_command(behaviour_group)
