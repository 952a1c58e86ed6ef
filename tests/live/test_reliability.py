"""The live copilot under real recordings and bad input: one invalid comment in a Bilibili
recording is rejected and counted (the replay goes on, and the position is named), a far-future
``ts`` does not blind the room's window, and a replay in a long gap stops when asked."""

from __future__ import annotations

import threading
import time

import pytest

from shopgen.core.errors import InvalidInput
from shopgen.core.settings import Settings
from shopgen.live import replay
from shopgen.live.normalize import Comment
from shopgen.live.pipeline import Copilot
from shopgen.live.window import RoomClock
from shopgen.server import create_app

LONG = "好" * 300


def _d(ts: float, text: str, dmid: int) -> str:
    return f'<d p="{ts},1,25,16777215,1700000000,0,u{dmid},{dmid}">{text}</d>'


def _one_line_xml(tmp_path, texts) -> str:
    """Bilibili's own exports put the whole file on one line."""
    body = "".join(_d(1.0 + i, t, 9000 + i) for i, t in enumerate(texts))
    path = tmp_path / "one_line.xml"
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?><i><chatid>7</chatid>{body}</i>', encoding="utf-8")
    return path


def test_a_too_long_comment_is_rejected_counted_and_named_by_position(tmp_path):
    path = _one_line_xml(tmp_path, ["这件有XL吗", LONG, "扣1"])
    column = path.read_text(encoding="utf-8").index("<d", path.read_text(encoding="utf-8").index("</d>")) + 1
    rejected: list[dict] = []
    comments = replay.read(path, rejected=rejected)
    assert [c.text for c in comments] == ["这件有XL吗", "扣1"]
    assert rejected == [
        {
            "at": f"line 1 column {column} (comment 2)",
            "error": "comment text is too long (300 characters, at most 200)",
        }
    ]
    # without somewhere to put rejects, reading stays strict, and names the same place
    with pytest.raises(InvalidInput) as e:
        replay.read(path)
    assert e.value.message.startswith(f"one_line.xml line 1 column {column} (comment 2): comment text is too long")


def test_rejects_in_csv_and_jsonl_name_their_line(tmp_path):
    csv_path = tmp_path / "c.csv"
    csv_path.write_text(f"text,ts\n包邮吗,1\n{LONG},2\n扣1,3\n", encoding="utf-8")
    rejected: list[dict] = []
    assert [c.text for c in replay.read(csv_path, rejected=rejected)] == ["包邮吗", "扣1"]
    assert [r["at"] for r in rejected] == ["line 3"]
    jl = tmp_path / "c.jsonl"
    jl.write_text('{"room": "r", "text": "包邮吗", "ts": 1}\n{"room": "r", "text": "  ", "ts": 2}\n', encoding="utf-8")
    rejected = []
    assert len(replay.read(jl, rejected=rejected)) == 1
    assert rejected == [{"at": "line 2", "error": "comment text is empty"}]


def test_a_broken_element_in_a_one_line_file_names_its_column(tmp_path):
    path = tmp_path / "broken.xml"
    good = _d(1.0, "好", 1)
    path.write_text(f'<i>{good}<d p="oops,1">坏</d></i>', encoding="utf-8")
    with pytest.raises(InvalidInput) as e:
        replay.read(path, rejected=[])  # not a comment a viewer wrote: the file is wrong
    assert e.value.message == f"broken.xml line 1 column {4 + len(good)} (comment 2): <d p> has 2 fields, expected 8"


@pytest.fixture
def live(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, llm_backend="fake", embed_backend="fake"))
    svc = app.state.live
    yield svc
    for rep in svc.replays.values():
        rep.halt()


def _until(predicate, limit: float = 30.0) -> None:
    """Wait for a background replay (a guard against hanging, not a timing assertion)."""
    deadline = time.monotonic() + limit
    while not predicate():
        assert time.monotonic() < deadline, "the replay did not get there"
        time.sleep(0.02)


def test_a_replay_goes_on_past_a_rejected_comment(live, tmp_path):
    live.open("r1")
    info = live.start_replay("r1", _one_line_xml(tmp_path, ["这件有XL吗", LONG, "扣1"]), None)
    assert info["total"] == 2 and info["rejected"] == 1 and info["rejects"][0]["at"].endswith("(comment 2)")
    _until(lambda: live.replays["r1"].status != "running")
    assert live.room_info("r1")["replay"]["status"] == "done" and live.get("r1").received == 2


def test_a_recording_of_only_invalid_comments_says_so(live, tmp_path):
    live.open("r2")
    with pytest.raises(InvalidInput, match=r"no valid comments \(2 rejected; the first rejected at line 1"):
        live.start_replay("r2", _one_line_xml(tmp_path, [LONG, LONG]), None)


def test_a_replay_waiting_out_a_long_gap_stops_at_once_and_frees_the_room(live, tmp_path):
    path = tmp_path / "gap.jsonl"
    path.write_text(
        '{"room": "r", "user": "a", "text": "扣1", "ts": 0}\n'
        '{"room": "r", "user": "b", "text": "已拍", "ts": 0.1}\n'
        '{"room": "r", "user": "c", "text": "还有吗", "ts": 86400}\n',
        encoding="utf-8",
    )
    live.open("r3")
    live.start_replay("r3", path, 1.0)
    _until(lambda: live.replays["r3"].sent == 2)  # now waiting for the comment a day later
    stopped = live.stop_replay("r3")
    assert stopped["status"] == "stopped" and stopped["sent"] == 2
    assert live.start_replay("r3", path, None)["status"] in ("running", "done")  # not wedged: it starts again


def test_paced_caps_each_wait_and_moves_the_rest_up():
    cs = [Comment("r", "u", t, ts) for t, ts in (("a", 0.0), ("b", 1.0), ("c", 7200.0), ("d", 7201.0))]
    now, slept = [0.0], []

    def sleep(s):
        slept.append(round(s, 3))
        now[0] += s

    out = [[c.text for c in b] for b in replay.paced(cs, 1.0, clock=lambda: now[0], sleep=sleep, max_wait=10.0)]
    assert out == [["a"], ["b"], ["c"], ["d"]] and slept == [1.0, 10.0, 1.0]


def test_paced_returns_when_stopped_while_waiting():
    stop = threading.Event()
    cs = [Comment("r", "u", "a", 0.0), Comment("r", "u", "b", 86400.0)]
    batches = replay.paced(cs, 1.0, stop=stop)
    assert [c.text for c in next(batches)] == ["a"]
    threading.Timer(0.05, stop.set).start()
    assert list(batches) == []  # the day-long wait ended with the stop


# ---- the room clock --------------------------------------------------------------------------


def _buy(i: int, ts: float) -> Comment:
    return Comment("r", f"u{i}", "扣1", ts)


def test_one_far_future_ts_does_not_blind_the_window(classifier):
    cop = Copilot("r", classifier=classifier)
    cop.ingest_many([_buy(i, 1000.0 + i) for i in range(5)])
    cop.ingest(_buy(99, 9e12))  # a wrong clock, or milliseconds sent as seconds
    cop.ingest_many([_buy(100 + i, 1005.0 + i) for i in range(5)])
    snap = cop.snapshot()
    assert snap["intents"]["buy"] == 11  # every comment counted, the outlier at the room's time
    assert snap["now"] == 1009.0 and snap["clamped_ts"] == 1
    assert max(b["t"] for b in snap["sentiment"]) == 1000.0


def test_a_real_gap_in_the_stream_moves_the_clock(classifier):
    cop = Copilot("r", classifier=classifier)
    cop.ingest_many([_buy(i, 1000.0 + i) for i in range(5)])
    cop.ingest_many([_buy(100 + i, 8200.0 + i) for i in range(4)])  # two hours later: a break
    snap = cop.snapshot()
    assert snap["now"] == 8203.0 and snap["clamped_ts"] == 2  # two waited for the third to agree


def test_a_room_whose_first_comment_was_the_outlier_recovers(classifier):
    cop = Copilot("r", classifier=classifier)
    cop.ingest(_buy(0, 9e12))
    cop.ingest_many([_buy(i, 1000.0 + i) for i in range(1, 6)])
    snap = cop.snapshot()
    assert snap["now"] == 1005.0 and snap["intents"]["buy"] == 5  # the outlier's bucket is gone


def test_room_clock_rules():
    clock = RoomClock(max_gap=600, confirm=3)
    assert [clock.admit(ts) for ts in (10.0, 11.0, 12.0)] == [(10.0, False), (11.0, False), (12.0, False)]
    assert clock.admit(5000.0) == (12.0, False) and clock.admit(13.0) == (13.0, False)  # the streak broke
    assert clock.admit(-5000.0) == (-5000.0, False)  # late: passed on (the window drops it)
    assert clock.now == 13.0 and clock.clamped == 1
