"""``shopgen user``, ``shopgen key`` and ``shopgen privacy`` from the shell."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import update

from shopgen.core.settings import Settings
from shopgen.security import apikeys, users
from shopgen.store.db import Database
from shopgen.store.models import Conversation, Message, utcnow

from .conftest import as_json


def _db(shop_env) -> Database:
    return Database(Settings().resolved_database_url())


def test_ensure_admin_prints_a_one_time_password(cli, shop_env):
    code, out, _ = cli("user", "ensure-admin")
    assert code == 0 and "user:     admin" in out
    password = out.split("password: ")[1].split()[0]
    assert len(password) >= 16
    db = _db(shop_env)
    with db.session() as s:
        assert users.authenticate(s, "admin", password).role == "admin"
    db.dispose()
    code, out, _ = cli("user", "ensure-admin", "--json")
    assert code == 0 and as_json(out) == {"created": False}  # never again, never a default


def test_user_add_list_and_set(cli, shop_env, monkeypatch):
    code, out, _ = cli("user", "add", "xiaomei", "--role", "operator", "--json")
    assert code == 0
    created = as_json(out)
    assert created["role"] == "operator" and len(created["password"]) >= 16
    monkeypatch.setattr("sys.stdin", io.StringIO("my-own-passw0rd\n"))
    code, out, _ = cli("user", "add", "kefu1", "--role", "agent", "--password-stdin", "--json")
    assert code == 0 and "password" not in as_json(out)
    db = _db(shop_env)
    with db.session() as s:
        assert users.authenticate(s, "kefu1", "my-own-passw0rd") is not None
    db.dispose()
    code, out, _ = cli("user", "list", "--json")
    assert [(u["name"], u["role"], u["active"]) for u in as_json(out)] == [
        ("kefu1", "agent", True),
        ("xiaomei", "operator", True),
    ]
    code, out, _ = cli("user", "set", "xiaomei", "--role", "host", "--disable", "--json")
    assert code == 0 and (as_json(out)["role"], as_json(out)["active"]) == ("host", False)


@pytest.mark.parametrize(
    "args, message",
    [
        (["user", "add", "bot", "--role", "shopper"], "error: Invalid value for '--role'"),
        (["user", "add", "x", "--role", "agent"], "error: 用户名：至少 2 个字符"),
        (["user", "set", "ghost", "--role", "agent"], "error: Invalid value for NAME: no user called 'ghost'"),
        (["key", "create", "--name", "k", "--role", "root"], "error: Invalid value for '--role'"),
        (["key", "revoke", "zzzzzzzz"], "error: API 密钥 zzzzzzzz 不存在"),
    ],
)
def test_bad_input_exits_2_with_one_line(cli, shop_env, args, message):
    code, _, err = cli(*args)
    assert code == 2 and err.startswith(message) and len(err.strip().splitlines()) == 1, err


def test_duplicate_user_is_one_line(cli, shop_env):
    cli("user", "add", "xiaomei", "--role", "operator")
    code, _, err = cli("user", "add", "xiaomei", "--role", "agent")
    assert code == 2 and err.strip() == "error: 用户名：xiaomei 已被使用，请换一个"


def test_key_create_list_revoke(cli, shop_env):
    code, out, _ = cli("key", "create", "--name", "小程序客服", "--role", "shopper", "--json")
    created = as_json(out)
    assert code == 0 and created["key"].startswith(f"sg_{created['id']}_")
    code, out, _ = cli("key", "list", "--json")
    (listed,) = as_json(out)
    assert listed["active"] and "key" not in listed
    assert cli("key", "revoke", created["id"])[0] == 0
    db = _db(shop_env)
    with db.session() as s:
        assert apikeys.resolve(s, created["key"]) is None
    db.dispose()
    assert as_json(cli("key", "list", "--json")[1])[0]["active"] is False


def test_privacy_purge(cli, shop_env, monkeypatch):
    monkeypatch.setenv("SHOPGEN_RETENTION_DAYS", "30")
    db = _db(shop_env)
    db.migrate()
    with db.session() as s:
        s.add_all([Conversation(id="old", messages=[Message(role="user", content="hi")]), Conversation(id="new")])
        s.flush()
        s.execute(update(Conversation).where(Conversation.id == "old").values(updated_at=utcnow() - timedelta(days=31)))
    db.dispose()
    code, out, _ = cli("privacy", "purge", "--dry-run", "--json")
    assert code == 0 and (as_json(out)["conversations"], as_json(out)["messages"], as_json(out)["dry_run"]) == (
        1,
        1,
        True,
    )
    code, out, _ = cli("privacy", "purge")
    assert code == 0 and out.startswith("deleted 1 conversations (1 messages)")
    assert as_json(cli("privacy", "purge", "--json")[1])["conversations"] == 0
