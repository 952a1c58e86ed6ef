"""The shop's forecast and purchase plan: read history, calendar and stock from the database, run the
engine, explain calendar effects, and suggest orders. Results are cached per content fingerprint
(in memory and under ``data_dir/inventory-cache``), so the studio and the CLI do not refit a model
for data that has not changed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from shopgen.core.errors import InvalidInput, NotFound
from shopgen.inventory import engine, planning, repo
from shopgen.inventory import panel as P
from shopgen.inventory.intervals import LEVEL
from shopgen.store.models import CalendarEntry, InventoryItem, SalesDay, Variant

HISTORY_SHOWN = {"D": 90, "W": 52, "M": 24}
KEEP_CACHED = 8


def parse_horizon(text: str | int | None, freq: str, default: int) -> int:
    """``8``, ``8w``, ``56d`` or ``2m`` → periods of ``freq`` (days are rounded up to whole periods)."""
    if text is None or text == "":
        return default
    s = str(text).strip().lower()
    unit = s[-1] if s[-1] in "dwm" else None
    try:
        n = int(s[:-1] if unit else s)
    except ValueError:
        raise InvalidInput(f"horizon {text!r} is not a number of periods like 8, 8w, 56d or 2m") from None
    if n < 1:
        raise InvalidInput("horizon must be at least 1")
    if unit is None or unit == freq.lower():
        return n
    days = n * {"d": 1, "w": 7, "m": 30}[unit]
    return max(1, -(-days // {"D": 1, "W": 7, "M": 30}[freq]))


class InventoryService:
    def __init__(self, db, settings) -> None:
        self.db, self.settings = db, settings
        self._memo: dict[str, dict] = {}

    # ---- forecast ------------------------------------------------------------------------------

    def _fingerprint(self, s, *parts) -> str:
        sales = s.execute(select(func.count(SalesDay.id), func.max(SalesDay.id), func.sum(SalesDay.quantity))).one()
        cal = s.execute(select(func.count(CalendarEntry.id), func.max(CalendarEntry.updated_at))).one()
        raw = json.dumps([list(map(str, sales)), list(map(str, cal)), *map(str, parts)])
        return hashlib.sha256(raw.encode()).hexdigest()[:24]

    def _cache(self) -> Path:
        return Path(self.settings.data_dir) / "inventory-cache"

    def forecast(
        self,
        skus: list[str] | None = None,
        horizon=None,
        freq: str | None = None,
        model: str | None = None,
        engine_name: str = "local",
    ) -> dict:
        freq = P.check_freq(freq or self.settings.inventory_freq)
        h = parse_horizon(horizon, freq, self.settings.inventory_horizon)
        model = model or self.settings.inventory_model
        with self.db.session() as s:
            known = set(repo.known_skus(s))
            for sku in skus or []:
                if sku not in known:
                    raise NotFound(f"no sales history for SKU {sku}", {"sku": sku})
            # every SKU is forecast together (one global model, one cache entry); a SKU filter only
            # selects from the result
            key = self._fingerprint(s, h, freq, model, engine_name)
            result = self._memo.get(key) or self._read_cache(key)
            if result is None:
                rows, cal, titles = repo.history(s), repo.calendar(s), repo.titles(s)
        if result is None:
            result = self._compute(rows, cal, titles, h, freq, model, engine_name)
            self._write_cache(key, result)
        self._memo[key] = result
        if skus:
            return {**result, "series": [x for x in result["series"] if x["sku"] in set(skus)]}
        return result

    def _read_cache(self, key: str) -> dict | None:
        f = self._cache() / f"{key}.json"
        try:
            return json.loads(f.read_text(encoding="utf-8")) if f.is_file() else None
        except (OSError, ValueError):
            return None

    def _write_cache(self, key: str, result: dict) -> None:
        d = self._cache()
        d.mkdir(parents=True, exist_ok=True)
        tmp = d / f"{key}.tmp"
        tmp.write_text(json.dumps(result, ensure_ascii=False, default=str), encoding="utf-8")
        tmp.replace(d / f"{key}.json")
        old = sorted(d.glob("*.json"), key=lambda f: f.stat().st_mtime)[:-KEEP_CACHED]
        for f in old:  # forecasts of data that has since changed
            f.unlink(missing_ok=True)

    def _compute(self, rows, cal, titles, h, freq, model, engine_name="local") -> dict:
        pn = P.build(rows, freq, cal, h=h)
        if engine_name == "ray":
            from shopgen.inventory import distributed

            d = distributed.forecast(pn, h, [model], engine_name="ray")
            run = engine.Run(d["forecasts"], {}, choice=d["choice"], notes=d["notes"])
        else:
            run = engine.run(pn, h, [model])
        fc = run.forecasts[model]
        effects = self._effects(pn, h, cal, run.fitted.get("lgbm"))
        if effects:
            fc = _apply_effects(fc, effects, run.choice)
        as_of = max(r.day for r in rows)
        out_series = []
        shown = HISTORY_SHOWN[freq]
        for uid, g in pn.df.groupby("unique_id"):
            f = fc[fc["unique_id"] == uid]
            eff = effects.get(uid, {})
            out_series.append({
                "sku": uid, "title": titles.get(uid, ""), "model": run.choice.get(uid, model) if model == engine.DEFAULT else model,
                "fallback": uid in run.short,
                "history": [{"ds": d.date().isoformat(), "y": round(float(y), 3)} for d, y in zip(g["ds"].tail(shown), g["y"].tail(shown))],
                "forecast": [
                    {"ds": d.date().isoformat(), "yhat": round(float(a), 3), "lo": round(float(b), 3), "hi": round(float(c), 3),
                     **({"effect": eff[d.date().isoformat()]} if d.date().isoformat() in eff else {})}
                    for d, a, b, c in zip(f["ds"], f["yhat"], f["lo"], f["hi"])
                ],
                "filled_gaps": pn.filled.get(uid, 0),
            })  # fmt: skip
        start = pn.df["ds"].max() - timedelta(days=shown * planning.DAYS[freq])
        end = P.next_periods(pn.df["ds"].max().date(), h, freq)[-1]
        return {
            "as_of": as_of.isoformat(), "freq": freq, "unit": P.UNIT[freq], "horizon": h, "model": model,
            "interval": LEVEL / 100, "interval_note": "80% conformal intervals from backtest errors; coverage measured by shopgen inventory eval",
            "series": out_series, "notes": run.notes + pn.notes,
            "calendar": cal.events_between(start.date(), end),
        }  # fmt: skip

    def _effects(self, pn, h, cal, model=None) -> dict:
        """Units that planned promotions and live events add (from the LightGBM model), per series."""
        fut = pn.future
        if fut is None or not ((fut["promo"] > 0) | (fut["live"] > 0)).any():
            return {}
        from shopgen.inventory import effects
        from shopgen.inventory.gbm import GlobalGBM

        lengths = pn.lengths()
        if max(lengths.values()) < engine.MIN_OBS:
            return {}
        if model is None or set(model_ids(model)) != set(lengths):
            model = GlobalGBM().fit(pn, h)  # the engine's own model left short series out, or it used none
        return effects.explain(pn, h, model, cal)

    # ---- plan ----------------------------------------------------------------------------------

    def plan(self, skus: list[str] | None = None, horizon=None) -> dict:
        fc = self.forecast(skus, horizon)
        with self.db.session() as s:
            stock = repo.stock_by_sku(s)
            params = repo.items(s)
            cal = repo.calendar(s)
        as_of = date.fromisoformat(fc["as_of"])
        rows = []
        for series in fc["series"]:
            sku = series["sku"]
            item = params.get(sku)
            p = self._params(item)
            lives = [e.to_dict() for e in cal.of_kind("live") if sku in e.skus and e.end >= as_of]
            sug = planning.suggest(
                series["forecast"], fc["freq"], stock.get(sku, 0), (item.on_order if item else 0) or 0, p,
                recent=[x["y"] for x in series["history"]], as_of=as_of, live_events=lives,
            )  # fmt: skip
            rows.append(
                {"sku": sku, "title": series["title"], "model": series["model"], "stock_known": sku in stock, **sug}
            )
        rows.sort(key=lambda r: (-len(r["warnings"]), -r["order_qty"], r["sku"]))
        return {"as_of": fc["as_of"], "freq": fc["freq"], "horizon": fc["horizon"], "items": rows, "notes": fc["notes"]}

    def _params(self, item: InventoryItem | None) -> planning.Params:
        st = self.settings
        measure = st.inventory_service_measure
        if item is None:
            return planning.Params(
                st.inventory_lead_time_days, st.inventory_review_days, st.inventory_service_level, measure=measure
            )
        return planning.Params(
            item.lead_time_days, item.review_days, item.service_level, item.moq, item.pack_size, measure=measure
        )

    def alerts(self) -> list[dict]:
        """Low-stock and stockout-risk lines for 概览, from the cached plan only (never fits a model)."""
        with self.db.session() as s:
            st = self.settings
            key = self._fingerprint(s, st.inventory_horizon, st.inventory_freq, st.inventory_model, "local")
            has_variants = s.scalar(select(func.count(Variant.id)))
        cached = self._memo.get(key) or self._read_cache(key)
        if not cached or not has_variants:
            return []
        plan = self.plan()
        out = []
        for r in plan["items"]:
            for risk in r["live_risks"]:
                if risk["stockout_probability"] >= 1 - r["service_level"]:
                    out.append({"sku": r["sku"], "title": r["title"], "kind": "live_risk", **risk})
            if "below_reorder_point" in r["warnings"]:
                out.append({"sku": r["sku"], "title": r["title"], "kind": "low_stock", "on_hand": r["on_hand"],
                            "reorder_point": r["reorder_point"], "order_qty": r["order_qty"]})  # fmt: skip
        return out

    # ---- orders --------------------------------------------------------------------------------

    def approve(self, s, sku: str, quantity: int | None, actor, note: str = "", address: str = "") -> dict:
        """Approve the suggested order for ``sku`` (or an edited ``quantity``), audited in the same
        transaction as the order."""
        from shopgen.security import audit

        plan = self.plan([sku])
        item = next((r for r in plan["items"] if r["sku"] == sku), None)
        if item is None:
            raise NotFound(f"no purchase suggestion for SKU {sku}", {"sku": sku})
        qty = item["order_qty"] if quantity is None else int(quantity)
        if qty < 0 or qty > 10_000_000:
            raise InvalidInput("quantity must be between 0 and 10,000,000")
        po = repo.approve(s, sku, qty, item, actor.actor, note)
        action = "inventory.approve" if qty == item["order_qty"] else "inventory.edit_approve"
        audit.record(
            s,
            actor,
            action,
            f"sku:{sku}",
            {"quantity": qty, "suggested": item["order_qty"], "note": note[:200]},
            address=address,
        )
        self._memo.clear()
        return {"id": po.id, "sku": sku, "quantity": qty, "suggested": item["order_qty"], "status": po.status}


def model_ids(model) -> list[str]:
    return list(model.trained_on)


def _apply_effects(fc, effects: dict, choice: dict):
    """Models without the features (ETS, seasonal naive …) do not see a planned promotion: add the
    LightGBM model's estimate of its effect to the share of the forecast they make."""
    fc = fc.copy()
    for i, (uid, ds) in enumerate(zip(fc["unique_id"], fc["ds"])):
        e = effects.get(uid, {}).get(ds.date().isoformat())
        if not e:
            continue
        members = choice.get(uid, "lgbm").split("+")
        share = 1 - members.count("lgbm") / len(members)
        add = e["units"] * share
        for col in ("yhat", "lo", "hi"):
            fc.iat[i, fc.columns.get_loc(col)] = max(0.0, fc.iat[i, fc.columns.get_loc(col)] + add)
    return fc


def to_csv(plan: dict) -> str:
    import csv
    import io

    cols = ["sku", "title", "order_qty", "on_hand", "on_order", "reorder_point", "order_up_to", "safety_stock",
            "lead_time_days", "review_days", "service_level", "moq", "pack_size", "weekly_demand", "weeks_of_cover", "warnings"]  # fmt: skip
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore")
    w.writeheader()
    for r in plan["items"]:
        w.writerow({**r, "warnings": ";".join(r["warnings"])})
    return buf.getvalue()
