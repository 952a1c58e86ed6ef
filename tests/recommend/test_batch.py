"""Batch scoring for every shopper: local, and on a local Ray instance."""

from __future__ import annotations

import json

import pytest

from shopgen.core.errors import InvalidInput
from shopgen.recommend import batch


def _read(path) -> dict:
    return {r["user"]: r["items"] for r in map(json.loads, path.read_text().splitlines())}


def test_local_batch_skips_what_shoppers_have(service, shop, tmp_path):
    service.train()
    r = batch.score_store(shop, service.path, tmp_path / "recs.jsonl", k=3)
    assert r["users"] == 12 and r["engine"] == "local"  # the impression-only shopper has no history
    recs = _read(tmp_path / "recs.jsonl")
    assert len(recs["s00"]) == 3 and not {"FZ-1001", "FZ-1003", "FZ-1008", "FZ-1010"} & set(recs["s00"])
    with pytest.raises(InvalidInput, match="valid engines: local, ray"):
        batch.score(service.path, [], None, tmp_path / "x.jsonl", engine="spark")


@pytest.mark.slow
def test_ray_batch_matches_local(service, shop, tmp_path):
    pytest.importorskip("ray", reason="pip install 'shopgen[ray]'")
    if shop.backend != "sqlite":
        pytest.skip("Ray reads the same rows on every backend; one start of Ray is enough")
    service.train()
    batch.score_store(shop, service.path, tmp_path / "local.jsonl", k=5)
    r = batch.score_store(shop, service.path, tmp_path / "ray.jsonl", k=5, engine="ray")
    assert r["engine"] == "ray" and r["users"] == 12
    assert _read(tmp_path / "ray.jsonl") == _read(tmp_path / "local.jsonl")
