import json

from tests.cli.conftest import as_json

from .conftest import write_pairs


def test_bad_attrs_and_unknown_kind_exit_2_with_one_line(cli):
    code, out, err = cli("copy", "generate", "--attrs", "类型上衣", "--kind", "title")
    assert code == 2 and err.count("\n") == 1 and "has no '#'" in err
    code, out, err = cli("copy", "generate", "--attrs", "类型#上衣", "--kind", "poem")
    assert code == 2 and "unknown kind 'poem'" in err and "social_post" in err
    code, out, err = cli("copy", "check", "好看", "--attrs", "颜色#", "--json")
    assert code == 2 and "needs both a key and a value" in err
    code, out, err = cli("copy", "generate", "--kind", "title")
    assert code == 2 and "exactly one of --product" in err


def test_check_reports_grounding_and_compliance(cli):
    code, out, _ = cli("copy", "check", "红色T恤，全网最低价！", "--attrs", "类型#T恤*颜色#白色", "--json")
    r = as_json(out)
    assert code == 0
    assert [(i["type"], i["claim"]) for i in r["issues"]] == [("contradicted", "红色")]
    assert [f["word"] for f in r["compliance"]] == ["全网最低"] and r["rewrite"] == "红色T恤，超值价！"


def test_generate_with_the_fake_backend(cli):
    # the fake backend echoes the prompt, so the "copy" is the prompt itself: long, ungrounded bits trimmed
    code, out, _ = cli("copy", "generate", "--attrs", "类型#T恤*颜色#白色", "--kind", "title", "--json")
    r = as_json(out)
    assert code == 0 and r["kind"] == "title" and r["model"] == "fake-echo" and len(r["text"]) <= 30
    assert r["attempts"] == 1 and r["issues"] == []  # the trimmed echo is a valid title: no second attempt


def test_batch_over_the_catalog_and_resume(cli, shop_env):
    assert cli("demo", "load")[0] == 0
    out = shop_env / "drafts.jsonl"
    code, stdout, _ = cli(
        "copy", "batch", "--kind", "title", "--category", "美妆", "--limit", "3", "--out", str(out), "--json"
    )
    assert code == 0 and as_json(stdout)["written"] == 3
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["sku"][:2] for x in rows] == ["MZ"] * 3 and {x["status"] for x in rows} == {"draft"}
    code, stdout, _ = cli(
        "copy",
        "batch",
        "--kind",
        "title",
        "--category",
        "美妆",
        "--limit",
        "3",
        "--out",
        str(out),
        "--resume",
        "--json",
    )
    assert (code, as_json(stdout)["written"], as_json(stdout)["skipped"]) == (0, 0, 3)
    from shopgen.core.settings import Settings
    from shopgen.store import catalog
    from shopgen.store.db import Database

    db = Database(Settings().resolved_database_url())
    with db.session() as s:  # an archived product gets no copy (as in the studio's batch)
        catalog.get_by_sku(s, rows[0]["sku"]).status = "archived"
    db.dispose()
    again = shop_env / "again.jsonl"
    assert cli("copy", "batch", "--kind", "title", "--category", "美妆", "--limit", "3", "--out", str(again))[0] == 0
    skus = [json.loads(x)["sku"] for x in again.read_text(encoding="utf-8").splitlines()]
    assert len(skus) == 3 and rows[0]["sku"] not in skus
    code, _, err = cli("copy", "generate", "--product", "NOPE-1", "--kind", "title")
    assert code == 2 and "no product with SKU NOPE-1" in err


def test_eval_nearest_from_the_cli(cli, tmp_path):
    pairs = [(f"类型#上衣*颜色#白色*风格#款{i}", f"白色上衣文案第{i}篇。") for i in range(6)]
    path = write_pairs(tmp_path / "dev.jsonl", pairs)
    code, out, _ = cli("copy", "eval", "--data", str(path), "--exemplars", str(path), "--mode", "nearest", "--json")
    assert code == 0 and as_json(out)["n"] == 3
    code, _, err = cli(
        "copy", "eval", "--data", str(tmp_path / "missing.jsonl"), "--mode", "nearest", "--exemplars", str(path)
    )
    assert code == 2 and "does not exist" in err


def test_check_refuses_empty_text(cli):
    code, _, err = cli("copy", "check", "  ", "--attrs", "类型#上衣")
    assert code == 2 and "TEXT is empty" in err
