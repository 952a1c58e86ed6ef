"""Assistant sessions on the demo shop: history, the product in context, hand-off and the
agent's moves (audited), with the fake LLM and the fake embedder selected by name."""

import pytest

from shopgen.assistant import sessions, turn
from shopgen.assistant.answer import ABSTAIN, EXAMPLES, HANDOFF, Assistant
from shopgen.assistant.index import KnowledgeIndex, load_docs
from shopgen.core.errors import Conflict, NotFound
from shopgen.core.settings import Settings
from shopgen.demo.loader import load_demo
from shopgen.insight.sentiment import analyze_one
from shopgen.models.embed import create_embedder
from shopgen.security import audit
from shopgen.security.principal import Principal
from shopgen.store.models import Conversation
from tests.assistant.fakes import CountingFake

XIAOMEI = Principal(kind="user", name="xiaomei", role="agent")


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    from shopgen.store.db import Database

    tmp = tmp_path_factory.mktemp("sessions")
    db = Database(f"sqlite:///{tmp / 'shop.db'}")
    db.migrate()
    load_demo(db)
    emb = create_embedder(Settings(data_dir=tmp, embed_backend="fake"))
    yield db, KnowledgeIndex(load_docs(db), emb, tmp / "cache")
    db.dispose()


def bot(shop, replies=("这款是纯棉的[1]。",), label="product"):
    db, index = shop
    llm = CountingFake(list(replies))
    return Assistant(db, index, llm, classify=lambda text: label), llm


def new_session(db, owner="key:test") -> str:
    with db.session() as s:
        return sessions.create(s, "web", "小王", owner=owner).id


def say(db, sid, text, assistant, **kw) -> dict[str, dict]:
    """One turn; the events by name (tokens joined)."""
    out: dict[str, dict] = {}
    for name, data in turn.run(db, sid, text, assistant, **kw):
        if name == "token":
            out.setdefault("token", {"text": ""})["text"] += data["text"]
        else:
            out[name] = data
    return out


def status(db, sid) -> str:
    with db.session() as s:
        return s.get(Conversation, sid).status


def roles_of(db, sid) -> list[str]:
    with db.session() as s:
        return [m["role"] for m in sessions.messages_after(s, sessions.get(s, sid))]


def test_a_turn_is_stored_with_its_meta_and_history_reads_back(shop):
    db, _ = shop
    a, llm = bot(shop)
    sid = new_session(db)
    ev = say(db, sid, "纯棉T恤会缩水吗", a)
    assert ev["meta"]["route"] == "llm" and ev["meta"]["intent"] == "product" and ev["meta"]["sources"]
    assert ev["token"]["text"] == "这款是纯棉的[1]。"
    assert ev["done"] == {"handoff": False, "status": "bot", "message_id": ev["done"]["message_id"]}
    with db.session() as s:
        conv = sessions.get(s, sid)
        msgs = sessions.messages_after(s, conv)
        assert [m["role"] for m in msgs] == ["user", "assistant"]
        assert msgs[1]["meta"]["route"] == "llm" and msgs[1]["meta"]["sources"] == ev["meta"]["sources"]
        assert sessions.history(s, conv) == [
            {"role": "user", "content": "纯棉T恤会缩水吗"},
            {"role": "assistant", "content": "这款是纯棉的[1]。"},
        ]
        assert sessions.messages_after(s, conv, after=msgs[0]["id"]) == msgs[1:]
    say(db, sid, "那洗了会变形吗", a)  # the second turn's model call carries the first exchange
    n = 1 + len(EXAMPLES)  # after the system prompt and the worked turns
    assert llm.calls[-1][n : n + 2] == [
        {"role": "user", "content": "纯棉T恤会缩水吗"},
        {"role": "assistant", "content": "这款是纯棉的[1]。"},
    ]


def test_history_keeps_the_last_turns_and_counts_agents_as_the_shop(shop):
    db, _ = shop
    sid = new_session(db)
    with db.session() as s:
        conv = sessions.get(s, sid)
        for i in range(5):
            sessions.append(s, conv, "user", f"问{i}")
            sessions.append(s, conv, "assistant" if i < 4 else "agent", f"答{i}")
        sessions.append(s, conv, "system", "会话已进入人工队列")
        h = sessions.history(s, conv, turns=2)
    assert h == [
        {"role": "user", "content": "问3"},
        {"role": "assistant", "content": "答3"},
        {"role": "user", "content": "问4"},
        {"role": "assistant", "content": "答4"},
    ]


def test_follow_up_resolves_against_the_product_in_context(shop):
    db, _ = shop
    a, llm = bot(shop)
    plain = new_session(db)
    say(db, plain, "这个有XL吗", a)  # no product in context: the down jacket is not retrieved
    assert "羽绒服" not in llm.calls[-1][-1]["content"]
    sid = new_session(db)
    say(db, sid, "这件怎么样", a, context_sku="FZ-1002")  # asked from the product page
    ev = say(db, sid, "这个有XL吗", a)  # no sku: the session remembers it
    assert llm.calls[-1][-1]["content"].startswith("【资料】\n[1] 90白鸭绒连帽羽绒服")  # it leads the passages
    assert ev["meta"]["sources"][0]["id"] == "product:FZ-1002"
    with db.session() as s:
        conv = sessions.get(s, sid)
        assert sessions.context_sku(s, conv) == "FZ-1002"
        assert sessions.messages_after(s, conv)[-1]["meta"]["context_sku"] == "FZ-1002"
    ev = say(db, sid, "我身高175体重70，穿什么码", a)  # the size chart of the product in context
    assert ev["meta"]["route"] == "size" and ev["meta"]["sources"][0]["id"] == "product:FZ-1002"
    assert ev["token"]["text"].startswith("建议选 ")


def test_asking_for_a_human_queues_and_the_bot_stays_silent(shop):
    db, _ = shop
    a, llm = bot(shop, label="human")
    sid = new_session(db)
    ev = say(db, sid, "转人工", a)
    assert ev["token"]["text"] == HANDOFF and ev["done"]["handoff"] and ev["done"]["status"] == "queued"
    assert status(db, sid) == "queued"
    ev = say(db, sid, "有人吗", a)
    assert list(ev) == ["status"] and ev["status"]["status"] == "queued" and ev["status"]["note"]
    assert roles_of(db, sid) == ["user", "assistant", "system", "user"] and llm.calls == []


def test_agent_takes_over_replies_and_hands_back_all_audited(shop):
    db, _ = shop
    a, llm = bot(shop, label="human")
    sid = new_session(db)
    say(db, sid, "转人工", a)
    with db.session() as s:
        sessions.take(s, sessions.get(s, sid), XIAOMEI, "10.0.0.9")
    assert status(db, sid) == "human"
    a, llm = bot(shop)
    assert list(say(db, sid, "我的订单怎么还没发货", a)) == ["status"]  # stored, no bot answer
    with db.session() as s:
        conv = sessions.get(s, sid)
        assert conv.agent == "user:xiaomei"
        sessions.agent_reply(s, conv, XIAOMEI, "您好，我是客服小美")
        sessions.release(s, conv, XIAOMEI, "10.0.0.9")
    assert status(db, sid) == "bot" and llm.calls == []
    assert roles_of(db, sid) == ["user", "assistant", "system", "system", "user", "agent", "system"]
    ev = say(db, sid, "纯棉T恤会缩水吗", a)  # the bot answers again
    assert ev["meta"]["route"] == "llm" and len(llm.calls) == 1
    with db.session() as s:
        entries = [(e.action, e.actor, e.target, e.detail, e.address) for e in audit.query(s, action="assist.")][::-1]
    target = f"conversation:{sid}"
    assert entries[-2:] == [
        ("assist.take", "user:xiaomei", target, {"from": "queued", "to": "human"}, "10.0.0.9"),
        ("assist.release", "user:xiaomei", target, {"from": "human", "to": "bot"}, "10.0.0.9"),
    ]


def test_agent_moves_the_status_does_not_allow_are_conflicts(shop):
    db, _ = shop
    sid = new_session(db)
    other = Principal(kind="user", name="xiaoli", role="agent")
    with db.session() as s:
        conv = sessions.get(s, sid)
        with pytest.raises(Conflict, match="无法以人工客服身份回复"):
            sessions.agent_reply(s, conv, XIAOMEI, "在的")
        with pytest.raises(Conflict, match="无法交还智能客服"):
            sessions.release(s, conv, XIAOMEI)
        sessions.take(s, conv, XIAOMEI)  # straight from the bot
        sessions.take(s, conv, XIAOMEI)  # taking one's own again changes nothing
        with pytest.raises(Conflict, match="无法接管"):
            sessions.take(s, conv, other)
        with pytest.raises(Conflict, match="正由 user:xiaomei 接待"):
            sessions.agent_reply(s, conv, other, "我来")
        sessions.close(s, conv, XIAOMEI)
        assert conv.status == "closed" and conv.agent is None
    with pytest.raises(Conflict, match="closed"):
        turn.begin(db, sid, "还在吗")
    with db.session() as s:
        assert [e.action for e in audit.query(s, action="assist.")][:2] == ["assist.close", "assist.take"]


def test_unknown_or_foreign_sessions_are_not_found(shop):
    db, _ = shop
    sid = new_session(db, owner="key:aaa")
    with pytest.raises(NotFound):
        turn.begin(db, "nope", "你好")
    with pytest.raises(NotFound):
        turn.begin(db, sid, "你好", owner="key:bbb")
    with db.session() as s:
        with pytest.raises(NotFound):
            sessions.take(s, sessions.get(s, "nope"), XIAOMEI)


def test_two_abstains_in_a_row_hand_over_one_only_offers(shop):
    db, _ = shop
    a, _ = bot(shop, replies=["资料中没有提到。"])
    sid = new_session(db)
    ev = say(db, sid, "你们老板是谁", a)
    assert ev["replace"] == {"text": ABSTAIN, "route": "abstain"}  # the streamed text is withdrawn
    assert ev["done"]["handoff"] is False and status(db, sid) == "bot"
    ev = say(db, sid, "你们仓库在哪个城市", a)
    assert ev["done"] == {**ev["done"], "handoff": True, "status": "queued"}
    with db.session() as s:
        conv = sessions.get(s, sid)
        assert sessions.messages_after(s, conv)[-1]["meta"] == {"event": "queued", "reason": "abstained twice"}
        assert sessions.messages_after(s, conv)[1]["content"] == ABSTAIN  # stored as withdrawn


def test_a_bad_number_is_withdrawn_after_streaming(shop):
    db, _ = shop
    a, _ = bot(shop, replies=["这款T恤售价9999元[1]。"])
    sid = new_session(db)
    ev = say(db, sid, "纯棉T恤多少钱", a)
    assert ev["token"]["text"] == "这款T恤售价9999元[1]。" and ev["replace"]["text"] == ABSTAIN


@pytest.fixture(scope="module")
def sentiment(models):
    model = models.sentiment()
    return lambda text: analyze_one(text, model)["score"]


@pytest.mark.parametrize(
    "text, label, queued",
    [
        ("质量太差了，气死我了，我要投诉", "complaint", True),  # complaint, strongly negative
        ("质量太差了，气死我了，我要投诉", "product", False),  # negative but not a complaint
        ("东西收到了还不错，就是物流慢", "complaint", False),  # a complaint, mildly put
    ],
)
def test_strongly_negative_complaints_go_to_a_human(shop, sentiment, text, label, queued):
    db, _ = shop
    assert (sentiment(text) < sessions.NEGATIVE) == ("太差" in text)
    a, _ = bot(shop, label=label)
    sid = new_session(db)
    ev = say(db, sid, text, a, sentiment=sentiment)
    assert ev["done"]["handoff"] is queued and status(db, sid) == ("queued" if queued else "bot")


def test_a_promise_the_pipeline_refuses_is_handed_over(shop):
    db, _ = shop
    a, llm = bot(shop)
    sid = new_session(db)
    ev = say(db, sid, "你们答应我免单了对吧", a)
    assert ev["meta"]["route"] == "refuse" and ev["done"]["handoff"] and llm.calls == []


def test_a_tidied_answer_replaces_what_was_streamed(shop):
    db, _ = shop
    a, _ = bot(shop, replies=("可以。暂不支持指定其他快递[1]。",), label="shipping")
    sid = new_session(db)
    ev = say(db, sid, "可以指定发韵达快递员上门吗", a)
    assert ev["meta"]["route"] == "llm" and ev["token"]["text"] == "可以。暂不支持指定其他快递[1]。"
    assert ev["replace"] == {"text": "暂不支持指定其他快递[1]。", "route": "llm"}
    with db.session() as s:  # what is stored is what the shopper is left with
        assert sessions.messages_after(s, sessions.get(s, sid))[-1]["content"] == "暂不支持指定其他快递[1]。"
