"""The studio's navigation: each entry names the role it needs, and a user sees only the
entries their role may open (the pages themselves check again)."""

from __future__ import annotations

from shopgen.security import roles

NAV = [
    ("/", "概览", roles.LOGIN),
    ("/catalog", "商品", "operator"),
    ("/playground", "模型试用", "operator"),
    ("/insight", "评论洞察", "operator"),
    ("/copy", "商品文案", "operator"),
    ("/live", "直播助手", "host"),
    ("/assist/chat", "客服试用", roles.LOGIN),
    ("/assist/console", "客服工作台", "agent"),
    ("/assist/candidates", "待审 FAQ", "operator"),
    ("/admin/users", "用户", "admin"),
    ("/admin/keys", "API 密钥", "admin"),
    ("/admin/audit", "审计日志", "admin"),
]


def nav_for(principal) -> list[tuple[str, str]]:
    if not principal:
        return []
    return [(href, text) for href, text, need in NAV if principal.allows(need)]


def may(principal, need: str) -> bool:
    return bool(principal) and principal.allows(need)
