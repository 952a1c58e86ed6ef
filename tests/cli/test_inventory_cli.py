"""``shopgen inventory …`` end to end, in process."""

import csv
import math
import random
from datetime import date, timedelta

import pytest

from tests.cli.conftest import as_json

pytest.importorskip("statsforecast", reason="needs shopgen[forecast]")


def _weekly_file(path, skus=4, weeks=80, zero_share=0.0, seed=1):
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["sku", "date", "quantity", "price", "promo"])
        for j in range(skus):
            for i in range(weeks):
                promo = i % 10 == 0
                y = (30 + 10 * j) * (1 + 0.3 * math.sin(2 * math.pi * i / 52)) * (1.5 if promo else 1) + rng.gauss(0, 3)
                if rng.random() < zero_share:
                    y = 0
                w.writerow(
                    [
                        f"S{j}",
                        date(2024, 1, 1) + timedelta(weeks=i),
                        max(0, round(y)),
                        9.9 if promo else 12.0,
                        int(promo),
                    ]
                )
    return path


def test_import_refuses_a_bad_file_then_imports_and_reports_returns(cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("sku,date,quantity\nA,2026-01-01,1\nA,2026-01-02,x\n", encoding="utf-8")
    assert cli("inventory", "import", str(bad)) == (
        2,
        "",
        "error: bad.csv line 3: quantity 'x' is not a number; nothing was imported\n",
    )
    good = tmp_path / "good.csv"
    good.write_text("sku,date,quantity\nA,2026-01-01,4\nA,2026-01-02,-2\nA,2026-01-02,-2\n", encoding="utf-8")
    code, out, _ = cli("inventory", "import", str(good), "--json")
    r = as_json(out)
    assert code == 0 and (r["inserted"], r["returns"], r["duplicates_dropped"]) == (2, {"rows": 2, "units": 4.0}, 1)
    code, out, _ = cli("inventory", "import", str(good))
    assert code == 0 and "2 rows were returns (4 units), kept apart from demand" in out


def test_forecast_plan_calendar_and_approve(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPGEN_INVENTORY_MODEL", "seasonal_naive")
    assert cli("inventory", "import", str(_weekly_file(tmp_path / "s.csv")))[0] == 0
    code, out, _ = cli(
        "inventory",
        "calendar",
        "add",
        "--kind",
        "promotion",
        "--name",
        "大促",
        "--start",
        "2025-07-14",
        "--end",
        "2025-07-20",
        "--sku",
        "S1",
        "--discount",
        "0.3",
        "--json",
    )
    assert code == 0 and as_json(out)["skus"] == ["S1"]
    code, out, _ = cli("inventory", "forecast", "--sku", "S1", "--horizon", "6w", "--json")
    r = as_json(out)
    assert code == 0 and r["horizon"] == 6 and [s["sku"] for s in r["series"]] == ["S1"]
    promo_week = r["series"][0]["forecast"][0]
    assert promo_week["ds"] == "2025-07-14" and promo_week["effect"]["because"][0]["name"] == "大促"
    code, _, err = cli("inventory", "forecast", "--horizon", "60w")
    assert (
        code == 2
        and err
        == "error: horizon 60 weeks is beyond what the history supports: at most 40 weeks (half of the 80 weeks of history)\n"
    )
    assert cli("inventory", "forecast", "--sku", "NOPE")[2] == "error: no sales history for SKU NOPE\n"
    cli("inventory", "params", "S0", "--stock", "3", "--moq", "50", "--pack-size", "12")
    code, out, _ = cli("inventory", "plan", "--csv", str(tmp_path / "plan.csv"), "--json")
    s0 = next(x for x in as_json(out)["items"] if x["sku"] == "S0")
    assert s0["order_qty"] >= 50 and s0["order_qty"] % 12 == 0 and "below_reorder_point" in s0["warnings"]
    assert (tmp_path / "plan.csv").read_text(encoding="utf-8-sig").startswith("sku,title,order_qty")
    code, out, _ = cli("inventory", "approve", "S0", "--quantity", "60", "--json")
    assert code == 0 and as_json(out)["quantity"] == 60


def test_eval_weekly_json_has_every_metric_and_the_policy(cli, tmp_path):
    data = _weekly_file(tmp_path / "w.csv", skus=3, weeks=70)
    code, out, err = cli(
        "inventory",
        "eval",
        "--data",
        str(data),
        "--horizon",
        "4",
        "--windows",
        "2",
        "--models",
        "seasonal_naive,ets,auto",
        "--json",
    )
    assert code == 0, err
    r = as_json(out)
    assert set(r["models"]) == {"seasonal_naive", "ets", "auto"}
    assert set(r["models"]["auto"]) >= {"mase", "smape", "rmsse", "wql", "coverage_80", "seconds"}
    assert r["policy"]["service_target"] == 0.95 and set(r["policy"]["policy"]) >= {
        "fill_rate",
        "stockout_periods",
        "avg_inventory",
    }
    assert "seasonal_naive" in r["vs_default"] and r["interval_target"] == 0.8


def test_eval_monthly_intermittent(cli, tmp_path):
    path = tmp_path / "m.jsonl"
    rng = random.Random(2)
    lines = []
    for sku in ("P1", "P2", "P3"):
        for m in range(48):
            qty = rng.choice([0, 0, 0, 1, 2, 5]) if sku != "P3" else 20 + (m % 12)
            lines.append(f'{{"sku": "{sku}", "month": "{2021 + m // 12}-{m % 12 + 1:02d}", "qty": {qty}}}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = cli(
        "inventory", "eval", "--data", str(path), "--freq", "M", "--horizon", "6", "--windows", "2", "--json"
    )
    assert code == 0, err
    r = as_json(out)
    assert {"croston", "tsb", "adida", "auto"} <= set(r["models"]) and r["policy"]["period"] == "month"
    code, _, err = cli("inventory", "eval", "--data", str(path), "--freq", "M", "--horizon", "12", "--windows", "4")
    assert code == 2 and "need 72 months of history" in err
