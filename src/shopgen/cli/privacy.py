"""``shopgen privacy purge``: delete conversations older than the retention period."""

from __future__ import annotations

import click

from shopgen.cli.common import Context, emit, json_option, pass_ctx


@click.group("privacy")
def privacy_group() -> None:
    """Personal data: retention."""


@privacy_group.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
@json_option
@pass_ctx
def purge(ctx: Context, dry_run: bool, as_json: bool) -> None:
    """Delete conversations (with their messages) untouched for SHOPGEN_RETENTION_DAYS days."""
    from shopgen.security import retention
    from shopgen.security.principal import CLI

    out = retention.purge(ctx.db, ctx.settings, dry_run=dry_run, actor=CLI)
    if not out["retention_days"]:
        human = "retention is off (SHOPGEN_RETENTION_DAYS=0): nothing deleted"
    else:
        verb = "would delete" if dry_run else "deleted"
        human = f"{verb} {out['conversations']} conversations ({out['messages']} messages) last updated before {out['cutoff']}"
    emit(out, as_json, human)


def register(cli: click.Group) -> None:
    cli.add_command(privacy_group)
