"""The studio's navigation: each entry names the role it needs, and a user sees only the
entries their role may open (the pages themselves check again). The admin pages sit in one
「管理」 menu beside the main links, so the top bar fits a 1280 px screen."""

from __future__ import annotations

from shopgen.security import roles

NAV = [
    ("/", "概览", roles.LOGIN),
    ("/catalog", "商品", "operator"),
    ("/playground", "模型试用", "operator"),
    ("/insight", "评论洞察", "operator"),
    ("/behaviour", "用户洞察", "operator"),
    ("/recommend", "推荐", "operator"),
    ("/copy", "商品文案", "operator"),
    ("/visual", "视觉工坊", "operator"),
    ("/inventory", "库存", "operator"),
    ("/live", "直播助手", "host"),
    ("/assist/chat", "客服试用", roles.LOGIN),
    ("/assist/console", "客服工作台", "agent"),
    ("/assist/candidates", "待审 FAQ", "operator"),
    ("/labelling", "数据标注", "operator|agent"),
]

ADMIN_MENU = [
    ("/admin/users", "用户", "admin"),
    ("/admin/keys", "API 密钥", "admin"),
    ("/admin/audit", "审计日志", "admin"),
]


def nav_for(principal, entries=NAV) -> list[tuple[str, str]]:
    if not principal:
        return []
    return [(href, text) for href, text, need in entries if principal.allows(need)]


def admin_menu_for(principal) -> list[tuple[str, str]]:
    return nav_for(principal, ADMIN_MENU)


def may(principal, need: str) -> bool:
    return bool(principal) and principal.allows(need)
