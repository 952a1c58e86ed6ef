"""Policy questions with known answers: is the assistant correct, does it contradict the shop's
policy, or does it abstain?

Each item is ``{"id", "topic", "q", "must": [...], "must_not": [...]}``: a correct reply says one
of ``must`` (any of them); a reply that says one of ``must_not`` and none of ``must`` contradicts
the policy; a reply that hands over, refuses or says it does not know abstains; anything else is
``unclear`` (neither right nor wrong words). The judge reads only the reply text and route, not
the pipeline's own checks. The set shipped with the tests (``tests/assistant/data/
policy_questions.jsonl``) was written for shopgen over the demo shop's knowledge base.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from shopgen.assistant.answer import Assistant
from shopgen.core import jsonl
from shopgen.core.errors import InvalidInput

ABSTAINING = ("abstain", "handoff", "refuse")


def load(path: str | Path) -> list[dict]:
    rows = []
    for n, obj, problem in jsonl.objects(Path(path).read_text(encoding="utf-8").splitlines()):
        if problem is not None:
            raise InvalidInput(f"{path} line {n}: {problem}")
        if not isinstance(obj, dict) or not str(obj.get("q", "")).strip() or not obj.get("must"):
            raise InvalidInput(f"{path} line {n}: needs q and a non-empty must list")
        rows.append(obj)
    if not rows:
        raise InvalidInput(f"{path}: no questions")
    return rows


def judge(text: str, route: str, item: dict) -> str:
    """correct | contradicted | abstained | unclear. A reply on an abstaining route is a fixed
    sentence, never an answer: its 「可以为您转接人工客服」 is not a yes to 「能退吗」."""
    if route in ABSTAINING:
        return "abstained"
    says = any(m in text for m in item["must"])
    denies = any(m in text for m in item.get("must_not", []))
    if denies and not says:
        return "contradicted"
    return "correct" if says else "unclear"


def run(assistant: Assistant, items: list[dict]) -> dict:
    verdicts, routes, repaired, quoted, seconds, wrong, each = Counter(), Counter(), 0, 0, [], [], []
    for item in items:
        start = time.perf_counter()
        r = assistant.reply(item["q"])
        seconds.append(time.perf_counter() - start)
        v = judge(r.text, r.route, item)
        each.append({"id": item.get("id"), "verdict": v, "route": r.route, "withheld": r.withheld, "reply": r.text})
        verdicts[v] += 1
        routes[r.route] += 1
        repaired += str(getattr(r, "withheld", None) or "").startswith("contradiction")
        quoted += getattr(r, "withheld", None) == "quoted"
        if v in ("contradicted", "unclear"):
            wrong.append({"id": item.get("id"), "q": item["q"], "reply": r.text, "route": r.route, "verdict": v})
    n = len(items)
    return {
        "n": n,
        **{k: verdicts[k] for k in ("correct", "contradicted", "abstained", "unclear")},
        **{f"{k}_rate": round(verdicts[k] / n, 4) for k in ("correct", "contradicted", "abstained")},
        "repaired": repaired,
        "quoted": quoted,
        "routes": dict(routes.most_common()),
        "abstained_because": dict(
            Counter(e["withheld"] or e["route"] for e in each if e["verdict"] == "abstained").most_common()
        ),
        "seconds_per_question": round(sum(seconds) / n, 3),
        "model": getattr(assistant.llm, "model", ""),
        "not_correct": wrong,
        "items": each,
    }
