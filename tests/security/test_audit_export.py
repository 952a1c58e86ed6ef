"""The audit export opened in a spreadsheet: a value that looks like a formula stays text."""

import csv
import io
import json

import pytest

from shopgen.security import audit
from shopgen.security.principal import Principal

FORMULAS = ['=HYPERLINK("http://evil.example","点我")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\tx", "\rx"]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_formula_like_cell_is_exported_as_text(sqlite_db, value):
    with sqlite_db.session() as s:
        audit.record(s, Principal("user", value, "operator"), "catalog.import", value, address=value)
        s.flush()
        entries = audit.query(s)
    (row,) = list(csv.DictReader(io.StringIO(audit.export(entries, "csv"))))
    assert row["actor"] == "user:" + value  # starts with a letter: nothing to neutralise
    assert row["target"] == "'" + value and row["address"] == "'" + value
    # JSON Lines is for programs: the values as they were
    assert f'"target": {json.dumps(value, ensure_ascii=False)}' in audit.export(entries, "jsonl")


def test_ordinary_values_are_left_alone():
    assert [audit.csv_safe(v) for v in ("user:xiaomei", "catalog.import", "10.0.0.1", 3, None)] == [
        "user:xiaomei",
        "catalog.import",
        "10.0.0.1",
        3,
        None,
    ]
