"""Admission control for generation: bounded per caller and overall, answered at once."""

import pytest

from shopgen.core.errors import Busy, RateLimited
from shopgen.http.gate import GenerationGate


def test_per_caller_then_overall_limits():
    gate = GenerationGate(overall=3, per_caller=2)
    a1, a2 = gate.admit("key:a"), gate.admit("key:a")
    with pytest.raises(RateLimited) as one:
        gate.admit("key:a")
    assert one.value.http_status == 429 and int(one.value.headers["Retry-After"]) >= 1
    b1 = gate.admit("key:b")
    with pytest.raises(Busy) as full:
        gate.admit("key:c")
    assert full.value.http_status == 503 and int(full.value.headers["Retry-After"]) >= 1
    a1.release()
    a1.release()  # a ticket frees its slot once
    assert gate.stats()["in_flight"] == 2
    gate.admit("key:c").release()
    for t in (a2, b1):
        t.release()
    assert gate.stats() == {**gate.stats(), "in_flight": 0, "callers": 0}


def test_retry_after_grows_with_the_work_in_flight_and_is_capped():
    gate = GenerationGate(overall=3, per_caller=3, typical_seconds=10)
    tickets = [gate.admit("key:a") for _ in range(3)]
    with pytest.raises(Busy) as e:
        gate.admit("key:b")
    assert e.value.retry_after == 30  # three answers ahead, about ten seconds each
    for t in tickets:
        t.release()
    big = GenerationGate(overall=40, per_caller=40, typical_seconds=10)
    tickets = [big.admit("key:a") for _ in range(40)]
    with pytest.raises(RateLimited) as e:
        big.admit("key:a")
    assert e.value.retry_after == 120  # never more than two minutes


def test_a_slot_is_freed_when_the_work_fails():
    gate = GenerationGate(overall=1, per_caller=1)
    with pytest.raises(ValueError), gate.slot("key:a"):
        raise ValueError("model crashed")
    gate.admit("key:a").release()  # admitted again: the failed one gave its slot back
