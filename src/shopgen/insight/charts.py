"""PNG charts for the insight report (matplotlib, Agg backend, a CJK font for Chinese labels)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from shopgen.core import fonts
from shopgen.core.lazy import require


@lru_cache(maxsize=1)
def _plt():
    mpl = require("matplotlib", "insight")
    mpl.use("Agg")
    return require("matplotlib.pyplot", "insight")


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """A CJK font family matplotlib can draw with. The font file is found through fontconfig and
    registered with matplotlib, whose own font cache may predate the font's installation.
    Raises BackendError naming the package to install."""
    fm = require("matplotlib.font_manager", "insight")
    font = fonts.cjk_font()
    known = {f.name for f in fm.fontManager.ttflist}
    if font.family not in known:
        fm.fontManager.addfont(str(font.path))
        known = {f.name for f in fm.fontManager.ttflist}
    if font.family in known:
        return font.family
    # a collection registers under the name of its first face; ask matplotlib what it read
    return fm.FontProperties(fname=str(font.path)).get_name()


def _figure(width: float = 8, height: float = 4):
    plt = _plt()
    plt.rcParams["font.family"] = [cjk_font(), "sans-serif"]
    plt.rcParams["axes.unicode_minus"] = False
    return plt, plt.subplots(figsize=(width, height), dpi=110)


def _save(plt, fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def sentiment_over_time(days: list[str], pos: list[int], neg: list[int], path: Path) -> Path:
    plt, (fig, ax) = _figure()
    ax.bar(days, pos, color="#4caf50", label="正面")
    ax.bar(days, neg, bottom=pos, color="#e53935", label="负面")
    rate = ax.twinx()
    rate.plot(days, [n / max(p + n, 1) for p, n in zip(pos, neg)], color="#222", marker=".", label="负面占比")
    rate.set_ylim(0, 1)
    rate.set_ylabel("负面占比")
    ax.set_ylabel("评论数")
    ax.set_title("情感随时间变化")
    ax.legend(loc="upper left")
    step = max(1, len(days) // 10)
    ax.set_xticks(range(0, len(days), step), [days[i] for i in range(0, len(days), step)], rotation=30, ha="right")
    return _save(plt, fig, path)


def aspect_breakdown(counts: dict[str, dict[str, int]], path: Path) -> Path:
    plt, (fig, ax) = _figure(7, 4)
    names = sorted(counts, key=lambda a: -sum(counts[a].values()))
    pos = [counts[a].get("positive", 0) for a in names]
    neg = [counts[a].get("negative", 0) + counts[a].get("mixed", 0) for a in names]
    ax.barh(names, pos, color="#4caf50", label="正面")
    ax.barh(names, neg, left=pos, color="#e53935", label="负面/混合")
    ax.invert_yaxis()
    ax.set_xlabel("提及次数")
    ax.set_title("方面情感分布")
    ax.legend(loc="lower right")
    return _save(plt, fig, path)


def themes(themes_: list[dict], path: Path) -> Path:
    plt, (fig, ax) = _figure(8, 0.6 * len(themes_) + 1.5)
    labels = [" / ".join(t["keywords"][:4]) for t in themes_]
    ax.barh(labels, [t["size"] for t in themes_], color="#fb8c00")
    ax.invert_yaxis()
    ax.set_xlabel("负面评论数")
    ax.set_title("主要负面主题")
    return _save(plt, fig, path)
