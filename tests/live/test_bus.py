"""The Redis Streams bus against the real server (skipped with a reason when unreachable)."""

import os
import signal
import subprocess
import sys
import threading
import time

from shopgen.live.bus import RedisBus, Worker
from shopgen.live.normalize import Comment
from tests.live.conftest import REDIS_URL

TEXTS = [
    "包邮吗",
    "扣1",
    "主播好漂亮",
    "这件有XL吗",
    "发货太慢",
    "已拍",
    "五星好评",
    "怎么退货",
    "学生党推荐哪款",
    "上次买的穿了一个月没起球",
]


def _comments(n, room="r1"):
    return [Comment(room, f"u{i}", TEXTS[i % len(TEXTS)], float(i) / 10, id=f"m{i}") for i in range(n)]


def _wait(cond, timeout=60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.05)
    return False


def test_publish_and_worker_counts_once(redis_bus, classifier):
    assert redis_bus.publish(None, _comments(100)) == 100
    w = Worker(redis_bus, "w1", batch=30, block_ms=100, classifier=classifier)
    w.run(until=lambda: redis_bus.lag() == 0)
    assert redis_bus.counts("r1")["_total"] == 100 and redis_bus.seen("r1") == 100
    redis_bus.publish(None, _comments(100))  # the same ids again: at-least-once re-delivery
    Worker(redis_bus, "w2", block_ms=100, classifier=classifier).run(until=lambda: redis_bus.lag() == 0)
    counts = redis_bus.counts("r1")
    assert counts["_total"] == 100 and counts["buy"] == 20
    snap = redis_bus.snapshot("r1")
    assert snap["intents"]["ask"] == 20 and snap["top_questions"][0]["count"] == 10 and snap["complaints"]
    assert redis_bus.rooms() == ["r1"]


def test_killed_worker_entries_claimed_without_double_count(redis_bus, classifier):
    redis_bus.publish(None, _comments(1000))
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "shopgen.cli",
            "live",
            "worker",
            "--redis",
            REDIS_URL,
            "--prefix",
            redis_bus.prefix,
            "--name",
            "doomed",
            "--batch",
            "20",
            "--ack-delay",
            "0.3",
            "--claim-idle-ms",
            "600000",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    survivor = Worker(redis_bus, "survivor", batch=50, block_ms=100, claim_idle_ms=500, classifier=classifier)
    thread = None
    try:

        def doomed_pending():
            info = redis_bus.client.xpending(redis_bus.stream, redis_bus.group)
            return any(c["name"] == "doomed" and int(c["pending"]) > 0 for c in info["consumers"])

        assert _wait(doomed_pending), "the subprocess worker never picked anything up"
        thread = threading.Thread(target=survivor.run, kwargs={"until": lambda: redis_bus.lag() == 0}, daemon=True)
        thread.start()
        time.sleep(0.2)
        assert doomed_pending()
        proc.send_signal(signal.SIGKILL)  # dies between applying a batch and acknowledging it
        proc.wait(10)
        thread.join(60)
        assert not thread.is_alive()
    finally:
        survivor.stop.set()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert survivor.claimed > 0
    assert redis_bus.pending() == 0
    counts = redis_bus.counts("r1")
    assert counts["_total"] == 1000 and redis_bus.seen("r1") == 1000
    assert sum(v for k, v in counts.items() if not k.startswith("_")) == 1000


def test_worker_survives_redis_outage(redis_bus, caplog, classifier):
    """Redis unreachable: the worker logs, backs off, keeps running; once it is back, it resumes."""
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    down = RedisBus(f"redis://127.0.0.1:{port}/0", prefix=redis_bus.prefix, socket_timeout=0.5)
    w = Worker(down, "w", block_ms=100, max_backoff_s=0.2, classifier=classifier)
    t = threading.Thread(target=w.run, daemon=True)
    t.start()
    time.sleep(1.0)
    assert t.is_alive() and w.errors >= 2
    assert "redis unavailable" in caplog.text
    # "the server comes back": point the same worker at the reachable server
    w.bus = redis_bus
    redis_bus.publish(None, _comments(50))
    assert _wait(lambda: redis_bus.counts("r1").get("_total") == 50 and redis_bus.lag() == 0, 30)
    w.stop.set()
    t.join(5)
    assert not t.is_alive()


def test_duplicate_and_flood_filters_match_the_in_process_ones(redis_bus, classifier):
    from shopgen.live.filters import Filters
    from shopgen.live.normalize import normalize

    comments = []
    for i in range(8):  # u-burst: 8 different comments in 0.8 s (burst 5, 1 a second)
        comments.append(Comment("r1", "u-burst", f"第{i}个问题有货吗", 100 + i / 10, id=f"b{i}"))
    comments += [
        Comment("r1", "u-dup", "这件有XL吗", 200.0, id="d1"),
        Comment("r1", "u-dup", "这件有ＸＬ吗", 205.0, id="d2"),  # the same once normalised, 5 s later
        Comment("r1", "u-dup", "这件有XL吗", 230.0, id="d3"),  # 25 s later: not a duplicate
        Comment("r1", "", "扣1", 300.0, id="a1"),
        Comment("r1", "", "扣1", 301.0, id="a2"),  # anonymous repeat
        Comment("r1", "u-spam", "加我vx abc12345 领福利", 400.0, id="s1"),
    ]
    expected: dict[str, int] = {}
    filters = Filters()
    for c in comments:
        reason = filters.check(c.room, c.user, c.text, normalize(c.text).key, c.ts)
        if reason:
            expected[reason] = expected.get(reason, 0) + 1
    assert expected == {"flood": 3, "duplicate": 2, "spam:contact": 1}  # the in-process rules, as a reference

    redis_bus.publish(None, comments)
    Worker(redis_bus, "w1", batch=4, block_ms=100, classifier=classifier).run(until=lambda: redis_bus.lag() == 0)
    snap = redis_bus.snapshot("r1")
    assert snap["dropped"] == expected
    assert snap["comments"] == len(comments) - sum(expected.values())
    redis_bus.publish(None, comments)  # re-delivered: nothing judged or counted twice
    Worker(redis_bus, "w2", block_ms=100, classifier=classifier).run(until=lambda: redis_bus.lag() == 0)
    assert redis_bus.snapshot("r1")["dropped"] == expected


def test_filters_can_be_switched_off(redis_bus, classifier):
    from shopgen.live.filters import FilterSettings

    bus = RedisBus(
        REDIS_URL,
        prefix=redis_bus.prefix + "-off",
        client=redis_bus.client,
        filters=FilterSettings(spam=False, duplicate_window_s=0, flood_rate=0),
    )
    bus.ensure_group()
    try:
        bus.publish(
            None,
            [Comment("r1", "u", "这件有XL吗", float(i) / 10, id=f"x{i}") for i in range(10)]
            + [Comment("r1", "u", "加我vx abc12345", 5.0, id="s")],
        )
        Worker(bus, "w", block_ms=100, classifier=classifier).run(until=lambda: bus.lag() == 0)
        assert bus.snapshot("r1")["dropped"] == {} and bus.counts("r1")["_total"] == 11
    finally:
        bus.delete_all()


def test_snapshot_groups_questions_like_the_in_process_clusters(redis_bus):
    """A question joins its most similar cluster, not the first one above the threshold."""
    redis_bus.client.zadd(redis_bus.key("r1", "questions"), {"abcd": 5, "cdefg": 4, "abcdefg": 3})
    top = redis_bus.snapshot("r1")["top_questions"]
    # "abcdefg" is 0.67 like "abcd" but 0.8 like "cdefg"
    assert [(q["question"], q["count"], q["examples"]) for q in top] == [
        ("cdefg", 7, ["cdefg", "abcdefg"]),
        ("abcd", 5, ["abcd"]),
    ]
