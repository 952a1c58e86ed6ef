"""Seasons from a product's attributes: the words copy may not use for it, the prompt's rule,
the deterministic fix, and the grounding issue a person's edit gets."""

from shopgen.copywriting import grounding, seasons
from shopgen.copywriting.generate import Copywriter
from shopgen.copywriting.prompts import build_messages
from shopgen.models.llm.fake import FakeGenerator

SUMMER = [("品名", "T恤"), ("类型", "服装"), ("适用季节", "春夏")]


def test_allowed_seasons_come_from_the_season_attributes():
    assert seasons.allowed(SUMMER) == ("春", "夏")
    assert seasons.allowed([("季节", "秋冬")]) == ("秋", "冬")
    assert seasons.allowed([("适用季节", "四季通用")]) == seasons.SEASONS
    assert seasons.allowed([("品名", "杯子")]) == seasons.SEASONS  # no season attribute: no rule


def test_other_seasons_are_contradictions_in_grounding():
    issues = grounding.check("冬日暖阳下，秋冬叠穿也好看，春夏更清爽。", SUMMER)
    season = [(i["type"], i["claim"]) for i in issues if i["aspect"] == "season"]
    assert season == [("contradicted", "冬日"), ("contradicted", "秋冬")]
    assert grounding.check("夏日清爽，春天也能穿。", SUMMER) == []
    assert [i for i in grounding.check("冬日必备", [("季节", "四季")]) if i["aspect"] == "season"] == []


def test_the_prompt_forbids_other_seasons_and_the_copywriter_fixes_them():
    prompt = build_messages(SUMMER, "description")[-1]["content"]
    assert "本商品适用季节：春夏" in prompt and "冬日" in prompt
    assert "适用季节" not in build_messages([("品名", "杯子")], "title")[-1]["content"]
    writer = Copywriter(FakeGenerator(replies=["冬日里也能穿的纯棉T恤"]))
    result = writer.generate(SUMMER, "title")
    assert "冬" not in result.text and "夏日" in result.text
