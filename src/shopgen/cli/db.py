"""``shopgen db upgrade``."""

import click

from shopgen.cli.common import Context, pass_ctx


@click.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@pass_ctx
def upgrade(ctx: Context) -> None:
    """Apply pending migrations (also done automatically by every command that uses the database)."""
    ctx.db  # noqa: B018 - building it migrates
    click.echo(f"database at the newest schema ({ctx.db.backend})")


def register(cli: click.Group) -> None:
    cli.add_command(db_group)
