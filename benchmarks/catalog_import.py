"""Catalog import and the assistant's index at catalog scale (SQLite, the embedded default).

    python benchmarks/catalog_import.py [--products 26000] [--embedder fake|e5]

Generates N products from the demo ones under new SKUs (tests the same path as
``shopgen catalog import``: parse, validate, batches of 200 with their undo rows), times

- the import into an empty shop, then re-importing the same file (every product an update);
- the assistant's knowledge index: its first build, the first turn after one product changed
  (what the issue saw take 21.9 s at 26k products), and a turn with nothing changed.

``--embedder fake`` (default) isolates what is not embedding (reading the catalog, BM25, the
vector store's content-hash sync); ``e5`` adds the real embedder (the first build then embeds
every product: minutes on 2 cores). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from assist_latency import catalog_file  # noqa: E402
from shopgen.assistant.shared import SharedIndex  # noqa: E402
from shopgen.store import catalog, importer  # noqa: E402
from shopgen.store.db import Database  # noqa: E402


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, round(time.perf_counter() - start, 2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--products", type=int, default=26000)
    ap.add_argument("--embedder", choices=("fake", "e5"), default="fake")
    args = ap.parse_args()
    if args.embedder == "fake":
        from shopgen.models.embed.fake import FakeEmbedder as embedder
    else:
        from shopgen.core.settings import Settings
        from shopgen.server import build_runtime

        embedder = build_runtime(Settings()).embedder
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = catalog_file(args.products, folder)
        db = Database(f"sqlite:///{folder / 'shop.db'}")
        db.migrate()
        first, import_s = timed(lambda: importer.import_file(db, path))
        again, reimport_s = timed(lambda: importer.import_file(db, path))
        shared = SharedIndex(db, embedder, folder / "index-cache")
        _, build_s = timed(shared.get)
        with db.session() as s:
            p = catalog.get_by_sku(s, "BULK-000000")
            p.title = p.title + " 新款"
        _, changed_s = timed(shared.get)
        _, unchanged_s = timed(shared.get)
        print(
            json.dumps(
                {
                    "machine": f"{platform.processor() or platform.machine()}, {platform.node()}",
                    "products": args.products,
                    "file_mb": round(path.stat().st_size / 1e6, 1),
                    "import_s": import_s,
                    "import_result": first,
                    "reimport_s": reimport_s,
                    "reimport_result": again,
                    "embedder": args.embedder,
                    "index_first_build_s": build_s,
                    "index_after_one_change_s": changed_s,
                    "index_unchanged_s": unchanged_s,
                    "index_builds": shared.builds,
                },
                ensure_ascii=False,
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
