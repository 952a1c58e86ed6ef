"""The shop's synonym groups in the database: checked on the way in, audited, all or none from
lines, and in the knowledge index's next search without a rebuild."""

import pytest

from shopgen.assistant import synonyms
from shopgen.assistant.shared import SharedIndex
from shopgen.core.errors import Conflict, InvalidInput, NotFound
from shopgen.models.embed.fake import FakeEmbedder
from shopgen.search.synonyms import Synonyms
from shopgen.security import audit
from shopgen.security.principal import CLI
from shopgen.store.models import KBEntry
from shopgen.text.lexicon import Lexicon


def test_a_group_is_split_at_the_separators_people_type_and_checked():
    assert synonyms.parse("小白鞋 帆布鞋、板鞋，球鞋/白鞋") == ["小白鞋", "帆布鞋", "板鞋", "球鞋", "白鞋"]
    assert synonyms.parse(["运费险", "退货险 ", "运费险"]) == ["运费险", "退货险"]  # repeats dropped
    assert synonyms.parse("XL 加大码 ｘｌ") == ["XL", "加大码"]  # full width and case are the same word
    for bad, message in [
        ("鞋 靴子", "至少 2 个字"),
        ("帆布鞋", "至少要有两个不同的词"),
        ("帆布鞋 帆布鞋", "至少要有两个不同的词"),
        ("帆布#鞋 板鞋", "不能含“#”"),
        ("帆布鞋 " + "长" * 21, "最多 20 个字"),
        (" ".join(f"词{i:02d}" for i in range(21)), "最多 20 个词"),
        ("", "至少要有两个不同的词"),
    ]:
        with pytest.raises(InvalidInput, match=message):
            synonyms.parse(bad)


def test_groups_are_added_edited_and_deleted_with_an_audit_trail(sqlite_db):
    with sqlite_db.session() as s:
        g = synonyms.add(s, CLI, "小白鞋 帆布鞋")
        assert g["words"] == ["小白鞋", "帆布鞋"] and g["created_by"] == CLI.actor
        with pytest.raises(Conflict, match=f"#{g['id']}"):
            synonyms.add(s, CLI, ["帆布鞋", "小白鞋"])  # the same group in another order
        other = synonyms.add(s, CLI, "运费险 退货险")
        with pytest.raises(Conflict):
            synonyms.update(s, CLI, other["id"], "帆布鞋 小白鞋")
        assert synonyms.update(s, CLI, g["id"], "小白鞋 帆布鞋 板鞋")["words"] == ["小白鞋", "帆布鞋", "板鞋"]
        synonyms.delete(s, CLI, other["id"])
        with pytest.raises(NotFound):
            synonyms.delete(s, CLI, other["id"])
        assert [x["words"] for x in synonyms.listing(s)] == [["小白鞋", "帆布鞋", "板鞋"]]
        actions = [e.action for e in audit.query(s, action="kb.synonyms.")]
        assert sorted(actions) == ["kb.synonyms.add", "kb.synonyms.add", "kb.synonyms.delete", "kb.synonyms.update"]


def test_lines_are_added_all_or_none_and_an_error_names_its_line(sqlite_db):
    with sqlite_db.session() as s:
        with pytest.raises(InvalidInput, match="第 3 行：每个词至少 2 个字"):
            synonyms.add_lines(s, CLI, "小白鞋 帆布鞋\n# 注释\n鞋 靴子\n")
    with sqlite_db.session() as s:
        assert synonyms.listing(s) == []  # the good first line was not kept either
        with pytest.raises(Conflict, match="第 2 行：与第 1 行相同"):
            synonyms.add_lines(s, CLI, "小白鞋 帆布鞋\n帆布鞋 小白鞋")
    with sqlite_db.session() as s:
        added = synonyms.add_lines(s, CLI, "小白鞋 帆布鞋  # 店里的叫法\n\n运费险、退货险\n")
        assert [g["words"] for g in added] == [["小白鞋", "帆布鞋"], ["运费险", "退货险"]]
        with pytest.raises(InvalidInput, match="每行一组"):
            synonyms.add_lines(s, CLI, "\n# 只有注释\n")


def _faq(db, question: str, answer: str) -> None:
    with db.session() as s:
        s.add(KBEntry(kind="faq", topic="商品", question=question, answer=answer))


def test_an_edit_is_in_the_next_search_without_rebuilding_the_index(sqlite_db, tmp_path):
    _faq(sqlite_db, "帆布鞋怎么清洗", "用软毛刷蘸清水刷洗，阴干。")
    _faq(sqlite_db, "怎么申请退货", "在订单页点申请售后。")
    _faq(sqlite_db, "洗衣机可以洗吗", "T恤可以机洗，水温不超过30度。")
    configured = Synonyms(Lexicon([("运费险", "退货险")]))
    shared = SharedIndex(sqlite_db, FakeEmbedder, tmp_path, synonyms=configured)

    def top(query: str) -> list[str]:
        return [h["title"] for h in shared.get().search(query, "bm25", 3)]

    assert "帆布鞋怎么清洗" not in top("小白鞋脏了")
    with sqlite_db.session() as s:
        g = synonyms.add(s, CLI, "小白鞋 帆布鞋")
    assert top("小白鞋脏了")[0] == "帆布鞋怎么清洗"
    assert shared.get().bm25.synonyms.expansions("退货险怎么赔") == ["运费险"]  # the file's groups still apply
    with sqlite_db.session() as s:
        synonyms.update(s, CLI, g["id"], "小黑鞋 帆布鞋")
    assert "帆布鞋怎么清洗" not in top("小白鞋脏了") and top("小黑鞋脏了")[0] == "帆布鞋怎么清洗"
    with sqlite_db.session() as s:
        synonyms.delete(s, CLI, g["id"])
    assert "帆布鞋怎么清洗" not in top("小黑鞋脏了")
    assert shared.builds == 1  # documents and vectors were never rebuilt for it


def test_preview_shows_the_added_words_and_both_rankings(sqlite_db, tmp_path):
    _faq(sqlite_db, "帆布鞋怎么清洗", "用软毛刷蘸清水刷洗，阴干。")
    _faq(sqlite_db, "几天发货", "48小时内发货。")
    with sqlite_db.session() as s:
        synonyms.add(s, CLI, "小白鞋 帆布鞋")
    index = SharedIndex(sqlite_db, FakeEmbedder, tmp_path).get()
    p = synonyms.preview(index, " 小白鞋脏了 ", method="bm25")
    assert p["query"] == "小白鞋脏了" and p["added"] == ["帆布鞋"]
    assert p["with"][0]["title"] == "帆布鞋怎么清洗" and set(p["with"][0]) == {"id", "kind", "title"}
    assert "帆布鞋怎么清洗" not in [h["title"] for h in p["without"]]
    assert len(synonyms.preview(index, "小白鞋脏了")["with"]) == 2  # the chat's hybrid by default
    plain = synonyms.preview(index, "几天发货")
    assert plain["added"] == [] and plain["with"] == plain["without"]
    with pytest.raises(InvalidInput):
        synonyms.preview(index, "  ")


def test_no_groups_anywhere_means_no_expansion(sqlite_db):
    with sqlite_db.session() as s:
        assert synonyms.merged(s) is None
        assert synonyms.merged(s, Synonyms(Lexicon([("运费险", "退货险")]))).expansions("运费险") == ["退货险"]


def test_two_operators_saving_the_same_group_at_once_get_one_group_and_a_conflict(db):
    """Both pass the duplicate check before either commits; the unique key turns the second into a
    Conflict (a 409), not a server error."""
    import threading

    barrier, outcomes = threading.Barrier(2), []

    def save(words: str) -> None:
        try:
            with db.session() as s:
                synonyms.parse(words)  # the check both make
                barrier.wait(5)
                synonyms.add(s, CLI, words)
            outcomes.append("added")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(w,)) for w in ("小白鞋 帆布鞋", "帆布鞋 小白鞋")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert sorted(outcomes) == ["added", "conflict"]
    with db.session() as s:
        assert len(synonyms.listing(s)) == 1


def _asked(db, question: str, route: str, days_ago: int = 0) -> None:
    from datetime import UTC, datetime, timedelta

    from shopgen.assistant import sessions

    with db.session() as s:
        conv = sessions.create(s, "web", None)
        sessions.append(s, conv, "user", "你好")
        sessions.append(s, conv, "assistant", "您好，请问有什么可以帮您？", {"route": "llm"})
        asked = sessions.append(s, conv, "user", question)
        said = sessions.append(s, conv, "assistant", "抱歉，没有找到确切答案。", {"route": route})
        if days_ago:
            for m in (asked, said):
                m.created_at = datetime.now(UTC) - timedelta(days=days_ago)


def test_words_of_unanswered_questions_that_the_knowledge_base_lacks_are_listed(sqlite_db, tmp_path):
    _faq(sqlite_db, "帆布鞋开胶了怎么办", "签收后30天内开胶属于质量问题，可以免费换新。")
    _faq(sqlite_db, "帆布鞋有货吗", "各尺码都有现货。")
    _asked(sqlite_db, "小白鞋有货吗", "abstain")
    _asked(sqlite_db, "小白鞋有货吗", "faq")  # answered: not counted
    _asked(sqlite_db, "我的小白鞋开胶了，电话13812345678", "abstain")  # the newest: the example
    _asked(sqlite_db, "小白鞋开胶了", "abstain", days_ago=40)  # too old
    shared = SharedIndex(sqlite_db, FakeEmbedder, tmp_path)
    with sqlite_db.session() as s:
        words = synonyms.unknown_words(s, shared.get(), days=30)
        loose = synonyms.unknown_words(s, shared.get(), min_questions=1)
    top = words[0]
    assert top["word"] == "小白鞋" and top["questions"] == 2
    assert top["example"].startswith("我的小白鞋开胶了") and "13812345678" not in top["example"]
    assert [w["word"] for w in words] == ["小白鞋"]  # 开胶 and 有货 are in the knowledge base; 电话: one question
    assert "电话" in {w["word"] for w in loose}
    with sqlite_db.session() as s:
        synonyms.add(s, CLI, "小白鞋 帆布鞋")
    with sqlite_db.session() as s:
        assert "小白鞋" not in {w["word"] for w in synonyms.unknown_words(s, shared.get())}  # a group lists it now
