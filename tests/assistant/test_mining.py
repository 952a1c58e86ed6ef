"""Learning from logs: FAQ candidates from conversations human agents resolved, then approval."""

import pytest
from sqlalchemy import select

from shopgen.assistant import mining, sessions
from shopgen.core.errors import Conflict, InvalidInput, NotFound
from shopgen.security import audit
from shopgen.security.principal import CLI, Principal
from shopgen.store.models import KBEntry

AGENT = Principal(kind="user", name="xiaomei", role="agent")


def resolved(s, turns, status="closed"):
    """A conversation: (role, text) turns; an agent takes it before the first agent line."""
    conv = sessions.create(s, "web")
    taken = False
    for role, text in turns:
        if role == "agent" and not taken:
            sessions.queue(s, conv, "request")
            sessions.take(s, conv, AGENT)
            taken = True
        if role == "agent":
            sessions.agent_reply(s, conv, AGENT, text)
        else:
            sessions.append(s, conv, role, text, {"intent": "shipping"} if role == "assistant" else None)
    if status == "closed":
        sessions.close(s, conv, AGENT)
    elif status == "bot":
        sessions.release(s, conv, AGENT)
    s.flush()
    return conv


def test_mine_pairs_the_question_with_the_agent_answer(sqlite_db):
    with sqlite_db.session() as s:
        conv = resolved(
            s,
            [
                ("user", "寄到新疆的话几天能到？"),
                ("assistant", "抱歉，我暂时没有找到相关信息。"),
                ("user", "转人工"),
                ("agent", "您好，我是客服小美"),  # greeting: skipped
                ("agent", "新疆一般 5-7 天送达，偏远地区可能再多 1-2 天。"),
            ],
        )
        out = mining.mine(s)
    assert out["conversations"] == 1 and out["created"] == 1
    c = out["candidates"][0]
    assert (c["question"], c["answer"]) == ("寄到新疆的话几天能到？", "新疆一般 5-7 天送达，偏远地区可能再多 1-2 天。")
    assert c["status"] == "pending" and c["conversation_id"] == conv.id and c["topic"] == "物流"
    assert out["skipped"] == {"greeting or too short": 1}


def test_mining_twice_adds_nothing_and_open_conversations_wait(sqlite_db):
    with sqlite_db.session() as s:
        resolved(s, [("user", "发票可以开公司抬头吗"), ("agent", "可以的，下单时在发票信息里填写公司名称和税号即可。")])
        resolved(
            s, [("user", "你们周末发货吗？"), ("agent", "周末正常发货，下午四点前的订单当天发出。")], status="human"
        )
        assert mining.mine(s)["created"] == 1  # the second is still with the agent
        again = mining.mine(s)
    assert again["created"] == 0 and again["conversations"] == 1


def test_personal_data_is_masked_and_known_questions_are_skipped(sqlite_db):
    with sqlite_db.session() as s:
        s.add(KBEntry(kind="faq", topic="退换货", question="支持七天无理由退货吗", answer="支持。"))
        s.flush()
        resolved(
            s,
            [
                ("user", "支持七天无理由退货吗？"),
                ("agent", "支持的，签收后七天内商品完好即可申请。"),
                ("user", "我的手机号是13812345678，订单SG202611010001怎么还没发货"),
                ("agent", "已帮您催促仓库，订单SG202611010001今天会发出，请留意13812345678的短信。"),
            ],
        )
        out = mining.mine(s)
    assert out["created"] == 1 and out["skipped"]["already known"] == 1
    c = out["candidates"][0]
    for text in (c["question"], c["answer"]):
        assert "13812345678" not in text and "SG202611010001" not in text


def test_approve_writes_a_kb_entry_with_edits_and_audit(sqlite_db):
    with sqlite_db.session() as s:
        resolved(s, [("user", "羽绒服可以机洗吗"), ("agent", "建议手洗或者送干洗，机洗容易跑绒。")])
        cid = mining.mine(s)["candidates"][0]["id"]
    with sqlite_db.session() as s:
        out = mining.approve(s, CLI, cid, answer="建议手洗或干洗：机洗容易跑绒。")
    with sqlite_db.session() as s:
        entry = s.get(KBEntry, out["kb_entry_id"])
        assert (entry.kind, entry.question, entry.answer) == (
            "faq",
            "羽绒服可以机洗吗",
            "建议手洗或干洗：机洗容易跑绒。",
        )
        assert entry.source.startswith("mined:")
        assert [e.action for e in audit.query(s, action="kb.candidate")] == ["kb.candidate.approve"]
        assert mining.listing(s, "pending") == [] and mining.listing(s, "approved")[0]["id"] == cid
    with sqlite_db.session() as s, pytest.raises(Conflict):
        mining.reject(s, CLI, cid)  # already decided


def test_bad_decisions_are_refused_and_change_nothing(sqlite_db):
    with sqlite_db.session() as s:
        resolved(s, [("user", "可以货到付款吗"), ("agent", "目前不支持货到付款，可以用微信或支付宝。")])
        cid = mining.mine(s)["candidates"][0]["id"]
    with pytest.raises(InvalidInput), sqlite_db.session() as s:
        mining.approve(s, CLI, cid, question="   ")
    with pytest.raises(NotFound), sqlite_db.session() as s:
        mining.approve(s, CLI, cid + 100)
    with pytest.raises(InvalidInput), sqlite_db.session() as s:
        mining.listing(s, "maybe")
    with sqlite_db.session() as s:
        assert s.scalars(select(KBEntry)).all() == []
        assert mining.listing(s)[0]["status"] == "pending"


def test_greetings_names_and_context_dependent_questions_stay_out(sqlite_db):
    from shopgen.demo.loader import load_demo

    load_demo(sqlite_db)
    with sqlite_db.session() as s:
        resolved(
            s,
            [
                ("user", "寄到新疆的话几天能到？"),
                ("agent", "您好，我是客服小美，新疆一般5-7天送达。祝您购物愉快！"),
                ("user", "好的谢谢，那L码呢？"),  # means nothing without the line before
                ("agent", "L码也有货的，今天下单明天发出。"),
            ],
        )
        conv = sessions.create(s, "web")
        sessions.append(s, conv, "user", "这件会缩水吗？", {"context_sku": "FZ-1001"})
        sessions.queue(s, conv, "request")
        sessions.take(s, conv, AGENT)
        sessions.agent_reply(s, conv, AGENT, "亲，在的。纯棉的首次洗涤会有轻微缩水，建议冷水手洗。")
        sessions.close(s, conv, AGENT)
        out = mining.mine(s)
    pairs = {(c["question"], c["answer"]) for c in out["candidates"]}
    assert pairs == {
        ("寄到新疆的话几天能到？", "新疆一般5-7天送达。"),
        ("纯棉圆领短袖T恤会缩水吗？", "纯棉的首次洗涤会有轻微缩水，建议冷水手洗。"),
    }
    assert out["skipped"]["depends on the conversation before it"] == 1
    assert not any("小美" in a or "您好" in a for _, a in pairs)
