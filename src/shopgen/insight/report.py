"""``insight report``: an HTML page with PNG charts over a file of timestamped reviews.

Sections: sentiment over time, aspect breakdown, top negative themes, and the monitor's alerts.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from pathlib import Path

from shopgen.core.errors import InvalidInput
from shopgen.insight import aspects, charts, monitor, stream, topics
from shopgen.insight.sentiment import analyze


def _collect(path: str, cfg: monitor.Config, model):
    items = list(stream.read(path, cfg.tolerance))
    if not items:
        raise InvalidInput(f"{Path(path).name}: no texts to report on")
    return items, analyze([i.text for i in items], model)


def _by_day(items, results) -> tuple[list[str], list[int], list[int]]:
    pos, neg = Counter(), Counter()
    for item, r in zip(items, results):
        (neg if r["label"] == "negative" else pos)[item.ts.date()] += 1
    first, last = min(pos.keys() | neg.keys()), max(pos.keys() | neg.keys())
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    return [d.isoformat()[5:] for d in days], [pos[d] for d in days], [neg[d] for d in days]


def build(path: str, out_dir: str, *, model, aspect_model=None, k: int = 5, cfg: monitor.Config | None = None) -> dict:
    """Write ``report.html`` and its PNGs into ``out_dir``; returns the summary and file paths.
    Texts are scored with the sentiment ``model``, aspects with ``aspect_model`` (default: ``model``)."""
    cfg = cfg or monitor.Config()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    items, results = _collect(path, cfg, model)
    aspect_counts: dict[str, Counter] = {}
    for item in items:
        for a in aspects.analyze(item.text, aspect_model or model):
            aspect_counts.setdefault(a["aspect"], Counter())[a["polarity"]] += 1
    negs = [i.text for i, r in zip(items, results) if r["label"] == "negative"]
    themes = topics.cluster(negs, k) if len(negs) >= 4 else []
    alerts = monitor.detect(monitor.aggregate(iter(items), cfg, results=results), cfg)  # scored once
    pngs = {"sentiment": charts.sentiment_over_time(*_by_day(items, results), out / "sentiment_over_time.png")}
    if aspect_counts:
        pngs["aspects"] = charts.aspect_breakdown(aspect_counts, out / "aspects.png")
    if themes:
        pngs["themes"] = charts.themes(themes, out / "themes.png")
    summary = {
        "n": len(items),
        "negative": len(negs),
        "aspects": {a: dict(c) for a, c in aspect_counts.items()},
        "themes": themes,
        "alerts": alerts,
    }
    page = out / "report.html"
    page.write_text(_html(Path(path).name, summary, pngs), encoding="utf-8")
    return {**summary, "html": str(page), "png": [str(p) for p in pngs.values()]}


def _html(name: str, s: dict, pngs: dict[str, Path]) -> str:
    e = html.escape
    imgs = "".join(f'<figure><img src="{p.name}" alt="{e(k)}"></figure>' for k, p in pngs.items())
    theme_rows = "".join(
        f"<tr><td>{t['id']}</td><td>{t['size']}</td><td>{e('、'.join(t['keywords']))}</td>"
        f"<td>{'<br>'.join(e(x) for x in t['examples'])}</td></tr>"
        for t in s["themes"]
    )
    alert_rows = "".join(
        f"<tr><td>{e(a['time'])}</td><td>{e(a['scope'])}</td><td>{e(a['metric'])}</td><td>{a['value']}</td>"
        f"<td>{a['baseline']}</td><td>{a['z']}</td><td>{'<br>'.join(e(x) for x in a['evidence'])}</td></tr>"
        for a in s["alerts"]
    )
    rate = s["negative"] / s["n"]
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>评论洞察报告 · {e(name)}</title>
<style>body{{font-family:"Noto Sans CJK SC",sans-serif;max-width:960px;margin:2em auto}}img{{max-width:100%}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:4px 8px;vertical-align:top}}</style></head><body>
<h1>评论洞察报告</h1><p>{e(name)}：共 {s["n"]} 条，负面 {s["negative"]} 条（{rate:.1%}）</p>{imgs}
<h2>主要负面主题</h2><table><tr><th>#</th><th>数量</th><th>关键词</th><th>代表评论</th></tr>{theme_rows}</table>
<h2>预警</h2><table><tr><th>时间</th><th>范围</th><th>指标</th><th>值</th><th>基线</th><th>z</th><th>证据</th></tr>{alert_rows}</table>
</body></html>"""
