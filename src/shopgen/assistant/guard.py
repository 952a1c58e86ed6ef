"""Checks around the model: prompt injection and promises in, unsupported facts out.

The assistant never puts secrets in its prompt, but it still refuses to discuss its
instructions, and it never agrees to a promise (免单, 赔偿 …) that no policy supports.
"""

from __future__ import annotations

import re

INJECTION = re.compile(
    r"忽略(之前|以上|前面|所有)?(的)?(指令|指示|规则|设定|提示)|系统提示|system\s*prompt|提示词|"
    r"你的(指令|设定|规则)是|ignore (all|previous|the above)|你现在(是|扮演)|developer mode|越狱",
    re.IGNORECASE,
)
PROMISE = re.compile(r"免单|免费送|答应(过)?我|承诺(过)?|保证(给|会)?(我)?(退款|赔)|赔偿我|白送|你们说过")
HUMAN = re.compile(r"转人工|人工客服|找人工|真人|接人工")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def is_injection(text: str) -> bool:
    return bool(INJECTION.search(text))


def asks_for_human(text: str) -> bool:
    return bool(HUMAN.search(text))


def asks_for_promise(text: str) -> bool:
    return bool(PROMISE.search(text))


def unsupported_numbers(answer: str, evidence: str) -> list[str]:
    """Numbers in ``answer`` that appear nowhere in ``evidence`` (prices, days, sizes …).

    ``99`` is supported by ``99.00`` and ``7`` by ``7天``; list markers like ``1.`` are ignored."""
    ev = set(NUMBER.findall(evidence))
    ev |= {n.rstrip("0").rstrip(".") for n in ev if "." in n}
    out = []
    for n in NUMBER.findall(answer):
        plain = n.rstrip("0").rstrip(".") if "." in n else n
        if n not in ev and plain not in ev and n not in out:
            out.append(n)
    return out
