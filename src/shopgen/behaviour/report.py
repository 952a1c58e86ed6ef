"""``shopgen behaviour report --out DIR``: ``report.html`` and its PNG charts (funnel per
category, RFM segments, cohort retention, active hours), with the tables behind them."""

from __future__ import annotations

import html
import json
from pathlib import Path

from shopgen.behaviour.analysis import STAGES
from shopgen.core.charts import figure, save

EXTRA = "recommend"
STAGE_LABELS = {"view": "浏览", "cart": "加购", "purchase": "购买"}


def funnel_chart(funnel: list[dict], path: Path) -> Path:
    plt, (fig, ax) = figure(8, 4, EXTRA)
    keys = [f["key"] for f in funnel]
    width = 0.27
    for n, (stage, colour) in enumerate(zip(STAGES, ("#9ec5fe", "#3370ff", "#0e42d2"))):
        ax.bar(
            [x + (n - 1) * width for x in range(len(keys))],
            [f[stage] for f in funnel],
            width,
            label=STAGE_LABELS[stage],
            color=colour,
        )
    ax.set_xticks(range(len(keys)), keys)
    ax.set_ylabel("顾客数")
    ax.set_title("各类目转化漏斗：浏览 → 加购 → 购买")
    ax.legend()
    return save(plt, fig, path)


def segments_chart(segments: dict[str, int], path: Path) -> Path:
    plt, (fig, ax) = figure(7, 0.45 * len(segments) + 1.5, EXTRA)
    names = list(segments)
    ax.barh(names, [segments[n] for n in names], color="#3370ff")
    ax.invert_yaxis()
    ax.set_xlabel("顾客数")
    ax.set_title("RFM 客户分群")
    return save(plt, fig, path)


def cohort_chart(cohorts: list[dict], path: Path) -> Path:
    plt, (fig, ax) = figure(8, 0.45 * len(cohorts) + 1.8, EXTRA)
    width = max(len(c["retention"]) for c in cohorts)
    grid = [[c["retention"][k] if k < len(c["retention"]) else float("nan") for k in range(width)] for c in cohorts]
    im = ax.imshow(grid, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for r, row in enumerate(grid):
        for k, v in enumerate(row):
            if v == v:  # not NaN
                ax.text(k, r, f"{v:.0%}", ha="center", va="center", fontsize=8, color="white" if v > 0.6 else "#1d2129")
    ax.set_xticks(range(width), [f"第{k}周" for k in range(width)])
    ax.set_yticks(range(len(cohorts)), [f"{c['cohort']}（{c['size']}人）" for c in cohorts])
    ax.set_title("按首次到访周的留存")
    fig.colorbar(im, ax=ax, fraction=0.03)
    return save(plt, fig, path)


def hours_chart(hours: list[int], path: Path) -> Path:
    plt, (fig, ax) = figure(8, 3, EXTRA)
    ax.bar(range(24), hours, color="#7fd3b0")
    ax.set_xticks(range(0, 24, 2))
    ax.set_xlabel("时段（店铺时间）")
    ax.set_ylabel("行为数")
    ax.set_title("活跃时段")
    return save(plt, fig, path)


def build(a: dict, out_dir: str | Path, title: str = "客户行为分析") -> dict:
    """Write the report for an :func:`~shopgen.behaviour.analysis.analyse` result."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pngs = {
        "funnel": funnel_chart(a["funnel_category"], out / "funnel.png"),
        "segments": segments_chart(a["segments"], out / "segments.png"),
        "cohorts": cohort_chart(a["cohorts"], out / "cohorts.png"),
        "hours": hours_chart(a["hours"], out / "hours.png"),
    }
    (out / "behaviour.json").write_text(json.dumps(a, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    page = out / "report.html"
    page.write_text(_html(title, a, pngs), encoding="utf-8")
    return {"html": str(page), "png": [str(p) for p in pngs.values()], **a["summary"], "segments": a["segments"]}


def _pct(x: float) -> str:
    return f"{x:.1%}"


def _html(title: str, a: dict, pngs: dict[str, Path]) -> str:
    e = html.escape
    s = a["summary"]
    figs = "".join(f'<figure><img src="{p.name}" alt="{e(k)}"></figure>' for k, p in pngs.items())
    prof = "".join(
        f"<tr><td>{e(p['segment'])}</td><td>{p['users']}</td><td>{_pct(p['share'])}</td><td>{p['avg_monetary']:.2f}</td>"
        f"<td>{e('、'.join(p['top_categories']) or '—')}</td><td>{e(p['price_band'] or '—')}</td>"
        f"<td>{e('、'.join(f'{h}点' for h in p['active_hours']))}</td></tr>"
        for p in a["profiles"]
    )
    products = "".join(
        f"<tr><td>{e(f['key'])}</td><td>{e(f['title'])}</td><td>{f['view']}</td><td>{f['cart']}</td><td>{f['purchase']}</td>"
        f"<td>{_pct(f['view_to_cart'])}</td><td>{_pct(f['cart_to_purchase'])}</td></tr>"
        for f in a["funnel_product"][:20]
    )
    rep = a["repeat"]
    rep_rows = "".join(
        f"<tr><td>{e(c)}</td><td>{r['purchasers']}</td><td>{r['repeat']}</td><td>{_pct(r['rate'])}</td></tr>"
        for c, r in rep["by_category"].items()
    )
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{e(title)}</title>
<style>body{{font-family:"Noto Sans CJK SC",sans-serif;max-width:1000px;margin:2em auto}}img{{max-width:100%}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:4px 8px}}</style></head><body>
<h1>{e(title)}</h1>
<p>{s["first"][:10]} 至 {s["last"][:10]}：{s["events"]} 条行为，{s["shoppers"]} 位顾客（{s["purchasers"]} 位购买过），{s["products"]} 个商品；
复购率 {_pct(rep["rate"])}（{rep["repeat"]} / {rep["purchasers"]}）。</p>
{figs}
<h2>客户分群画像</h2>
<table><tr><th>分群</th><th>人数</th><th>占比</th><th>人均消费</th><th>常买类目</th><th>价格带</th><th>活跃时段</th></tr>{prof}</table>
<h2>各类目复购</h2>
<table><tr><th>类目</th><th>购买人数</th><th>复购人数</th><th>复购率</th></tr>{rep_rows}</table>
<h2>商品漏斗（浏览最多的 20 个）</h2>
<table><tr><th>SKU</th><th>商品</th><th>浏览</th><th>加购</th><th>购买</th><th>浏览→加购</th><th>加购→购买</th></tr>{products}</table>
</body></html>
"""
