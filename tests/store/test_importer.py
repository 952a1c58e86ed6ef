"""Catalog import: every row validated, bad lines named, nothing written on failure, written in
short batches that are undone as a whole when a batch fails or the process is killed."""

import json

import pytest
from sqlalchemy import func, select

from shopgen.core.errors import ImportFailed, InvalidInput
from shopgen.store import catalog, importer
from shopgen.store.models import CatalogImport, CatalogImportUndo, Product

from .factories import tshirt

CSV_HEADER = "sku,title,category,brand,price,description,status,attributes,variant_sku,color,size,variant_price,stock,image_url\n"


def _jsonl(tmp_path, rows, name="cat.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    return path


def _count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Product))


def test_jsonl_import_is_idempotent(db, tmp_path):
    path = _jsonl(tmp_path, [tshirt("A-1"), tshirt("A-2", size_chart=None, variants=[])])
    assert importer.import_file(db, path) == {"created": 2, "updated": 0, "total": 2}
    assert importer.import_file(db, path) == {"created": 0, "updated": 2, "total": 2}
    assert _count(db) == 2


def test_bad_rows_are_reported_by_line_and_nothing_is_written(db, tmp_path):
    rows = [tshirt("B-1"), "{not json", tshirt("B-3", price="abc"), tshirt("B-4")]
    path = _jsonl(tmp_path, rows)
    with pytest.raises(ImportFailed) as exc:
        importer.import_file(db, path)
    assert exc.value.message.startswith("cat.jsonl line 2: not valid JSON")
    assert "(and 1 more)" in exc.value.message and "nothing was imported" in exc.value.message
    assert [e["line"] for e in exc.value.detail] == [2, 3]
    assert "price" in exc.value.detail[1]["error"]
    assert _count(db) == 0


def test_duplicate_sku_in_file_names_both_lines(db, tmp_path):
    path = _jsonl(tmp_path, [tshirt("C-1"), tshirt("C-1")])
    with pytest.raises(ImportFailed, match="line 2: SKU C-1 already used on line 1"):
        importer.import_file(db, path)
    assert _count(db) == 0


def test_conflict_found_while_writing_rolls_back_earlier_rows(db, tmp_path):
    with db.session() as s:
        catalog.create(s, catalog.parse(catalog.ProductIn, tshirt("OLD")))
    clash = tshirt("NEW")
    clash["variants"][0]["sku"] = "OLD-WH-M"  # owned by product OLD
    path = _jsonl(tmp_path, [tshirt("FIRST"), clash])
    with pytest.raises(Exception, match="line 2: variant SKU OLD-WH-M already belongs"):
        importer.import_file(db, path)
    assert _count(db) == 1


def test_csv_rows_with_same_sku_form_one_product(db, tmp_path):
    path = tmp_path / "cat.csv"
    path.write_text(
        CSV_HEADER
        + "MUG-1,陶瓷马克杯,家居,器物,39.00,早餐杯,active,容量=350ml; 材质=陶瓷,MUG-1-W,白色,,,12,/static/demo/jiaju.svg\n"
        + "MUG-1,,,,,,,,MUG-1-B,蓝色,,42.00,5,\n"
        + 'TEA-1,西湖龙井,食品,茶语,128.00,明前茶,active,"{""净含量"": ""250g""}",,,,,,\n',
        encoding="utf-8",
    )
    assert importer.import_file(db, path)["created"] == 2
    with db.session() as s:
        mug = catalog.to_dict(catalog.get_by_sku(s, "MUG-1"))
        tea = catalog.to_dict(catalog.get_by_sku(s, "TEA-1"))
    assert mug["attributes"] == {"容量": "350ml", "材质": "陶瓷"}
    assert [(v["sku"], v["color"], v["price"], v["stock"]) for v in mug["variants"]] == [
        ("MUG-1-W", "白色", None, 12),
        ("MUG-1-B", "蓝色", "42.00", 5),
    ]
    assert tea["attributes"] == {"净含量": "250g"} and tea["variants"] == []


def test_csv_errors_carry_physical_line_numbers(db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        CSV_HEADER
        + "OK-1,好商品,家居,,10.00,,,,,,,,,\n"
        + "BAD-1,坏商品,家居,,10.00,,,材质,,,,,,\n"
        + "BAD-2,坏商品,家居,,10.00,,,,BAD-2-A,,,,many,\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as exc:
        importer.import_file(db, path)
    assert [(e["line"], e["error"]) for e in exc.value.detail] == [
        (3, "attribute '材质' is not 名称=值"),
        (4, "invalid literal for int() with base 10: 'many'"),
    ]
    assert _count(db) == 0


def test_unknown_csv_column_and_bad_files(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("sku,colour\nA,red\n")
    with pytest.raises(ImportFailed, match="unknown CSV columns: colour"):
        importer.read_file(p)
    with pytest.raises(InvalidInput, match="no such file"):
        importer.read_file(tmp_path / "missing.jsonl")
    txt = tmp_path / "cat.txt"
    txt.write_text("{}")
    with pytest.raises(InvalidInput, match="use .csv or .jsonl"):
        importer.read_file(txt)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    with pytest.raises(ImportFailed, match="holds no products"):
        importer.read_file(empty)
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InvalidInput, match="not UTF-8"):
        importer.read_file(binary)


# ---- batches: all or nothing without holding the write lock (importer module docstring) ----------


def _snapshot(db) -> dict:
    with db.session() as s:
        return {
            p.sku: {k: v for k, v in catalog.to_dict(p).items() if k not in ("id", "updated_at")}
            for p in s.scalars(select(Product))
        }


def _import_rows(db) -> list[tuple[str, int, int]]:
    with db.session() as s:
        return [(j.status, j.done, j.total) for j in s.scalars(select(CatalogImport))]


def _undo_rows(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(CatalogImportUndo))


def test_another_writer_gets_the_lock_between_batches(sqlite_db, tmp_path):
    """A long import used to hold SQLite's write lock from its first row to its last."""
    import sqlite3

    path = _jsonl(tmp_path, [tshirt(f"L-{i}") for i in range(6)])
    took = []

    def write_elsewhere(done: int) -> None:
        other = sqlite3.connect(tmp_path / "shop.db", timeout=0.2)
        try:
            other.execute("BEGIN IMMEDIATE")  # raises "database is locked" while a writer holds it
            other.execute("INSERT INTO catalog_import_undo (import_id, sku) VALUES ('probe', ?)", (f"p{done}",))
            other.rollback()
            took.append(done)
        finally:
            other.close()

    result = importer.import_rows(sqlite_db, importer.read_file(path), batch=2, on_batch=write_elsewhere)
    assert result == {"created": 6, "updated": 0, "total": 6}
    assert took == [2, 4, 6]
    assert _import_rows(sqlite_db) == [("done", 6, 6)] and _undo_rows(sqlite_db) == 0


def test_a_failing_batch_undoes_the_batches_before_it(db, tmp_path):
    with db.session() as s:
        catalog.create(s, catalog.parse(catalog.ProductIn, tshirt("OLD")))
        catalog.create(s, catalog.parse(catalog.ProductIn, tshirt("UPD", title="旧标题", price="59.00")))
    before = _snapshot(db)
    clash = tshirt("NEW")
    clash["variants"][0]["sku"] = "OLD-WH-M"  # owned by product OLD
    rows = [tshirt("FIRST"), tshirt("UPD", title="新标题", price="99.00", variants=[]), tshirt("MID"), clash]
    with pytest.raises(Exception, match="line 4: variant SKU OLD-WH-M already belongs"):
        importer.import_file(db, _jsonl(tmp_path, rows), batch=1)
    assert _snapshot(db) == before  # FIRST and MID gone, UPD back with its title, price and variants
    assert _import_rows(db)[0][0] == "failed" and _undo_rows(db) == 0


def test_recover_leaves_a_running_import_of_this_process_alone(db, tmp_path):
    seen = []
    importer.import_rows(
        db,
        importer.read_file(_jsonl(tmp_path, [tshirt("R-1"), tshirt("R-2")])),
        batch=1,
        on_batch=lambda done: seen.append((done, importer.recover(db))),
    )
    assert seen == [(1, []), (2, [])] and _count(db) == 2


def test_a_killed_import_is_undone_when_the_next_one_starts(sqlite_db, tmp_path):
    import subprocess
    import sys
    import textwrap

    with sqlite_db.session() as s:
        catalog.create(s, catalog.parse(catalog.ProductIn, tshirt("KEEP", title="原来的")))
    before = _snapshot(sqlite_db)
    rows = [tshirt("K-1"), tshirt("KEEP", title="改过的"), tshirt("K-3"), tshirt("K-4")]
    path = _jsonl(tmp_path, rows)
    script = textwrap.dedent(
        f"""
        import os, signal
        from shopgen.store import importer
        from shopgen.store.db import Database

        def die(done):
            if done == 2:
                os.kill(os.getpid(), signal.SIGKILL)

        db = Database("sqlite:///{tmp_path / "shop.db"}")
        importer.import_rows(db, importer.read_file("{path}"), batch=1, on_batch=die)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert done.returncode == -9, done.stderr.decode()[-800:]
    half = _snapshot(sqlite_db)
    assert "K-1" in half and half["KEEP"]["title"] == "改过的"  # two batches were committed
    assert _import_rows(sqlite_db) == [("running", 2, 4)]

    assert len(importer.recover(sqlite_db)) == 1
    assert _snapshot(sqlite_db) == before
    assert _import_rows(sqlite_db) == [("rolled_back", 2, 4)] and _undo_rows(sqlite_db) == 0


def test_reimporting_the_same_file_writes_nothing(db, tmp_path):
    path = _jsonl(tmp_path, [tshirt("S-1"), tshirt("S-2", size_chart=None, variants=[])])
    importer.import_file(db, path)
    with db.session() as s:
        stamps = {p.sku: p.updated_at for p in s.scalars(select(Product))}
    assert importer.import_file(db, path)["updated"] == 2
    with db.session() as s:
        assert {p.sku: p.updated_at for p in s.scalars(select(Product))} == stamps  # the index is not rebuilt for it
    changed = _jsonl(tmp_path, [tshirt("S-1", price="88.00")], name="changed.jsonl")
    importer.import_file(db, changed)
    with db.session() as s:
        assert catalog.get_by_sku(s, "S-1").updated_at != stamps["S-1"]
