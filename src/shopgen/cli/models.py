"""``shopgen models list|fetch|verify``: the GGUF presets and their cache."""

from __future__ import annotations

import click

from shopgen.cli.common import Context, emit, json_option, pass_ctx


@click.group("models")
def models_group() -> None:
    """Embedded model presets."""


@models_group.command("list")
@json_option
@pass_ctx
def list_cmd(ctx: Context, as_json: bool) -> None:
    """Presets, and whether each is assembled in the cache."""
    from shopgen.models.sources import PRESETS

    rows = []
    for p in PRESETS.values():
        path = ctx.settings.model_cache_dir / p.filename
        rows.append(
            {
                "preset": p.name,
                "default": p.name == ctx.settings.llm_preset,
                "cached": path.exists(),
                "path": str(path),
                "extra": p.extra,
                "description": p.description,
            }
        )
    emit(
        rows,
        as_json,
        "\n".join(
            f"{'*' if r['default'] else ' '} {r['preset']:<20} {'cached' if r['cached'] else 'not cached':<11} {r['description']}"
            for r in rows
        ),
    )


@models_group.command("fetch")
@click.argument("preset", required=False)
@json_option
@pass_ctx
def fetch(ctx: Context, preset: str | None, as_json: bool) -> None:
    """Assemble PRESET (default: the configured one) into the cache and record its checksum."""
    from shopgen.models import sources

    settings = ctx.settings.model_copy(update={"llm_preset": preset}) if preset else ctx.settings
    path = sources.resolve_model(settings)
    manifest = sources.verify(path)
    emit(
        {"path": str(path), **manifest},
        as_json,
        f"{path} ({manifest['size'] / 1e6:.0f} MB, sha256 {manifest['sha256'][:12]}…)",
    )


@models_group.command("verify")
@click.argument("preset", required=False)
@json_option
@pass_ctx
def verify(ctx: Context, preset: str | None, as_json: bool) -> None:
    """Re-hash a cached preset and compare with the checksum recorded when it was assembled."""
    from shopgen.core.errors import NotFound
    from shopgen.models import sources

    p = sources.get_preset(preset or ctx.settings.llm_preset)
    path = ctx.settings.model_cache_dir / p.filename
    if not path.exists():
        raise NotFound(f"{p.name} is not assembled yet; run: shopgen models fetch {p.name}")
    manifest = sources.verify(path, full=True)
    emit({"path": str(path), "ok": True, **manifest}, as_json, f"{p.name}: ok (sha256 {manifest['sha256'][:12]}…)")


def register(cli: click.Group) -> None:
    cli.add_command(models_group)
