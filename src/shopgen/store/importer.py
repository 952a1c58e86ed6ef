"""Catalog import from JSONL (one product per line) or CSV (one variant per row).

Every row is validated first; if any row is bad, ImportFailed lists each bad line and
nothing is written. Valid files are upserted by SKU, so importing the same file twice changes
nothing.

An import is all or nothing without holding the database's write lock for its whole length
(on SQLite one long transaction would block every chat turn and login for minutes): it writes
in batches of :data:`BATCH` products, each its own short transaction (with a pause after it
that lets waiting writers in) that also records how to
undo it (``catalog_import_undo``: the product as it was, or that it is new). When the import
finishes its undo rows go; when a batch fails the batches before it are undone; when the
process is killed the next import, or the service starting, undoes it (:func:`recover`).
While an import runs, readers see the products it has written so far.

CSV columns (rows with the same ``sku`` form one product; product columns may be left
blank on its later rows)::

    sku,title,category,brand,price,description,status,attributes,variant_sku,color,size,variant_price,stock,image_url

``attributes`` is ``名称=值; 名称=值`` or a JSON object. Size charts need JSONL.
"""

from __future__ import annotations

import csv
import io
import json
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import delete, select

from shopgen.core import csvrows, jsonl, owners
from shopgen.core.errors import Conflict, ImportFailed, InvalidInput, ShopgenError
from shopgen.core.owners import owner_id
from shopgen.store import catalog
from shopgen.store.models import CatalogImport, CatalogImportUndo
from shopgen.store.schemas import ProductIn

MAX_ERRORS = 50
BATCH = 100  # products per transaction: each holds SQLite's write lock for a fraction of a second
# after each batch the import waits this share of the batch's time (at least PAUSE_MIN s): a writer
# waiting in SQLite's busy handler polls with sleeps and would otherwise miss the moment the lock is free
PAUSE_SHARE, PAUSE_MIN = 0.5, 0.05
STALE_AFTER = timedelta(minutes=10)  # another host's import with no heartbeat for this long is gone
_LIVE: set[str] = set()  # the imports this process is running now
PRODUCT_COLS = ("title", "category", "brand", "price", "description", "status", "attributes", "image_url")
CSV_COLS = {"sku", *PRODUCT_COLS, "variant_sku", "color", "size", "variant_price", "stock"}


@dataclass
class Row:
    line: int
    product: ProductIn


def _err(line: int, message: str) -> dict:
    return {"line": line, "error": message}


def _validated(line: int, obj, errors: list[dict]) -> ProductIn | None:
    try:
        return ProductIn.model_validate(obj)
    except ValidationError as exc:
        errors.append(_err(line, catalog.validation_message(exc)))
        return None


def parse_jsonl(text: str) -> tuple[list[Row], list[dict]]:
    rows, errors = [], []
    for n, obj, problem in jsonl.objects(text.splitlines()):
        if problem is not None:
            errors.append(_err(n, problem))
        elif (p := _validated(n, obj, errors)) is not None:
            rows.append(Row(n, p))
    return rows, errors


def _attributes(value: str) -> dict[str, str]:
    value = value.strip()
    if not value:
        return {}
    if value.startswith("{"):
        obj = json.loads(value)
        if not isinstance(obj, dict):
            raise ValueError("attributes JSON must be an object")
        return {str(k): str(v) for k, v in obj.items()}
    out = {}
    for pair in value.replace("；", ";").split(";"):
        if not pair.strip():
            continue
        name, sep, val = pair.partition("=")
        if not sep:
            raise ValueError(f"attribute '{pair.strip()}' is not 名称=值")
        out[name.strip()] = val.strip()
    return out


def parse_csv(text: str) -> tuple[list[Row], list[dict]]:
    reader = csv.DictReader(io.StringIO(text))
    header = set(csvrows.fieldnames(reader))
    if "sku" not in header:
        return [], [_err(1, "CSV header must include 'sku' (and title, category, price for new products)")]
    unknown = sorted(header - CSV_COLS)
    if unknown:
        return [], [_err(1, f"unknown CSV columns: {', '.join(unknown)}")]
    groups: dict[str, dict] = {}
    errors: list[dict] = []
    for rec in csvrows.rows(reader):  # a field over 131,072 characters: InvalidInput naming the line
        line = reader.line_num
        rec = {k: (v or "").strip() for k, v in rec.items() if k is not None}
        sku = rec.get("sku", "")
        if not sku:
            errors.append(_err(line, "sku is empty"))
            continue
        g = groups.setdefault(sku, {"line": line, "obj": {"sku": sku, "variants": []}})
        obj = g["obj"]
        try:
            for col in PRODUCT_COLS:
                val = rec.get(col, "")
                if not val:
                    continue
                if col == "attributes":
                    val = _attributes(val)
                    col_key = "attributes"
                elif col == "image_url":
                    val, col_key = [{"url": val}], "images"
                else:
                    col_key = col
                if col_key in obj and obj[col_key] != val:
                    raise ValueError(f"{col} differs from the earlier row for SKU {sku}")
                obj[col_key] = val
            if rec.get("variant_sku"):
                variant = {
                    "sku": rec["variant_sku"],
                    "color": rec.get("color") or None,
                    "size": rec.get("size") or None,
                }
                if rec.get("variant_price"):
                    variant["price"] = rec["variant_price"]
                variant["stock"] = int(rec["stock"]) if rec.get("stock") else 0
                obj["variants"].append(variant)
        except (ValueError, json.JSONDecodeError) as exc:
            errors.append(_err(line, str(exc)))
    rows = []
    for g in groups.values():
        if (p := _validated(g["line"], g["obj"], errors)) is not None:
            rows.append(Row(g["line"], p))
    return rows, errors


def _check_duplicates(rows: Iterable[Row], errors: list[dict]) -> None:
    seen: dict[str, int] = {}
    for r in rows:
        for sku in [r.product.sku, *(v.sku for v in r.product.variants)]:
            if sku in seen and seen[sku] != r.line:
                errors.append(_err(r.line, f"SKU {sku} already used on line {seen[sku]}"))
            seen.setdefault(sku, r.line)


def read_file(path: str | Path, fmt: str = "auto", name: str | None = None) -> list[Row]:
    """Parse and validate a catalog file; raise ImportFailed listing every bad line. ``name`` is
    what messages call the file (an upload's own name rather than the server's temporary copy)."""
    path = Path(path)
    shown = name or path.name
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    if fmt == "auto":
        fmt = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}.get(path.suffix.lower(), "")
        if not fmt:
            raise InvalidInput(f"{shown}: cannot tell the format from the extension; use .csv or .jsonl")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{shown}: not UTF-8 text (byte {exc.start})") from exc
    rows, errors = parse_csv(text) if fmt == "csv" else parse_jsonl(text)
    _check_duplicates(rows, errors)
    if not rows and not errors:
        errors.append(_err(1, "the file holds no products"))
    if errors:
        errors.sort(key=lambda e: e["line"])
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ImportFailed(
            f"{shown} line {first['line']}: {first['error']}{more}; nothing was imported",
            errors[:MAX_ERRORS],
        )
    return rows


def _as_input(p) -> dict:
    """A stored product as the ProductIn it came from (what undo writes back)."""
    return {k: v for k, v in catalog.to_dict(p).items() if k in ProductIn.model_fields}


def _write_batch(s, import_id: str, batch: list[Row]) -> tuple[int, int]:
    """One batch: new products built whole and flushed together, existing ones updated in place,
    each with its undo row. Variant SKUs owned by a product outside its row are refused up front."""
    existing = catalog.by_skus(s, [r.product.sku for r in batch])
    owners_now = catalog.variant_owners(s, [v.sku for r in batch for v in r.product.variants])
    keeps = {r.product.sku: {v.sku for v in r.product.variants} for r in batch}
    for r in batch:
        for v in r.product.variants:
            owner = owners_now.get(v.sku)
            # another product owns it, unless that product is in this batch and gives it up
            if owner not in (None, r.product.sku) and (owner not in keeps or v.sku in keeps[owner]):
                raise Conflict(
                    f"line {r.line}: variant SKU {v.sku} already belongs to another product; nothing was imported",
                    {"skus": [v.sku]},
                )
    created = updated = 0
    for r in sorted(batch, key=lambda r: r.product.sku not in existing):  # give up variants before taking them
        before = existing.get(r.product.sku)
        snapshot = _as_input(before) if before is not None else None
        if snapshot is not None and ProductIn.model_validate(snapshot) == r.product:
            updated += 1  # already so: nothing to write or undo (a re-import stays cheap)
            continue
        s.add(CatalogImportUndo(import_id=import_id, sku=r.product.sku, before=snapshot))
        try:
            if before is None:
                s.add(catalog.build(r.product))
                created += 1
            else:
                catalog.upsert(s, r.product)
                updated += 1
        except ShopgenError as exc:
            raise type(exc)(f"line {r.line}: {exc.message}; nothing was imported", exc.detail) from exc
    s.flush()
    return created, updated


def import_rows(
    db, rows: list[Row], source: str = "", batch: int | None = None, on_batch: Callable[[int], None] | None = None
) -> dict:
    """Upsert all rows, all or nothing, in short transactions (module docstring). Returns counts of
    created and updated products. ``on_batch(done)`` runs after each committed batch (tests)."""
    size = max(1, batch or BATCH)
    recover(db)
    import_id = uuid.uuid4().hex
    with db.session() as s:
        s.add(
            CatalogImport(
                id=import_id, status="running", source=source[:200], total=len(rows), done=0, owner=owner_id()
            )
        )
    _LIVE.add(import_id)
    created = updated = 0
    try:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            began = time.perf_counter()
            with db.session() as s:
                c, u = _write_batch(s, import_id, chunk)
                job = s.get(CatalogImport, import_id)
                job.done, job.updated_at = start + len(chunk), datetime.now(UTC)
            created, updated = created + c, updated + u
            if on_batch:
                on_batch(start + len(chunk))
            if start + size < len(rows):
                time.sleep(max(PAUSE_MIN, PAUSE_SHARE * (time.perf_counter() - began)))
    except BaseException as exc:
        _undo(db, import_id, "failed", str(exc)[:2000])
        raise
    finally:
        _LIVE.discard(import_id)
    with db.session() as s:
        job = s.get(CatalogImport, import_id)
        job.status, job.finished_at = "done", datetime.now(UTC)
        s.execute(delete(CatalogImportUndo).where(CatalogImportUndo.import_id == import_id))
    return {"created": created, "updated": updated, "total": created + updated}


def _undo(db, import_id: str, status: str, error: str | None = None) -> None:
    """Put back every product the import touched, newest batch first, in short transactions."""
    while True:
        with db.session() as s:
            undo = s.scalars(
                select(CatalogImportUndo)
                .where(CatalogImportUndo.import_id == import_id)
                .order_by(CatalogImportUndo.id.desc())
                .limit(BATCH)
            ).all()
            for u in undo:
                p = catalog.get_by_sku(s, u.sku)
                if u.before is None:
                    if p is not None:
                        s.delete(p)
                        s.flush()
                else:
                    catalog.upsert(s, ProductIn.model_validate(u.before))
                s.delete(u)
            if not undo:
                job = s.get(CatalogImport, import_id)
                if job is not None:
                    job.status, job.finished_at = status, datetime.now(UTC)
                    job.error = error if error is not None else job.error
                return


def recover(db) -> list[str]:
    """Undo every import whose process is gone (killed mid-way); returns their ids."""
    with db.session() as s:
        stale = [
            j.id
            for j in s.scalars(select(CatalogImport).where(CatalogImport.status == "running"))
            if owners.gone(j.owner, j.id, _LIVE, j.updated_at or j.created_at, STALE_AFTER)
        ]
    for import_id in stale:
        _undo(db, import_id, "rolled_back", "the importing process stopped; its changes were undone")
    return stale


def import_file(db, path: str | Path, fmt: str = "auto", batch: int | None = None, source: str | None = None) -> dict:
    return import_rows(db, read_file(path, fmt, name=source), source=source or Path(path).name, batch=batch)
