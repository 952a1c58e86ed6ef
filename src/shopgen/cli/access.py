"""``shopgen user …`` and ``shopgen key …``: accounts and API keys from the shell.

Passwords and keys are printed once, when created; only their hashes are stored. Changes made
here are audited with the actor ``cli`` (whoever has the shell owns the shop).
"""

from __future__ import annotations

import sys

import click

from shopgen.cli.common import Context, emit, json_option, pass_ctx
from shopgen.security import apikeys, roles, users
from shopgen.security.principal import CLI

ROLE = click.Choice(list(roles.ROLES))
HUMAN_ROLE = click.Choice(list(roles.HUMAN))


@click.group("user")
def user_group() -> None:
    """Studio accounts: admin, operator, agent, host."""


@user_group.command("add")
@click.argument("name")
@click.option("--role", type=HUMAN_ROLE, required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin instead of generating one.")
@json_option
@pass_ctx
def user_add(ctx: Context, name: str, role: str, password_stdin: bool, as_json: bool) -> None:
    """Create a user; prints the generated password once."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    with ctx.db.session() as s:
        user, password = users.create(s, CLI, name, role, password)
        out = users.to_dict(user)
    if not password_stdin:
        out["password"] = password
    human = f"created {role} {name}" + ("" if password_stdin else f"\npassword (shown once): {password}")
    emit(out, as_json, human)


@user_group.command("list")
@json_option
@pass_ctx
def user_list(ctx: Context, as_json: bool) -> None:
    """List users."""
    with ctx.db.session() as s:
        items = [users.to_dict(u) for u in users.list_users(s)]
    lines = [f"{u['id']:>4}  {u['name']:<20} {u['role']:<9} {'active' if u['active'] else 'disabled'}" for u in items]
    emit(items, as_json, "\n".join(lines) or "no users yet (shopgen user ensure-admin)")


@user_group.command("set")
@click.argument("name")
@click.option("--role", type=HUMAN_ROLE, default=None)
@click.option("--disable/--enable", "disabled", default=None)
@click.option("--reset-password", is_flag=True, help="Generate a new password and end the user's sessions.")
@json_option
@pass_ctx
def user_set(
    ctx: Context, name: str, role: str | None, disabled: bool | None, reset_password: bool, as_json: bool
) -> None:
    """Change a user's role, switch the account off or on, or reset the password."""
    with ctx.db.session() as s:
        user = users.by_name(s, name)
        if user is None:
            raise click.BadParameter(f"no user called {name!r}", param_hint="NAME")
        users.update(s, CLI, user.id, role=role, active=None if disabled is None else not disabled)
        out = users.to_dict(user)
        if reset_password:
            out["password"] = users.reset_password(s, CLI, user.id)
    human = f"updated {name}: {out['role']}, {'active' if out['active'] else 'disabled'}"
    emit(out, as_json, human + (f"\nnew password (shown once): {out['password']}" if reset_password else ""))


@user_group.command("ensure-admin")
@json_option
@pass_ctx
def ensure_admin(ctx: Context, as_json: bool) -> None:
    """Create the first admin with a random password, when there are no users yet."""
    with ctx.db.session() as s:
        password = users.ensure_admin(s, CLI)
    if password is None:
        emit({"created": False}, as_json, "users exist already; nothing to do")
    else:
        emit({"created": True, "name": "admin", "password": password}, as_json, first_admin_banner(password))


def first_admin_banner(password: str) -> str:
    return (
        "first admin created — log in to the studio with:\n"
        f"  user:     admin\n  password: {password}\n"
        "this password is shown only once; after logging in, change it at /account/password (the key icon)"
    )


@click.group("key")
def key_group() -> None:
    """API keys for programs (one role each, revocable)."""


@key_group.command("create")
@click.option("--name", required=True)
@click.option("--role", type=ROLE, required=True)
@json_option
@pass_ctx
def key_create(ctx: Context, name: str, role: str, as_json: bool) -> None:
    """Create a key; prints it once."""
    with ctx.db.session() as s:
        row, key = apikeys.create(s, CLI, name, role)
        out = {**apikeys.to_dict(row), "key": key}
        if row.signing_secret:
            out["signing_secret"] = row.signing_secret
    human = f"created key {row.id} ({role})\nkey (shown once): {key}"
    if out.get("signing_secret"):
        human += f"\nsigning secret for customer tokens (shown once): {out['signing_secret']}"
    emit(out, as_json, human)


@key_group.command("signing-secret")
@click.argument("key_id")
@json_option
@pass_ctx
def key_signing_secret(ctx: Context, key_id: str, as_json: bool) -> None:
    """Make a new signing secret for a shopper key's customer tokens; prints it once."""
    with ctx.db.session() as s:
        secret = apikeys.rotate_signing_secret(s, CLI, key_id)
    emit({"id": key_id, "signing_secret": secret}, as_json, f"signing secret (shown once): {secret}")


@key_group.command("customer-token")
@click.argument("key_id")
@click.option("--customer", required=True, help="the shop's id of the signed-in customer")
@click.option("--ttl", default=900, show_default=True, type=click.IntRange(1, 86400), help="seconds")
@json_option
@pass_ctx
def key_customer_token(ctx: Context, key_id: str, customer: str, ttl: int, as_json: bool) -> None:
    """Sign a customer token as a storefront would (for trying it out; storefronts sign their own)."""
    from shopgen.security import customers

    with ctx.db.session() as s:
        secret = apikeys.signing_secret(s, key_id)
    if not secret:
        raise click.UsageError(f"key {key_id} has no signing secret (shopper keys only; see 'key signing-secret')")
    token = customers.sign(secret, key_id, customer, ttl=ttl)
    emit({"token": token, "customer": customer, "ttl": ttl}, as_json, token)


@key_group.command("list")
@json_option
@pass_ctx
def key_list(ctx: Context, as_json: bool) -> None:
    """List keys (never their secrets)."""
    with ctx.db.session() as s:
        items = [apikeys.to_dict(k) for k in apikeys.list_keys(s)]
    lines = [f"{k['id']}  {k['name']:<24} {k['role']:<9} {'active' if k['active'] else 'revoked'}" for k in items]
    emit(items, as_json, "\n".join(lines) or "no keys")


@key_group.command("revoke")
@click.argument("key_id")
@json_option
@pass_ctx
def key_revoke(ctx: Context, key_id: str, as_json: bool) -> None:
    """Revoke a key; requests with it fail from now on."""
    with ctx.db.session() as s:
        out = apikeys.to_dict(apikeys.revoke(s, CLI, key_id))
    emit(out, as_json, f"revoked key {key_id}")


def register(cli: click.Group) -> None:
    cli.add_command(user_group)
    cli.add_command(key_group)
