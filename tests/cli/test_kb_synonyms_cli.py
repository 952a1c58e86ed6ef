"""``shopgen kb synonyms``: the shop's synonym groups from the command line, and kb search with them."""

import json

from tests.cli.conftest import as_json


def test_groups_from_the_command_line_reach_kb_search(cli, shop_env):
    faq = shop_env / "faq.jsonl"
    rows = [
        {"question": "帆布鞋怎么清洗", "answer": "用软毛刷蘸清水刷洗。"},
        {"question": "几天发货", "answer": "48小时内。"},
    ]
    faq.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    assert cli("kb", "import", str(faq))[0] == 0
    code, out, _ = cli("kb", "search", "小白鞋脏了", "--method", "bm25", "--json")
    assert code == 0 and "帆布鞋怎么清洗" not in [h["title"] for h in as_json(out)["hits"]]

    code, out, _ = cli("kb", "synonyms", "add", "小白鞋", "帆布鞋", "--json")
    assert code == 0 and as_json(out)["words"] == ["小白鞋", "帆布鞋"]
    code, out, _ = cli("kb", "search", "小白鞋脏了", "--method", "bm25", "--json")
    assert as_json(out)["hits"][0]["title"] == "帆布鞋怎么清洗"

    lines = shop_env / "syn.txt"
    lines.write_text("运费险 退货险\n# 注释\n板鞋、休闲鞋\n", encoding="utf-8")
    code, out, _ = cli("kb", "synonyms", "import", str(lines))
    assert code == 0 and out.strip() == "added 2 groups"
    code, out, _ = cli("kb", "synonyms", "list")
    assert out.splitlines()[0] == "#1  小白鞋 帆布鞋" and len(out.splitlines()) == 3
    assert cli("kb", "synonyms", "remove", "1")[0] == 0
    code, out, _ = cli("kb", "synonyms", "list", "--json")
    assert [g["words"] for g in as_json(out)["groups"]] == [["运费险", "退货险"], ["板鞋", "休闲鞋"]]


def test_bad_groups_exit_2_with_one_line_and_write_nothing(cli, shop_env):
    code, _, err = cli("kb", "synonyms", "add", "鞋", "靴子")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "至少 2 个字" in err
    bad = shop_env / "bad.txt"
    bad.write_text("小白鞋 帆布鞋\n孤单\n", encoding="utf-8")
    code, _, err = cli("kb", "synonyms", "import", str(bad))
    assert code == 2 and "第 2 行" in err
    code, _, err = cli("kb", "synonyms", "import", str(shop_env / "missing.txt"))
    assert code == 2 and "file not found" in err
    bad.write_bytes("小白鞋 帆布鞋\n".encode("gbk"))
    code, _, err = cli("kb", "synonyms", "import", str(bad))
    assert code == 2 and "not UTF-8" in err
    code, _, err = cli("kb", "synonyms", "remove", "7")
    assert code == 2 and "#7 不存在" in err
    code, out, _ = cli("kb", "synonyms", "list")
    assert out.strip() == "no groups"
