"""The shipped default model ``auto``: per series, the single model or average of models whose
calibration forecasts (the backtest windows inside the training data) erred least.

Regular series choose among LightGBM, AutoETS, seasonal naive and their averages; intermittent
series (more than ``INTERMITTENT`` of periods without a sale) among LightGBM, TSB, Croston, ADIDA and
averages with LightGBM. A series' score is half its own scaled error and half the option's error over
all series of its kind, so two short windows of noise do not decide alone.
"""

from __future__ import annotations

from shopgen.core.lazy import require

INTERMITTENT = 0.3
REGULAR = ("lgbm", "ets", "seasonal_naive")
SPARSE = ("lgbm", "tsb", "croston", "adida")
OPTIONS = {
    False: [("lgbm",), ("ets",), ("seasonal_naive",), ("lgbm", "ets"), ("lgbm", "seasonal_naive"),
            ("lgbm", "ets", "seasonal_naive")],
    True: [("lgbm",), ("tsb",), ("croston",), ("adida",), ("lgbm", "tsb"), ("lgbm", "croston")],
}  # fmt: skip
OWN_WEIGHT = 0.5


def zero_share(panel) -> dict[str, float]:
    return panel.df.groupby("unique_id")["y"].apply(lambda s: float((s == 0).mean())).to_dict()


def members(panel) -> list[str]:
    shares = zero_share(panel)
    out = list(REGULAR) if any(v <= INTERMITTENT for v in shares.values()) else []
    if any(v > INTERMITTENT for v in shares.values()):
        out += [m for m in SPARSE if m not in out]
    return out


def _wide(frames: dict, names: list[str], keys: list[str]):
    wide = None
    for n in names:
        f = frames[n][[*keys, "yhat"]].rename(columns={"yhat": n})
        wide = f if wide is None else wide.merge(f, on=keys)
    return wide


def combine(final: dict, inner: dict, names: list[str], inner_levels: list[dict]):
    """``((forecast, calibration forecasts), {series: option})`` for ``auto``."""
    pd = require("pandas", "forecast")
    np = require("numpy", "forecast")
    fkeys = ["unique_id", "ds"]
    fw = _wide(final, names, fkeys)
    have_inner = all(inner.get(n) is not None for n in names)
    iw = _wide(inner, names, ["cut", "unique_id", "ds", "step", "y"]) if have_inner else None
    sparse_ids = set()
    if iw is not None:
        z = iw.groupby("unique_id")["y"].apply(lambda s: float((s == 0).mean()))
        sparse_ids = set(z[z > INTERMITTENT].index)
    kind = {u: u in sparse_ids for u in fw["unique_id"].unique()}
    choice: dict[str, str] = {}
    if iw is not None and not iw.empty:
        cuts = sorted(iw["cut"].unique())
        lv = np.array([inner_levels[cuts.index(c)].get(u, 0.0) for c, u in zip(iw["cut"], iw["unique_id"])])
        lv = np.where(lv > 0, lv, 1.0)
        errs = {}
        for opts in OPTIONS.values():
            for opt in opts:
                if all(m in iw for m in opt):
                    pred = iw[list(opt)].mean(axis=1).to_numpy()
                    errs["+".join(opt)] = (
                        pd.Series(np.abs(iw["y"].to_numpy() - pred) / lv).groupby(iw["unique_id"]).mean()
                    )
        table = pd.DataFrame(errs)
        for sparse, opts in OPTIONS.items():
            cols = ["+".join(o) for o in opts if "+".join(o) in table]
            ids = [u for u in table.index if kind.get(u, False) == sparse]
            if not ids or not cols:
                continue
            sub = table.loc[ids, cols]
            score = OWN_WEIGHT * sub + (1 - OWN_WEIGHT) * sub.mean(axis=0)
            choice.update(score.idxmin(axis=1).to_dict())
    for u, sparse in kind.items():
        if u not in choice:  # no calibration windows: the first option of its kind
            choice[u] = "+".join(next(o for o in OPTIONS[sparse] if all(m in fw for m in o)))

    def pick(wide):
        out = wide.copy()
        opt = out["unique_id"].map(choice).to_numpy()
        yhat = np.zeros(len(out))
        for o in set(opt):
            mask = opt == o
            yhat[mask] = out.loc[mask, o.split("+")].mean(axis=1).to_numpy()
        out["yhat"] = yhat
        return out

    chosen = pick(fw)[[*fkeys, "yhat"]]
    chosen_inner = pick(iw)[["cut", "unique_id", "ds", "step", "y", "yhat"]] if iw is not None else None
    return (chosen, chosen_inner), choice
