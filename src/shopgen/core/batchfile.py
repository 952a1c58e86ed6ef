"""A batch job's JSONL results file: one record per SKU, appended durably, resumable.

Each record is written and fsynced before the next item starts, so a crash loses at most the item
in flight; :func:`records_in` cuts a half-written last line off before a resume appends again.
Copy batches (``copywriting.batch``) and visual batches (``visual.batch``) both use it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from shopgen.core.errors import InvalidInput


def records_in(path: Path) -> list[dict]:
    """The records already in a batch file; cuts a half-written last line off the file so appends
    stay valid. Raises InvalidInput for a broken line that is not the last one (the file is not ours)."""
    if not path.exists():
        return []
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        data = data[: data.rfind(b"\n") + 1]
        with path.open("r+b") as f:
            f.truncate(len(data))
    records = []
    for n, line in enumerate(data.decode("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        bad = InvalidInput(f"{path.name} line {n} is not a batch record; refusing to resume into it")
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise bad from exc
        if not isinstance(rec, dict) or "sku" not in rec:
            raise bad
        records.append(rec)
    return records


def append_records(
    out: Path,
    records: Iterable[dict],
    total: int,
    resume: bool,
    progress: Callable[[int, int], None] | None = None,
    on_record: Callable[[dict], None] | None = None,
) -> tuple[int, list[dict]]:
    """Write each record (``{"sku", "error"}`` ones are failures, kept out of the file) as it comes.
    Returns (written, failures). ``on_record`` runs after a record is on disk."""
    written, failed = 0, []
    with out.open("a" if resume else "w", encoding="utf-8") as f:
        for i, rec in enumerate(records, 1):
            if "error" in rec:
                failed.append(rec)
            else:
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
                f.flush()
                os.fsync(f.fileno())
                written += 1
                if on_record:
                    on_record(rec)  # after it is on disk: a crash here loses nothing a resume cannot find
            if progress:
                progress(i, total)
    return written, failed
