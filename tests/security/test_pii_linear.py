"""Masking is linear in its input: the work is counted, not timed.

Every address-part pattern is wrapped in a counter that fails the test as soon as the work
goes past a fixed budget per character, so a quadratic walk fails quickly (instead of running
for minutes) and a linear one passes for any length. The time figures are in BENCHMARKS.md.
"""

from __future__ import annotations

import pytest

from shopgen.security import pii

# a pattern is tried at most ~13 times per state (11 parts, the gap, a bare room) and a run of
# parts has at most two states per character, plus one start per character
MATCHES_PER_CHAR = 40


class _Counted:
    def __init__(self, pattern, counter: list[int], budget: int):
        self.pattern, self.counter, self.budget = pattern, counter, budget

    def match(self, *args):
        self.counter[0] += 1
        if self.counter[0] > self.budget:
            raise AssertionError(f"more than {self.budget} pattern matches: masking is not linear")
        return self.pattern.match(*args)


@pytest.fixture
def counted(monkeypatch):
    """Count every address-pattern match during one call; returns the call's count."""

    parts, bare_room, gap = pii._PARTS, pii._BARE_ROOM, pii._GAP

    def run(fn, text: str):
        counter = [0]
        budget = MATCHES_PER_CHAR * max(len(text), 1)
        monkeypatch.setattr(pii, "_PARTS", [(k, _Counted(p, counter, budget), s) for k, p, s in parts])
        monkeypatch.setattr(pii, "_BARE_ROOM", _Counted(bare_room, counter, budget))
        monkeypatch.setattr(pii, "_GAP", _Counted(gap, counter, budget))
        return fn(text), counter[0]

    return run


@pytest.mark.parametrize(
    "unit",
    ["区", "北京市朝阳区", "区，", "文三路", "3栋", "1单元", "12号", "幸福里小区"],
)
def test_work_grows_linearly_with_runs_of_place_characters(counted, unit):
    small, n_small = counted(pii.mask, unit * 200)
    large, n_large = counted(pii.mask, unit * 4000)
    # twenty times the text costs at most about twenty times the work (plus a constant)
    assert n_large <= 20 * n_small + 100
    assert n_large <= MATCHES_PER_CHAR * len(unit * 4000)


def test_twenty_thousand_district_characters_are_left_alone(counted):
    text = "区" * 20_000
    masked, work = counted(pii.mask, text)
    assert masked == text  # a run of district names alone is no address anyone can visit
    assert work <= MATCHES_PER_CHAR * len(text)


def test_an_address_after_a_long_run_is_still_found(counted):
    text = "区" * 20_000 + "，寄到浙江省杭州市西湖区文三路90号3栋201室"
    masked, _ = counted(pii.mask, text)
    assert masked == "区" * 20_000 + "，寄到[地址]"


def test_a_long_run_that_reaches_a_street_is_one_address(counted):
    masked, _ = counted(pii.mask, "区" * 20_000 + "文三路90号")
    assert masked == "[地址]"


def test_many_findings_in_one_text_are_each_masked():
    """Thousands of findings: the overlap check must not compare each with all the others."""
    text = "电话13812345678，邮箱a@b.cn；" * 5_000
    assert pii.mask(text) == "电话[手机号]，邮箱[邮箱]；" * 5_000
    assert len(pii.find(text)) == 10_000
