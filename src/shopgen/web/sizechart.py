"""The size chart as text, one size per line: ``M 160-170 55-65 胸围=100 衣长=68``.

Each line is the size, the height range in cm, the weight range in kg (``-`` when unknown),
then measurements as ``名称=数值``. :func:`parse_size_chart` collects one Chinese message per
bad line ("尺码表第 2 行：身高范围应写成 160-170"); :func:`size_chart_text` is its inverse.
"""

from __future__ import annotations

import math
import re

RANGE_RE = re.compile(r"^(\d{1,3})\s*[-~～–—]\s*(\d{1,3})$")
NO_VALUE = {"-", "—", "/"}


def _lines(text: str):
    for n, raw in enumerate(text.splitlines(), start=1):
        if raw.strip():
            yield n, raw.strip()


def _range(token: str, where: str, label: str, example: str) -> list[int] | None:
    if token in NO_VALUE:
        return None
    m = RANGE_RE.match(token)
    if not m:
        raise ValueError(f"{where}：{label}应写成 {example}")
    lo, hi = int(m.group(1)), int(m.group(2))
    if not 0 < lo <= hi < 400:
        raise ValueError(f"{where}：{label}应先小后大，且在 1–399 之间，如 {example}")
    return [lo, hi]


def _chart_row(n: int, line: str) -> dict:
    where = f"尺码表第 {n} 行"
    size, *rest = line.split()
    if len(size) > 32:
        raise ValueError(f"{where}：尺码最多 32 个字")
    positional: list[str] = []
    measurements: dict[str, float] = {}
    for tok in rest:
        name, sep, value = tok.replace("＝", "=").partition("=")
        if not sep:
            if measurements or len(positional) == 2:
                raise ValueError(
                    f"{where}：“{tok}”看不懂；格式是 尺码 身高 体重 名称=数值…，如 M 160-170 55-65 胸围=100"
                )
            positional.append(tok)
            continue
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not name or not math.isfinite(number) or number < 0:
            raise ValueError(f"{where}：“{tok}”应写成 名称=数值，如 胸围=100")
        if name in measurements:
            raise ValueError(f"{where}：“{name}”写了两次")
        measurements[name] = number
    height = _range(positional[0], where, "身高范围", "160-170") if positional else None
    weight = _range(positional[1], where, "体重范围", "55-65") if len(positional) > 1 else None
    return {"size": size, "height": height, "weight": weight, "measurements": measurements}


def parse_size_chart(text: str, errors: list[str], unit: str = "cm") -> dict | None:
    rows, seen = [], {}
    for n, line in _lines(text):
        try:
            row = _chart_row(n, line)
        except ValueError as exc:
            errors.append(str(exc))
            continue
        if row["size"] in seen:
            errors.append(f"尺码表第 {n} 行：尺码“{row['size']}”与第 {seen[row['size']]} 行重复")
            continue
        seen[row["size"]] = n
        rows.append(row)
    return {"unit": unit, "rows": rows} if rows else None


def _number(v: float) -> str:
    """Shortest exact text: 100.0 → "100", 71.5 → "71.5" (``:g`` would round to 6 digits)."""
    v = float(v)
    return str(int(v)) if v.is_integer() else repr(v)


def size_chart_text(chart: dict | None) -> str:
    """The textarea form of a chart from ``catalog.to_dict`` (the inverse of parse_size_chart)."""
    if not chart:
        return ""
    lines = []
    for r in chart["rows"]:
        pos = [f"{r['height'][0]}-{r['height'][1]}" if r["height"] else "-"]
        pos.append(f"{r['weight'][0]}-{r['weight'][1]}" if r["weight"] else "-")
        while pos and pos[-1] == "-" and not r["measurements"]:
            pos.pop()
        meas = [f"{k}={_number(v)}" for k, v in r["measurements"].items()]
        lines.append(" ".join([r["size"], *pos, *meas]))
    return "\n".join(lines)
