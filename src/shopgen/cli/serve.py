"""``shopgen serve``: the API and the web studio."""

import click

from shopgen.cli.common import Context, pass_ctx


@click.command("serve")
@click.option("--host", default=None, help="Default: SHOPGEN_HOST or 127.0.0.1.")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Default: SHOPGEN_PORT or 8000.")
@click.option("--demo", is_flag=True, help="Load the demo shop first.")
@pass_ctx
def serve(ctx: Context, host: str | None, port: int | None, demo: bool) -> None:
    """Serve the studio and the API."""
    import importlib.util

    import uvicorn

    if not any(importlib.util.find_spec(m) for m in ("websockets", "wsproto")):
        # without one, uvicorn answers the live ingest WebSocket with 404 and only logs a warning
        raise click.ClickException("the live ingest WebSocket needs the 'websockets' package: pip install websockets")

    from shopgen.server import create_app

    host = host or ctx.settings.host
    port = port or ctx.settings.port
    if demo:
        from shopgen.demo.loader import load_demo

        counts = load_demo(ctx.db)
        click.echo("demo shop loaded: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    from shopgen.cli.access import first_admin_banner
    from shopgen.security import users
    from shopgen.security.principal import CLI

    with ctx.db.session() as s:
        password = users.ensure_admin(s, CLI)
    if password:  # a fresh shop: never a fixed default, print a one-time password instead
        click.echo(first_admin_banner(password))
    app = create_app(ctx.settings, runtime=ctx.runtime, db=ctx.db)
    click.echo(f"shopgen studio: http://{host}:{port}/   (API docs: http://{host}:{port}/docs)")
    uvicorn.run(app, host=host, port=port, log_level="info", **proxy_options(ctx.settings.trusted_proxies))


def proxy_options(trusted: str) -> dict:
    """uvicorn's proxy-header options for ``SHOPGEN_TRUSTED_PROXIES``. uvicorn's own default
    believes ``X-Forwarded-For`` from 127.0.0.1, so anything on the machine could pose as any
    address and dodge the per-address login limit: shopgen believes no proxy unless told."""
    proxies = [p.strip() for p in trusted.split(",") if p.strip()]
    if not proxies:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": proxies}


def register(cli: click.Group) -> None:
    cli.add_command(serve)
