"""The shop's synonyms: which words a query adds, the file, and knowledge search with them."""

import json

import pytest

from shopgen.assistant.index import Doc, KnowledgeIndex
from shopgen.core.errors import ConfigError, InvalidInput
from shopgen.search.synonyms import Synonyms, load_synonyms
from shopgen.text.lexicon import Lexicon

SHOP = ["运费险 退货险 退货运费险", "小白鞋 帆布鞋  # the shop's nickname", "XL 加大码"]


def shop():
    return Synonyms(Lexicon.from_lines(SHOP))


def test_a_query_adds_the_other_words_of_its_groups():
    s = shop()
    assert s.expansions("买了运费险吗") == ["退货运费险", "退货险"]
    # the longest word of the query counts; a word already in the query is not added again
    assert s.expansions("退货运费险怎么赔") == ["退货险"]
    assert s.expand("小白鞋怎么洗") == "小白鞋怎么洗 帆布鞋"
    assert s.expansions("有ｘｌ吗") == ["加大码"]  # full width and case do not matter
    assert s.expand("几天发货") == "几天发货"  # no group word: the query as it was


def test_bad_files_are_refused_with_the_file_and_line(tmp_path):
    assert load_synonyms(None) is None
    with pytest.raises(ConfigError, match="synonyms file not found"):
        load_synonyms(tmp_path / "missing.txt")
    bad = tmp_path / "syn.txt"
    bad.write_text("运费险 退货险\n孤单\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="syn.txt line 2: a group needs two words"):
        load_synonyms(bad)
    with pytest.raises(InvalidInput, match="2 characters or more"):
        Synonyms(Lexicon.from_lines(["鞋 靴子"]))
    bad.write_bytes("运费险 退货险\n".encode("gbk"))
    with pytest.raises(ConfigError, match="syn.txt"):
        load_synonyms(bad)


def test_knowledge_search_finds_an_entry_by_the_shops_nickname():
    docs = [
        Doc(
            "faq:1", "faq", "帆布鞋怎么清洗", "帆布鞋怎么清洗 用软毛刷蘸清水刷洗，阴干。", "用软毛刷蘸清水刷洗，阴干。"
        ),
        Doc("faq:2", "faq", "怎么申请退货", "怎么申请退货 在订单页点申请售后。", "在订单页点申请售后。"),
        Doc(
            "faq:3",
            "faq",
            "洗衣机可以洗吗",
            "洗衣机可以洗吗 T恤可以机洗，水温不超过30度。",
            "T恤可以机洗，水温不超过30度。",
        ),
    ]
    plain = KnowledgeIndex(docs, None, None)
    assert "faq:1" not in [h["id"] for h in plain.search("小白鞋脏了", "bm25", 3)]
    with_shop = KnowledgeIndex(docs, None, None, synonyms=shop())
    assert with_shop.search("小白鞋脏了", "bm25", 3)[0]["id"] == "faq:1"
    assert with_shop.search("怎么申请退货", "bm25", 1)[0]["id"] == "faq:2"  # other queries as before


def test_kb_search_reads_the_setting(tmp_path, monkeypatch, capsys):
    from shopgen.cli.main import run

    monkeypatch.setenv("SHOPGEN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SHOPGEN_EMBED_BACKEND", "fake")
    f = tmp_path / "faq.jsonl"
    rows = [
        {"question": "帆布鞋怎么清洗", "answer": "用软毛刷蘸清水刷洗。"},
        {"question": "几天发货", "answer": "48小时内。"},
    ]
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    assert run(["kb", "import", str(f)]) == 0
    syn = tmp_path / "synonyms.txt"
    syn.write_text("\n".join(SHOP) + "\n", encoding="utf-8")
    monkeypatch.setenv("SHOPGEN_KB_SYNONYMS", str(syn))
    capsys.readouterr()
    assert run(["kb", "search", "小白鞋脏了", "--method", "bm25", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["hits"][0]["title"] == "帆布鞋怎么清洗"
    monkeypatch.setenv("SHOPGEN_KB_SYNONYMS", str(tmp_path / "nope.txt"))
    assert run(["kb", "search", "小白鞋脏了", "--method", "bm25"]) == 2
    err = capsys.readouterr().err.strip()
    assert "synonyms file not found" in err and len(err.splitlines()) == 1
