"""Entry point. Bad input exits 2 with one readable line; a failing backend exits 1."""

from __future__ import annotations

import sys

import click

import shopgen
from shopgen.core.errors import BackendError, ConfigError, ShopgenError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(shopgen.__version__, prog_name="shopgen")
def cli() -> None:
    """shopgen: AIGC for e-commerce and live-stream selling (人 · 货 · 场)."""


def _register() -> None:
    from shopgen.cli import (
        access,
        assist,
        augment,
        behaviour,
        catalog,
        copy,
        data,
        db,
        demo,
        doctor,
        events,
        insight,
        intent,
        inventory,
        kb,
        live,
        llm,
        models,
        privacy,
        recommend,
        serve,
        tune,
        visual,
    )

    for mod in (
        access,
        assist,
        augment,
        behaviour,
        catalog,
        copy,
        data,
        db,
        demo,
        doctor,
        events,
        insight,
        intent,
        inventory,
        kb,
        live,
        llm,
        models,
        privacy,
        recommend,
        serve,
        tune,
        visual,
    ):
        mod.register(cli)


_register()


def _fail(message: str, code: int) -> int:
    click.echo(f"error: {' '.join(message.split())}", err=True)
    return code


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (tests call this directly)."""
    try:
        rv = cli.main(args=argv, prog_name="shopgen", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        return 2
    except click.UsageError as exc:
        hint = f" (see 'shopgen {exc.ctx.command_path.partition(' ')[2]} --help')".replace("  ", " ") if exc.ctx else ""
        return _fail(exc.format_message() + hint, 2)
    except click.exceptions.Abort:
        return _fail("aborted", 1)
    except click.ClickException as exc:
        return _fail(exc.format_message(), exc.exit_code)
    except BackendError as exc:
        return _fail(exc.message, 1)
    except ConfigError as exc:
        return _fail(exc.message, 2)
    except ShopgenError as exc:
        return _fail(exc.message, 2)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    return rv if isinstance(rv, int) else 0


def main() -> None:
    sys.exit(run())
