"""Sales files: every bad row names its line, returns/repeats/order are handled and reported."""

from datetime import date

import pytest

from shopgen.core.errors import ImportFailed, InvalidInput
from shopgen.inventory import history


def test_csv_rows_are_normalised_and_reported():
    text = (
        "sku,date,quantity,price,promo\n"
        "A,2026-01-03,5,10,0\n"
        "A,2026-01-01,2,10,1\n"  # out of order
        "A,2026-01-01,2,10,1\n"  # exact repeat: dropped
        "A,2026-01-03,1,10,0\n"  # another sale the same day: added up
        "B,2026-01-02,-3,8,0\n"  # a return
    )
    r = history.parse_text(text, "csv", "s.csv")
    assert [(x.sku, x.day, x.quantity, x.returns) for x in r.rows] == [
        ("A", date(2026, 1, 1), 2.0, 0.0),
        ("A", date(2026, 1, 3), 6.0, 0.0),
        ("B", date(2026, 1, 2), 0.0, 3.0),
    ]
    assert r.rows[0].promo is True
    s = r.summary()
    assert s["returns"] == {"rows": 1, "units": 3.0}
    assert (s["duplicates_dropped"], s["merged_same_day"], s["out_of_order"]) == (1, 1, 1)


def test_bad_rows_name_their_lines_and_nothing_passes():
    text = "sku,date,quantity\nA,2026-01-01,1\n,2026-01-02,1\nA,2026-13-45,1\nA,2026-01-04,lots\n"
    with pytest.raises(ImportFailed) as e:
        history.parse_text(text, "csv", "s.csv")
    assert e.value.message.startswith("s.csv line 3: sku is empty (and 2 more); nothing was imported")
    assert [d["line"] for d in e.value.detail] == [3, 4, 5]


def test_missing_columns_and_empty_files():
    with pytest.raises(ImportFailed, match="missing column"):
        history.parse_text("sku,when\nA,1\n", "csv")
    with pytest.raises(ImportFailed, match="no sales rows"):
        history.parse_text("sku,date,quantity\n", "csv")


def test_walmart_weekly_and_m5_style_columns():
    walmart = "Store,Date,Weekly_Sales,Holiday_Flag,Temperature\n1,05/02/2010,1643690.9,0,42.3\n1,12/02/2010,1641957.44,1,38.5\n"
    r = history.parse_text(walmart, "csv")
    assert [(x.sku, x.day, x.holiday) for x in r.rows] == [
        ("store-1", date(2010, 2, 5), False),
        ("store-1", date(2010, 2, 12), True),
    ]
    m5 = "item_id,store_id,sales,date,event_name_1,sell_price\nX_1,CA_1,0,2011-01-29,,7.44\nX_1,CA_1,3,2011-01-30,SuperBowl,6.5\n"
    r = history.parse_text(m5, "csv")
    assert [(x.sku, x.quantity, x.price, x.event) for x in r.rows] == [
        ("X_1@CA_1", 0.0, 7.44, None),
        ("X_1@CA_1", 3.0, 6.5, "SuperBowl"),
    ]


def test_jsonl_months_and_us_dates():
    r = history.parse_text(
        '{"sku": "A", "month": "2025-03", "qty": 4}\n{"sku": "A", "month": "2025-01", "qty": 1}\n', "jsonl"
    )
    assert [x.day for x in r.rows] == [date(2025, 1, 1), date(2025, 3, 1)]
    r = history.parse_text("sku,date,quantity\nA,03/25/2025,1\nA,04/01/2025,1\n", "csv")
    assert [x.day for x in r.rows] == [date(2025, 3, 25), date(2025, 4, 1)]  # 25 > 12: month first
    with pytest.raises(ImportFailed, match="line 2: each line must be a JSON object"):
        history.parse_text('{"sku": "A", "date": "2025-01-01", "quantity": 1}\n[1]\n', "jsonl")


def test_read_file_needs_a_known_extension(tmp_path):
    p = tmp_path / "sales.txt"
    p.write_text("sku,date,quantity\nA,2025-01-01,1\n")
    with pytest.raises(InvalidInput, match="cannot tell the format"):
        history.read_file(p)
    with pytest.raises(InvalidInput, match="no such file"):
        history.read_file(tmp_path / "nope.csv")
