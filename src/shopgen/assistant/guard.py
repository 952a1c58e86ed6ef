"""Checks around the model: prompt injection and promises in, unsupported facts out.

The assistant never puts secrets in its prompt, but it still refuses to discuss its
instructions, and it never agrees to a promise (免单, 赔偿 …) that no policy supports.
"""

from __future__ import annotations

import re

INJECTION = re.compile(
    r"(忽略|无视|忘掉|忘记|不要管|跳过)(之前|以上|前面|所有|上面|你的)?(的)?(指令|指示|规则|设定|提示|限制|要求)|系统提示|"
    r"system\s*prompt|提示词|你的(指令|设定|规则|提示)是|ignore (all|previous|the above|your)|"
    r"你现在(是|扮演)|(假装|假设|想象)(你|自己)(是|成)|(扮演|角色扮演|cosplay|role\s*-?play)|"
    r"从现在(开始|起)(你|,|，)|developer mode|开发者模式|越狱|jailbreak|\bDAN\b|不受(任何)?(限制|约束)|没有(任何)?限制|"
    r"(直接|只|就|只要|只需)(回复|回答|说|输出|打出|复述)[^，。？?]{0,6}(\"|“|‘|'|「|『|：|:)|"
    r"(照着|跟着)我?(说|念|读)|跟我(念|读|重复)|重复(一遍)?我的话|原样(输出|回复)",
    re.IGNORECASE,
)
# requests that have nothing to do with a shop: refused without the model
OFFTOPIC = re.compile(
    r"写(一)?(首|篇|段|个)?(诗|诗歌|作文|文章|小说|故事|歌词|代码|程序|脚本|情书|检讨)|讲(个|一个)?(笑话|故事)|"
    r"(翻译|解释)(一下)?(这段|下面)|(做|解)(一道)?(数学|作业)|政治|选举|"
    r"(说|骂|吐槽|评价)(一下)?(淘宝|京东|拼多多|天猫|抖音|快手|唯品会|苏宁|别家|别的店|其他店|同行|竞品|友商|你们?店|你家)"
    r".{0,8}(坏话|差|烂|垃圾|不好|缺点)|"
    r"(骂|diss|攻击|嘲讽|羞辱)(一下)?(我|他|她|他们|你们?|店|客服|老板)",
    re.IGNORECASE,
)
PROMISE = re.compile(r"免单|免费送|答应(过)?我|承诺(过)?|保证(给|会)?(我)?(退款|赔)|赔偿我|白送|你们说过")
HUMAN = re.compile(r"转人工|人工客服|找人工|真人|接人工")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def is_injection(text: str) -> bool:
    return bool(INJECTION.search(text))


def is_offtopic_request(text: str) -> bool:
    return bool(OFFTOPIC.search(text))


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
