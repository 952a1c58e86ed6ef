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


def _choose(iw, lv, kind: dict) -> dict[str, str]:
    """Per series, the option with the lowest blended scaled error on the windows in ``iw``."""
    pd = require("pandas", "forecast")
    np = require("numpy", "forecast")
    errs = {}
    for opts in OPTIONS.values():
        for opt in opts:
            if all(m in iw for m in opt):
                pred = iw[list(opt)].mean(axis=1).to_numpy()
                errs["+".join(opt)] = (
                    pd.Series(np.abs(iw["y"].to_numpy() - pred) / lv).groupby(iw["unique_id"].to_numpy()).mean()
                )
    table = pd.DataFrame(errs)
    choice: dict[str, str] = {}
    for sparse, opts in OPTIONS.items():
        cols = ["+".join(o) for o in opts if "+".join(o) in table]
        ids = [u for u in table.index if kind.get(u, False) == sparse]
        if ids and cols:
            sub = table.loc[ids, cols]
            score = OWN_WEIGHT * sub + (1 - OWN_WEIGHT) * sub.mean(axis=0)
            choice.update(score.idxmin(axis=1).to_dict())
    return choice


def _pick(wide, choice_of):
    """The chosen option's forecast per row; ``choice_of(row index) -> option``."""
    np = require("numpy", "forecast")
    out = wide.copy()
    opt = np.array([choice_of(i) for i in range(len(out))], dtype=object)
    yhat = np.zeros(len(out))
    for o in set(opt):
        mask = opt == o
        yhat[mask] = out.loc[mask, o.split("+")].mean(axis=1).to_numpy()
    out["yhat"] = yhat
    return out


def combine(final: dict, inner: dict, names: list[str], inner_levels: list[dict]):
    """``((forecast, calibration forecasts), {series: option})`` for ``auto``.

    The calibration forecasts that set ``auto``'s intervals are chosen without looking at the window
    they are scored on (the choice for one window is made on the others), so the intervals do not
    inherit the optimism of picking the model that happened to do best there."""
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
    held_out: dict = {}
    if iw is not None and not iw.empty:
        cuts = sorted(iw["cut"].unique())
        lv = np.array([inner_levels[cuts.index(c)].get(u, 0.0) for c, u in zip(iw["cut"], iw["unique_id"])])
        lv = np.where(lv > 0, lv, 1.0)
        choice = _choose(iw, lv, kind)
        for c in cuts:
            other = (iw["cut"] != c).to_numpy()
            held_out[c] = _choose(iw[other], lv[other], kind) if other.any() else choice
    first = {s: "+".join(next(o for o in OPTIONS[s] if all(m in fw for m in o))) for s in (False, True)}
    for u, sparse in kind.items():
        choice.setdefault(u, first[sparse])  # no calibration windows: the first option of its kind
    chosen = _pick(fw, lambda i: choice[fw["unique_id"].iat[i]])[[*fkeys, "yhat"]]
    chosen_inner = None
    if iw is not None:
        cut_of, uid_of = iw["cut"].to_numpy(), iw["unique_id"].to_numpy()
        chosen_inner = _pick(iw, lambda i: held_out.get(cut_of[i], {}).get(uid_of[i], choice[uid_of[i]]))
        chosen_inner = chosen_inner[["cut", "unique_id", "ds", "step", "y", "yhat"]]
    return (chosen, chosen_inner), choice
