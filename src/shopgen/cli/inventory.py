"""``shopgen inventory import|sync|calendar|params|forecast|plan|approve|eval``: demand forecasts and
purchase suggestions. Forecasting needs ``pip install 'shopgen[forecast]'``."""

from __future__ import annotations

import click

from shopgen.cli.common import Context, emit, json_option, pass_ctx

_freq = click.option("--freq", type=click.Choice(["D", "W", "M"], case_sensitive=False), default=None,
                     help="Forecast per day, week or month (default: SHOPGEN_INVENTORY_FREQ, W).")  # fmt: skip
_horizon = click.option("--horizon", default=None, help="How far: 8, 8w, 56d or 2m (default: 8 periods).")
_sku = click.option("--sku", "skus", multiple=True, help="Only this SKU (repeatable).")


@click.group("inventory")
def inventory_group() -> None:
    """Demand forecasts, purchase suggestions, promotions and live events (货)."""


@inventory_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@json_option
@pass_ctx
def import_cmd(ctx: Context, file: str, as_json: bool) -> None:
    """Import sales history (CSV/JSONL: sku, date, quantity[, price, promo]; Walmart/M5-style files).
    Every row is checked first; any bad row → its line, and nothing is written."""
    from shopgen.inventory import history, repo

    report = history.read_file(file)
    with ctx.db.session() as s:
        counts = repo.save_sales(s, report.rows, "import")
    out = {**report.summary(), **counts}
    human = f"imported {out['rows']} days of sales for {out['skus']} SKUs ({counts['inserted']} new, {counts['replaced']} replaced)"
    if out["returns"]["rows"]:
        human += (
            f"; {out['returns']['rows']} rows were returns ({out['returns']['units']:g} units), kept apart from demand"
        )
    if out["duplicates_dropped"] or out["merged_same_day"]:
        human += f"; {out['duplicates_dropped']} repeated rows dropped, {out['merged_same_day']} same-day rows added up"
    emit(out, as_json, human)


@inventory_group.command("sync")
@json_option
@pass_ctx
def sync_cmd(ctx: Context, as_json: bool) -> None:
    """Derive daily sales per product from the shop's orders."""
    from shopgen.inventory import repo

    with ctx.db.session() as s:
        out = repo.sync_orders(s)
    emit(
        out,
        as_json,
        f"derived {out['days']} SKU-days of sales from orders ({out['skipped']} days already held history)",
    )


@inventory_group.group("calendar")
def calendar_group() -> None:
    """Holidays, promotions and live events."""


@calendar_group.command("list")
@click.option(
    "--holidays", "year", type=int, default=None, help="Also list the built-in Chinese holidays of this year."
)
@json_option
@pass_ctx
def calendar_list(ctx: Context, year: int | None, as_json: bool) -> None:
    from datetime import date

    from shopgen.inventory import holidays, repo

    with ctx.db.session() as s:
        entries = [e.to_dict() for e in repo.calendar(s).entries]
    built = []
    if year:
        built = [{"name": h.name, "kind": h.kind, "start": h.start.isoformat(), "end": h.end.isoformat(), "estimated": h.estimated}
                 for h in holidays.holidays_between(date(year, 1, 1), date(year, 12, 31))]  # fmt: skip
    lines = [f"{e['id']:>4} {e['kind']:<9} {e['start']}…{e['end']} {e['name']} {','.join(e['skus'])}" for e in entries]
    lines += [f"   - {h['kind']:<9} {h['start']}…{h['end']} {h['name']}" for h in built]
    emit({"entries": entries, "builtin": built}, as_json, "\n".join(lines) or "the calendar is empty")


@calendar_group.command("add")
@click.option("--kind", type=click.Choice(["holiday", "promotion", "live"]), required=True)
@click.option("--name", required=True)
@click.option("--start", required=True, help="YYYY-MM-DD")
@click.option("--end", default=None, help="YYYY-MM-DD (default: the start day)")
@click.option("--sku", "skus", multiple=True, help="SKUs it applies to (live: the products on stage).")
@click.option("--price", type=float, default=None, help="A promotion's price.")
@click.option("--discount", type=float, default=None, help="A promotion's share off, 0.2 = 20% off.")
@click.option("--room", default=None, help="A live event's room.")
@json_option
@pass_ctx
def calendar_add(ctx: Context, kind, name, start, end, skus, price, discount, room, as_json) -> None:
    from shopgen.inventory import repo

    entry = repo.parse_entry({"kind": kind, "name": name, "start": start, "end": end, "skus": list(skus),
                              "price": price, "discount": discount, "room": room})  # fmt: skip
    with ctx.db.session() as s:
        e = repo.add_entry(s, entry)
    emit(e.to_dict(), as_json, f"added {e.kind} {e.name} ({e.start}…{e.end}) as entry {e.id}")


@calendar_group.command("delete")
@click.argument("entry_id", type=int)
@pass_ctx
def calendar_delete(ctx: Context, entry_id: int) -> None:
    from shopgen.inventory import repo

    with ctx.db.session() as s:
        repo.delete_entry(s, entry_id)
    click.echo(f"deleted calendar entry {entry_id}")


@inventory_group.command("params")
@click.argument("sku")
@click.option("--lead-time", "lead_time_days", type=click.IntRange(0, 365), default=None, help="Days.")
@click.option("--review", "review_days", type=click.IntRange(1, 365), default=None, help="Days between orders.")
@click.option(
    "--service-level",
    type=click.FloatRange(0.5, 0.999),
    default=None,
    help="Target fill rate (share of demand from stock).",
)
@click.option("--moq", type=click.IntRange(1), default=None, help="Minimum order quantity.")
@click.option("--pack-size", type=click.IntRange(1), default=None)
@click.option("--stock", type=click.IntRange(0), default=None, help="On hand (overrides the catalog's variant stock).")
@click.option("--on-order", type=click.IntRange(0), default=None)
@json_option
@pass_ctx
def params_cmd(ctx: Context, sku: str, as_json: bool, **values) -> None:
    """Set a SKU's purchasing parameters."""
    from shopgen.inventory import repo

    with ctx.db.session() as s:
        row = repo.set_item(s, sku, **values)
        out = {
            c: getattr(row, c)
            for c in ("sku", "lead_time_days", "review_days", "service_level", "moq", "pack_size", "stock", "on_order")
        }
    emit(out, as_json, " ".join(f"{k}={v}" for k, v in out.items()))


def _service(ctx: Context):
    from shopgen.inventory.service import InventoryService

    return InventoryService(ctx.db, ctx.settings)


@inventory_group.command("forecast")
@_sku
@_horizon
@_freq
@click.option("--model", default=None, help="auto (default), lgbm, ets, seasonal_naive, arima, croston, tsb, adida …")
@click.option(
    "--engine", type=click.Choice(["local", "ray"]), default=None, help="ray: spread series over Ray workers."
)
@json_option
@pass_ctx
def forecast_cmd(ctx: Context, skus, horizon, freq, model, engine, as_json) -> None:
    """Point forecasts with 80% intervals per SKU, with the effect of planned promotions and live events."""
    svc = _service(ctx)
    out = svc.forecast(list(skus) or None, horizon, freq, model, engine or ctx.settings.inventory_engine)
    lines = []
    for s in out["series"]:
        pts = " ".join(f"{p['yhat']:.1f}[{p['lo']:.0f}-{p['hi']:.0f}]" for p in s["forecast"])
        lines.append(f"{s['sku']:<14} {s['model']:<22} {pts}")
    emit(out, as_json, "\n".join(lines + [f"note: {n}" for n in out["notes"]]))


@inventory_group.command("plan")
@_sku
@_horizon
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), default=None, help="Also write the plan as CSV.")
@json_option
@pass_ctx
def plan_cmd(ctx: Context, skus, horizon, csv_path, as_json) -> None:
    """Purchase suggestions: reorder point, order-up-to level and order quantity per SKU."""
    from pathlib import Path

    from shopgen.inventory.service import to_csv

    plan = _service(ctx).plan(list(skus) or None, horizon)
    if csv_path:
        Path(csv_path).write_text(to_csv(plan), encoding="utf-8-sig")
    lines = [f"{r['sku']:<14} order {r['order_qty']:>6}  on hand {r['on_hand']:>5}  ROP {r['reorder_point']:>8.1f}  "
             f"S {r['order_up_to']:>8.1f}  {','.join(r['warnings'])}" for r in plan["items"]]  # fmt: skip
    emit(plan, as_json, "\n".join(lines) or "no SKUs with sales history")


@inventory_group.command("approve")
@click.argument("sku")
@click.option("--quantity", type=click.IntRange(0), default=None, help="Edit the suggested quantity.")
@click.option("--note", default="")
@json_option
@pass_ctx
def approve_cmd(ctx: Context, sku: str, quantity, note: str, as_json: bool) -> None:
    """Approve the suggested order for SKU (or an edited quantity); audited."""
    from shopgen.security.principal import CLI

    svc = _service(ctx)
    with ctx.db.session() as s:
        out = svc.approve(s, sku, quantity, CLI, note)
    emit(out, as_json, f"approved order {out['id']}: {out['quantity']} × {sku} (suggested {out['suggested']})")


@inventory_group.command("eval")
@click.option(
    "--data", "data", type=click.Path(dir_okay=False), required=True, help="A sales file (CSV/JSONL, .gz ok)."
)
@click.option("--freq", type=click.Choice(["D", "W", "M"], case_sensitive=False), default="W", show_default=True)
@click.option("--horizon", type=click.IntRange(1), default=13, show_default=True)
@click.option("--windows", type=click.IntRange(1), default=4, show_default=True)
@click.option("--models", default=None, help="Comma-separated (default: baselines, lgbm and auto).")
@click.option("--max-series", type=click.IntRange(1), default=None, help="A seeded sample of this many series.")
@click.option("--lead-time", type=click.IntRange(1), default=None, help="Policy simulation lead time in periods.")
@click.option("--seed", type=int, default=7, show_default=True)
@json_option
def eval_cmd(data, freq, horizon, windows, models, max_series, lead_time, seed, as_json) -> None:
    """Rolling-origin backtest: MASE, sMAPE, RMSSE, WQL, 80% coverage and seconds per model, plus the
    purchasing policy simulation and promotion/event lifts."""
    from shopgen.inventory.evaluate import evaluate

    names = [m.strip() for m in models.split(",") if m.strip()] if models else None
    r = evaluate(
        data, freq.upper(), horizon, windows, models=names, max_series=max_series, lead_time=lead_time, seed=seed
    )
    lines = [f"{'model':<16}{'MASE':>8}{'sMAPE':>8}{'RMSSE':>8}{'WQL':>8}{'cov80':>8}{'sec':>8}"]
    for m, s in r["models"].items():
        lines.append(
            f"{m:<16}{s['mase'] or 0:>8.3f}{s['smape']:>8.2f}{s['rmsse'] or 0:>8.3f}{s['wql']:>8.3f}{s['coverage_80']:>8.3f}{s['seconds']:>8.1f}"
        )
    emit(r, as_json, "\n".join(lines))


def register(cli: click.Group) -> None:
    cli.add_command(inventory_group)
