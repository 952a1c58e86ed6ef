"""`shopgen recommend eval`: metrics as RecBole defines them, exactly the documented keys."""

from __future__ import annotations

import json

import numpy as np
import pytest

from shopgen.cli.main import run
from shopgen.recommend import evaluate
from tests.shared_data import shared_path


def test_rank_metrics_by_hand():
    # truth {3, 9}; ranked 5, 3, 7 … : one hit at rank 2
    m = evaluate._rank_metrics(np.array([[5, 3, 7]]), [{3, 9}], k=3)[0]
    idcg = 1 + 1 / np.log2(3)
    np.testing.assert_allclose(m, [(1 / np.log2(3)) / idcg, 0.5, 0.5, 1.0, 1 / 3])
    assert evaluate._rank_metrics(np.array([[1, 2, 4]]), [{3}], k=3)[0].tolist() == [0, 0, 0, 0, 0]


def _inter(tmp_path, n_users=30):
    rng = np.random.default_rng(0)
    lines = ["user_id:token\titem_id:token\ttimestamp:float"]
    for u in range(n_users):
        group = 0 if u % 2 else 10
        for j, i in enumerate(rng.choice(10, size=8, replace=False)):
            lines.append(f"u{u}\t{group + i}\t{j}")
    p = tmp_path / "tiny.inter"
    p.write_text("\n".join(lines) + "\n")
    return p


def test_eval_cli_prints_exactly_the_keys(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SHOPGEN_DATA_DIR", str(tmp_path))
    data = _inter(tmp_path)
    for model, split in (("itemknn", "random"), ("popularity", "leave-last-out"), ("ease", "cold-items")):
        assert run(["recommend", "eval", "--data", str(data), "--model", model, "--split", split, "--json"]) == 0
        r = json.loads(capsys.readouterr().out)
        assert tuple(r) == evaluate.KEYS
        assert (r["n_users"], r["n_items"]) == (30, 20)
        assert 0 <= r["ndcg@10"] <= 1 and r["hit@10"] >= r["precision@10"]
    # two taste groups: personalised beats popularity on the random split
    run(["recommend", "eval", "--data", str(data), "--model", "ease", "--json", "--param", "lam=5"])
    ease = json.loads(capsys.readouterr().out)
    run(["recommend", "eval", "--data", str(data), "--model", "popularity", "--json"])
    assert ease["ndcg@10"] > json.loads(capsys.readouterr().out)["ndcg@10"]


def test_eval_bad_input(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SHOPGEN_DATA_DIR", str(tmp_path))
    data = _inter(tmp_path)
    assert run(["recommend", "eval", "--data", str(data), "--model", "bpr"]) == 2
    assert "unknown recommender backend 'bpr'" in capsys.readouterr().err
    assert run(["recommend", "eval", "--data", str(data), "--model", "ease", "--param", "lam"]) == 2
    assert "is not NAME=VALUE" in capsys.readouterr().err
    monkeypatch.setenv("SHOPGEN_EMBED_BACKEND", "fake")
    assert run(["recommend", "eval", "--data", str(data), "--model", "text"]) == 2
    assert "no item text found" in capsys.readouterr().err


@pytest.mark.slow
def test_ml100k_recbole_protocol_beats_bpr():
    """RecBole's README: BPR NDCG@10 0.2768 on this protocol; EASE must clear 0.30."""
    r = evaluate.run(shared_path("recsys/ml-100k/ml-100k.inter"), "ease", "random", seed=2020)
    assert (r["n_users"], r["n_items"]) == (943, 1682)
    assert r["ndcg@10"] >= 0.30 and r["hit@10"] >= 0.7614
