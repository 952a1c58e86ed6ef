"""Users, passwords, login sessions, API keys and the audit log, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from shopgen.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from shopgen.core.settings import Settings
from shopgen.security import apikeys, audit, passwords, sessions, users
from shopgen.security.principal import CLI, Principal
from shopgen.security.reveal import read_conversation
from shopgen.store.models import ApiKey, Conversation, Message, User, utcnow


def test_password_hashes_are_argon2id_and_salted():
    a, b = passwords.hash_password("correct horse"), passwords.hash_password("correct horse")
    assert a.startswith("$argon2id$") and a != b
    assert passwords.verify_password(a, "correct horse") and not passwords.verify_password(a, "correct hors")
    assert not passwords.verify_password(None, "anything") and not passwords.verify_password("garbage", "x")
    with pytest.raises(InvalidInput, match="至少 8 个字符"):
        passwords.check_strength("short")


def test_users_lifecycle(db):
    with db.session() as s:
        user, pw = users.create(s, CLI, "xiaomei", "operator")
        assert len(pw) >= 16 and user.password_hash != pw
        assert users.authenticate(s, "xiaomei", pw).id == user.id
        assert users.authenticate(s, "xiaomei", "wrong-one") is None
        assert users.authenticate(s, "nobody", pw) is None
        with pytest.raises(Conflict):
            users.create(s, CLI, "xiaomei", "agent", "whatever-123")
        for name, role in (
            ("x", "agent"),
            ("bad/name", "agent"),
            ("two  spaces", "agent"),
            ("ok-name", "boss"),
            ("bot", "shopper"),
        ):
            with pytest.raises(InvalidInput):
                users.create(s, CLI, name, role, "whatever-123")
        users.update(s, CLI, user.id, active=False)
        assert users.authenticate(s, "xiaomei", pw) is None
        new = users.reset_password(s, CLI, user.id)
        users.update(s, CLI, user.id, active=True)
        assert users.authenticate(s, "xiaomei", new) is not None and users.authenticate(s, "xiaomei", pw) is None
        with pytest.raises(NotFound):
            users.update(s, CLI, 99999, role="agent")


def test_ensure_admin_only_on_an_empty_shop(db):
    with db.session() as s:
        pw = users.ensure_admin(s, CLI)
        assert pw and users.authenticate(s, "admin", pw).role == "admin"
        assert users.ensure_admin(s, CLI) is None
    with db.session() as s:
        other = users.ensure_admin(s, CLI)
    assert other is None


def test_sessions_resolve_expire_and_end(db, tmp_path):
    settings = Settings(data_dir=tmp_path, session_idle_minutes=30, session_max_hours=8)
    with db.session() as s:
        user, _ = users.create(s, CLI, "zhubo", "host", "host-passw0rd")
        token = sessions.create(s, user)
    with db.session() as s:
        p = sessions.resolve(s, token, settings)
        assert (p.kind, p.name, p.role, p.actor) == ("user", "zhubo", "host", "user:zhubo") and p.csrf_token
        assert sessions.resolve(s, token + "x", settings) is None
        assert sessions.resolve(s, token, settings, now=utcnow() + timedelta(minutes=29)) is not None
    with db.session() as s:  # 29 minutes later it was touched, so 29 more still count as active
        assert sessions.resolve(s, token, settings, now=utcnow() + timedelta(minutes=58)) is not None
    with db.session() as s:
        assert sessions.resolve(s, token, settings, now=utcnow() + timedelta(hours=8, minutes=1)) is None
    with db.session() as s:
        assert sessions.resolve(s, token, settings) is None  # the expired session was deleted


def test_api_keys_are_stored_hashed_and_revocable(db):
    with db.session() as s:
        row, key = apikeys.create(s, CLI, "直播接入", "ingest")
    prefix, key_id, secret = key.split("_", 2)
    assert prefix == "sg" and key_id == row.id and len(key_id) == 8
    with db.session() as s:
        stored = s.get(ApiKey, key_id)
        assert secret not in stored.secret_hash and len(stored.secret_hash) == 64
        p = apikeys.resolve(s, key)
        assert (p.kind, p.role, p.actor, p.label) == ("key", "ingest", f"key:{key_id}", "直播接入")
        assert apikeys.resolve(s, f"sg_{key_id}_{'x' * 43}") is None
        apikeys.revoke(s, CLI, key_id)
        apikeys.revoke(s, CLI, key_id)  # twice: no second audit entry
    with db.session() as s:
        assert apikeys.resolve(s, key) is None
        assert [e.action for e in audit.query(s, action="key.")] == ["key.revoke", "key.create"]
        with pytest.raises(InvalidInput, match="没有 'root' 这个角色"):
            apikeys.create(s, CLI, "x", "root")


def test_audit_masks_details_and_filters(db):
    who = Principal("user", "kefu1", "agent")
    with db.session() as s:
        audit.record(
            s,
            who,
            "conversation.note",
            "conversation:abc",
            {"note": "客户电话13812345678，改地址到杭州市西湖区文三路90号"},
        )
        audit.record(s, CLI, "user.create", "user:x")
    with db.session() as s:
        (entry,) = audit.query(s, actor="user:kefu1")
        assert entry.detail == {"note": "客户电话[手机号]，改地址到[地址]"}
        assert [e.action for e in audit.query(s, action="user.")] == ["user.create"]
        assert audit.query(s, since=utcnow() + timedelta(minutes=1)) == []
        csv_text = audit.export(audit.query(s), "csv")
    assert csv_text.count("\n") == 3 and "13812345678" not in csv_text


def test_conversations_are_masked_unless_an_agent_reveals(db):
    with db.session() as s:
        s.add(
            Conversation(
                id="c1",
                customer="13812345678",
                messages=[
                    Message(role="user", content="订单SG202405200017地址改成杭州市西湖区文三路90号"),
                    Message(role="assistant", content="好的，已为您登记。"),
                ],
            )
        )
    agent, operator = Principal("user", "kefu1", "agent"), Principal("user", "yunying", "operator")
    with db.session() as s:
        masked = read_conversation(s, "c1", operator)
        assert masked["customer"] == "[手机号]" and masked["revealed"] is False
        assert [m["content"] for m in masked["messages"]] == ["订单[订单号]地址改成[地址]", "好的，已为您登记。"]
        with pytest.raises(Forbidden):
            read_conversation(s, "c1", operator, reveal=True)
        shown = read_conversation(s, "c1", agent, reveal=True, address="10.0.0.8")
        assert shown["customer"] == "13812345678" and "SG202405200017" in shown["messages"][0]["content"]
    with db.session() as s:
        (entry,) = audit.query(s, action="conversation.reveal")
        assert (entry.actor, entry.target, entry.address) == ("user:kefu1", "conversation:c1", "10.0.0.8")
        assert s.scalar(select(Message.content).where(Message.role == "user")).startswith("订单SG2024")  # stored raw
        with pytest.raises(NotFound):
            read_conversation(s, "nope", agent)


def test_user_table_never_holds_a_plain_password(db):
    with db.session() as s:
        _, pw = users.create(s, CLI, "checker", "agent")
    with db.session() as s:
        assert pw not in s.scalar(select(User.password_hash).where(User.name == "checker"))
