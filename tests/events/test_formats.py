"""Event files: every format, line-named errors, nothing written on a bad file, re-import idempotent."""

from __future__ import annotations

import gzip
import json

import pytest
from sqlalchemy import func, select

from shopgen.core.errors import ImportFailed, InvalidInput
from shopgen.events import formats
from shopgen.store.models import Event


def count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Event))


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_jsonl_and_csv(tmp_path, sqlite_db):
    j = write(
        tmp_path,
        "e.jsonl",
        '{"user": "u1", "item": "FZ-1001", "type": "view", "ts": "2026-11-01T10:00:00+08:00", "surface": "live"}\n\n'
        '{"id": "x", "user": "u1", "item": "FZ-1001", "type": "purchase", "ts": 1762000000, "value": 2}\n',
    )
    c = write(
        tmp_path,
        "e.csv",
        'user,item,type,ts,surface,context\nu2,MZ-2001,impression,2026-11-02T08:00:00Z,recommend,"{""rank"": 3}"\n',
    )
    assert formats.detect(j) == "jsonl" and formats.detect(c) == "csv"
    r = formats.import_file(sqlite_db, j)
    assert (r.inserted, r.duplicates) == (2, 0)
    assert formats.import_file(sqlite_db, j).duplicates == 2  # again: nothing new
    formats.import_file(sqlite_db, c)
    with sqlite_db.session() as s:
        imp = s.scalars(select(Event).where(Event.type == "impression")).one()
        assert (imp.surface, imp.context) == ("recommend", {"rank": 3})
    assert count(sqlite_db) == 3


def test_recbole_inter(tmp_path):
    p = write(
        tmp_path, "tiny.inter", "user_id:token\titem_id:token\trating:float\ttimestamp:float\n196\t242\t3\t881250949\n"
    )
    (e,) = formats.events(p)
    assert (e.user, e.item, e.type, e.value, int(e.ts.timestamp())) == ("196", "242", "view", 3.0, 881250949)
    assert formats.events(p, as_type="purchase")[0].type == "purchase"


def test_amazon_reviews_gz(tmp_path):
    p = tmp_path / "Gift_Cards_5.json.gz"
    row = {"overall": 5.0, "reviewerID": "A1", "asin": "B004", "unixReviewTime": 1529193600, "reviewText": "great"}
    with gzip.open(p, "wt", encoding="utf-8") as f:
        f.write(json.dumps(row) + "\n")
    assert formats.detect(p) == "amazon"
    (e,) = formats.events(p)
    assert (e.user, e.item, e.type, e.value) == ("A1", "B004", "purchase", 5.0)


def test_taobao_user_behavior(tmp_path):
    p = write(tmp_path, "UserBehavior.csv", "1,2268318,2520377,pv,1511544070\n1,2333346,2520771,buy,1511561733\n")
    assert formats.detect(p) == "taobao"
    evs = formats.events(p)
    assert [e.type for e in evs] == ["view", "purchase"]
    assert evs[0].context == {"category_id": "2520377"}


def test_a_bad_row_names_its_line_and_nothing_is_written(tmp_path, sqlite_db):
    good = '{"user": "u1", "item": "A", "type": "view", "ts": 1}\n'
    p = write(tmp_path, "bad.jsonl", good * 3 + '{"user": "u1", "item": "A", "type": "like", "ts": 1}\n{oops\n')
    with pytest.raises(ImportFailed) as err:
        formats.import_file(sqlite_db, p, batch=2)  # two batches were flushed before line 4
    assert err.value.message.startswith("bad.jsonl line 4: type: ")
    assert "(and 1 more); nothing was imported" in err.value.message
    assert [e["line"] for e in err.value.detail] == [4, 5]
    assert count(sqlite_db) == 0

    tb = write(tmp_path, "t.csv", "1,2,3,pv,1511544070\n1,2,3,like,1511544070\n")
    with pytest.raises(ImportFailed, match=r"t.csv line 2: behavior_type 'like'"):
        formats.import_file(sqlite_db, tb)
    inter = write(tmp_path, "x.inter", "user_id:token\titem_id:token\n1\t2\n3\n")
    with pytest.raises(ImportFailed, match="x.inter line 3: expected 2 tab-separated fields"):
        formats.import_file(sqlite_db, inter)
    assert count(sqlite_db) == 0


def test_empty_missing_and_unknown(tmp_path, sqlite_db):
    with pytest.raises(ImportFailed, match="holds no events"):
        formats.import_file(sqlite_db, write(tmp_path, "empty.jsonl", "\n"))
    with pytest.raises(InvalidInput, match="no such file"):
        formats.events(tmp_path / "nope.jsonl")
    with pytest.raises(InvalidInput, match="cannot tell the format"):
        formats.events(write(tmp_path, "e.parquet", "x"))
    with pytest.raises(InvalidInput, match="unknown event type"):
        formats.events(write(tmp_path, "e2.jsonl", "{}"), as_type="like")
    with pytest.raises(ImportFailed, match="CSV header must include"):
        formats.events(write(tmp_path, "h.csv", "a,b\n1,2\n"))
