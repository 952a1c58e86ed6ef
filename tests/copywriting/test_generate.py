import pytest

from shopgen.copywriting.exemplars import ExemplarStore
from shopgen.copywriting.generate import CopyResult, Copywriter
from shopgen.copywriting.prompts import build_messages
from shopgen.core.errors import InvalidInput
from shopgen.models.llm.fake import FakeGenerator

from .conftest import GOOD, TEE

WRONG = GOOD.replace("白色和黑色", "红色和黑色")  # contradicts the facts


class Recorder(FakeGenerator):
    """FakeGenerator that keeps the prompts and decoding settings it was given."""

    def __init__(self, replies):
        super().__init__(replies)
        self.calls = []

    def chat(self, messages, *, max_tokens=None, temperature=None, stop=None, repeat_penalty=None):
        self.calls.append(
            {
                "messages": messages,
                "max_tokens": max_tokens,
                "temperature": temperature,
                "repeat_penalty": repeat_penalty,
            }
        )
        return super().chat(messages, max_tokens=max_tokens, temperature=temperature, stop=stop)


def test_a_contradiction_is_regenerated_and_the_second_draft_kept():
    llm = Recorder([WRONG, GOOD])
    r = Copywriter(llm).generate(TEE, "description")
    assert (r.text, r.issues, r.attempts, r.model) == (GOOD, [], 2, "fake-echo")
    assert "红色" in llm.calls[1]["messages"][-1]["content"]  # the retry names the problem


def test_an_unsupported_clause_is_dropped_without_a_retry():
    extra = GOOD.replace("柔软透气，", "柔软透气，还能防水，")  # unsupported, not contradicted: repaired
    r = Copywriter(FakeGenerator([extra])).generate(TEE, "description")
    assert (r.text, r.issues, r.attempts) == (GOOD, [], 1)


def test_after_the_last_attempt_contradicted_clauses_are_dropped():
    r = Copywriter(FakeGenerator([WRONG, WRONG])).generate(TEE, "description")
    assert r.attempts == 2 and r.issues == [] and "红色" not in r.text and "日常通勤" in r.text


def test_what_cannot_be_repaired_is_reported():
    r = Copywriter(FakeGenerator(["红色T恤 到手价59元"])).generate(TEE, "title")
    assert r.attempts == 2
    assert [(i["type"], i["claim"]) for i in r.issues] == [("contradicted", "红色"), ("contradicted", "59元")]


def test_compliance_is_rewritten_and_reported():
    r = Copywriter(FakeGenerator([GOOD.replace("实用单品", "最实用的单品")])).generate(TEE, "description")
    assert "最" not in r.text and "很实用的单品" in r.text
    assert [(f["word"], f["suggestion"]) for f in r.compliance] == [("最", "很")]
    assert r.attempts == 1


def test_length_limits():
    title = Copywriter(
        FakeGenerator(["标题：纯棉圆领短袖T恤，男女同款，基础百搭打底衫，夏季清爽透气休闲上衣。"])
    ).generate(TEE, "title")
    assert title.text == "纯棉圆领短袖T恤，男女同款，基础百搭打底衫"  # cut at a comma, label and full stop gone
    long = GOOD + "它的版型宽松，适合各种身材，领口的设计让脖子显得修长。袖口处理得干净利落，细节处见品质，" * 3
    desc = Copywriter(FakeGenerator([long])).generate(TEE, "description")
    assert 80 <= len(desc.text) <= 200 and desc.text.endswith("。") and desc.issues == []
    bullets = "1. 纯棉面料\n2. 白色黑色可选\n3. 领口加固\n4. 宽松版型\n5. M码L码\n6. 到手价69元"
    sp = Copywriter(FakeGenerator([bullets])).generate(TEE, "selling_points")
    assert sp.text.splitlines() == ["- 纯棉面料", "- 白色黑色可选", "- 领口加固", "- 宽松版型", "- M码L码"]


def test_a_draft_too_short_is_retried():
    r = Copywriter(FakeGenerator(["白色T恤。", GOOD])).generate(TEE, "description")
    assert (r.text, r.attempts) == (GOOD, 2)


def test_live_script_needs_its_sections_and_social_post_gets_hashtags():
    short = Copywriter(FakeGenerator(["家人们看过来！白色T恤69元，快拍！"])).generate(TEE, "live_script")
    assert {i["claim"] for i in short.issues} >= {"sections"} and short.attempts == 2
    post = Copywriter(
        FakeGenerator(
            ["夏天就穿它☀️\n白色纯棉T恤，软软的很舒服，M码L码都有，到手69元，闭眼入的基础款～真的很百搭，通勤约会都能穿"]
        )
    )
    r = post.generate(TEE, "social_post")
    assert r.text.endswith("#T恤") and r.issues == []


def test_stream_yields_tokens_then_the_checked_result():
    items = list(Copywriter(FakeGenerator([WRONG, GOOD])).stream(TEE, "description"))
    tokens, result = items[:-1], items[-1]
    assert "".join(tokens) == WRONG  # the first draft as it came
    assert isinstance(result, CopyResult) and result.text == GOOD and result.attempts == 2
    with pytest.raises(InvalidInput, match="unknown kind"):
        next(Copywriter(FakeGenerator()).stream(TEE, "poem"))


def test_prompt_has_facts_exemplars_audience_and_decoding_per_kind():
    store = ExemplarStore([("类型#T恤*颜色#白色", "参考：白T文案"), ("类型#裙*颜色#红色", "参考：红裙文案")])
    llm = Recorder([GOOD])
    Copywriter(llm, store, k=1).generate(TEE, "description", audience="宝妈", tone="温柔")
    system, user = (m["content"] for m in llm.calls[0]["messages"])
    assert "宝妈" in system and "温柔" in system and "80到200字" in system
    assert "- 颜色：白色" in user and "参考：白T文案" in user and "红裙" not in user
    assert (llm.calls[0]["max_tokens"], llm.calls[0]["temperature"]) == (320, 0.6)
    assert llm.calls[0]["repeat_penalty"] == 1.1
    en = build_messages(TEE, "title", lang="en", audience="students")
    assert "Audience: students." in en[0]["content"] and en[1]["content"].startswith("Product facts:")


def test_paperwork_facts_stay_out_of_the_prompt_and_students_hear_the_price():
    facts = TEE + [("执行标准", "GB/T 22849-2014"), ("安全类别", "GB 18401 B类"), ("洗涤说明", "30℃以下水洗")]
    system, user = (m["content"] for m in build_messages(facts, "description", audience="学生党"))
    assert "GB" not in user and "30℃" not in user and "- 价格：69元" in user
    assert "说出价格" in system


def test_a_description_asks_for_the_exemplars_length_within_its_limits():
    short, long_ = "短" * 30, "长" * 150
    store = ExemplarStore([("类型#T恤*颜色#白色", long_), ("类型#T恤*颜色#黑色", long_), ("类型#T恤", short)])
    llm = Recorder([GOOD, GOOD])
    Copywriter(llm, store, k=3).generate(TEE, "description")
    assert "篇幅：约150字" in llm.calls[0]["messages"][1]["content"]  # the median of 30, 150, 150
    Copywriter(llm, ExemplarStore([("类型#T恤", short)]), k=1).generate(TEE, "description")
    assert "篇幅：约80字" in llm.calls[1]["messages"][1]["content"]  # 30 is below the kind's 80
    titles = Recorder(["白色纯棉T恤"])
    Copywriter(titles, store, k=1).generate(TEE, "title")
    assert "篇幅" not in titles.calls[0]["messages"][1]["content"] and titles.calls[0]["repeat_penalty"] is None
    plain = Recorder([GOOD])
    Copywriter(plain).generate(TEE, "description")
    assert "篇幅" not in plain.calls[0]["messages"][1]["content"]  # no exemplars: the kind's own 80 to 200


def test_bad_arguments():
    cw = Copywriter(FakeGenerator([GOOD]))
    with pytest.raises(InvalidInput, match="valid kinds: title, description, selling_points, live_script, social_post"):
        cw.generate(TEE, "poem")
    with pytest.raises(InvalidInput, match="unknown lang"):
        cw.generate(TEE, "title", lang="fr")
    with pytest.raises(InvalidInput, match="no '#'"):
        cw.generate("颜色白色", "title")


def test_a_looping_draft_is_rewritten():
    from shopgen.copywriting.generate import Copywriter
    from shopgen.copywriting.shape import repeated
    from shopgen.models.llm.fake import FakeGenerator

    loop = "纯棉T恤，圆领短袖，春夏适用，" * 8
    clean = (
        "这款纯棉圆领短袖T恤手感柔软透气，版型直筒利落，春夏单穿或打底都合适，白色和黑色两种颜色"
        "百搭不挑人，日常通勤、周末出游都能轻松驾驭，洗后依然挺括有型，是衣橱里少不了的基础款。"
    )
    assert repeated(loop) and repeated(clean) is None
    facts = [
        ("类型", "T恤"),
        ("材质", "纯棉"),
        ("颜色", "白色"),
        ("颜色", "黑色"),
        ("领型", "圆领"),
        ("适用季节", "春夏"),
    ]
    result = Copywriter(FakeGenerator(replies=[loop, clean])).generate(facts, "description")
    assert result.attempts == 2 and result.text == clean
    assert not [i for i in result.issues if i["claim"] == "repetition"]


def test_a_draft_that_borrowed_an_exemplars_facts_is_written_again_without_exemplars():
    from shopgen.copywriting.generate import Copywriter
    from shopgen.models.llm.fake import FakeGenerator

    class Spy(FakeGenerator):
        def __init__(self, replies):
            super().__init__(replies=replies)
            self.prompts = []

        def chat(self, messages, **kw):
            self.prompts.append(messages[-1]["content"])
            return super().chat(messages, **kw)

    borrowed = (
        "来自大牌的黑色牛仔裤，黄色车缝线点缀，黑色裤身显瘦，棉质面料透气舒适，搭配黄色字母印花，"
        "经典直筒版型，无论通勤还是出游都很合适，百搭又有型，让你轻松穿出街头潮流范儿。"
    )
    clean = (
        "这款松紧腰小脚裤穿脱方便，腰部贴合不勒，裤口收束利落显腿直，字母和文字图案点缀裤身，"
        "带来轻松随性的街头感，日常通勤、周末出游都能轻松驾驭，舒适又有个性，是衣橱里的百搭单品。"
    )
    store = ExemplarStore([("类型#裤*颜色#黑色*材质#牛仔布", "参考：黑色牛仔裤文案")])
    spy = Spy([borrowed, clean])
    facts = [("类型", "裤"), ("图案", "字母"), ("图案", "文字"), ("裤腰型", "松紧腰"), ("裤口", "小脚")]
    result = Copywriter(spy, store).generate(facts, "description")
    assert result.attempts == 2 and result.text == clean and result.issues == []
    assert "参考文案" in spy.prompts[0] and "参考文案" not in spy.prompts[1]
    assert "商品信息里没有" in spy.prompts[1]  # the rewrite is told what it made up
