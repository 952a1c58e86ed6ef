"""Shared CLI plumbing: the settings object, JSON output, and lazily built services."""

from __future__ import annotations

import json
from functools import cached_property

import click

from shopgen.core.settings import Settings


class Context:
    """What every command gets: settings, plus the database and models built on first use."""

    def __init__(self) -> None:
        from shopgen.security import logfilter

        self.settings = Settings()
        logfilter.install(self.settings.pii_order_pattern)  # no phone number reaches a log line

    @cached_property
    def db(self):
        from shopgen.store.db import Database

        db = Database(self.settings.resolved_database_url())
        db.migrate()
        return db

    @cached_property
    def runtime(self):
        """The one owner of loaded models for this command (LLM, embedders, voice, task models)."""
        from shopgen.server import build_runtime

        return build_runtime(self.settings)


pass_ctx = click.make_pass_decorator(Context, ensure=True)

json_option = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")


def emit(data, as_json: bool, human: str | None = None) -> None:
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(human if human is not None else json.dumps(data, ensure_ascii=False, indent=2, default=str))
