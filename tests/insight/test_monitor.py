import datetime as dt
import json
import random
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from shopgen.core.errors import ImportFailed, InvalidInput
from shopgen.insight import monitor, stream
from shopgen.insight.sinks import SINKS, StudioSink, WebhookSink, read_studio_log

from .conftest import NEGATIVE, POSITIVE

T0 = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
SPIKE_DAY = 20


def synthetic_stream(path, spike_rate=0.7, volume_spike=False):
    """30 days; brand A and B each ~20 texts a day with ~10% negative; brand A goes bad on day 20."""
    rng = random.Random(3)
    rows = []
    for day in range(30):
        for brand in ("A", "B"):
            n = rng.randint(17, 23) + (60 if volume_spike and brand == "B" and day == 25 else 0)
            bad = spike_rate if brand == "A" and day == SPIKE_DAY else 0.1
            for _ in range(n):
                ts = T0 + dt.timedelta(days=day, seconds=rng.randint(0, 86399))
                text = rng.choice(NEGATIVE if rng.random() < bad else POSITIVE)
                rows.append((ts, brand, text))
    rows.sort()
    with open(path, "w", encoding="utf-8") as fh:
        for ts, brand, text in rows:
            fh.write(json.dumps({"ts": ts.isoformat(), "brand": brand, "text": text}, ensure_ascii=False) + "\n")
    return path


def test_negative_spike_fires_at_the_right_bucket_and_nowhere_else(tmp_path, models):
    r = monitor.run(str(synthetic_stream(tmp_path / "s.jsonl")), monitor.Config(), models.sentiment())
    rate = [a for a in r["alerts"] if a["metric"] == "negative_rate"]
    spike_time = (T0 + dt.timedelta(days=SPIKE_DAY)).isoformat()
    assert {(a["scope"], a["time"]) for a in rate} <= {("brand:A", spike_time), ("all", spike_time)}
    a = next(a for a in rate if a["scope"] == "brand:A")
    assert a["time"] == spike_time and a["value"] > 0.5 and a["baseline"] < 0.2 and a["z"] >= 3.5
    assert len(a["evidence"]) == 3 and all(e in NEGATIVE for e in a["evidence"])
    assert not [x for x in r["alerts"] if x["metric"] == "volume"]
    assert r["scopes"] == 3


def test_no_alert_without_a_spike(tmp_path, models):
    r = monitor.run(str(synthetic_stream(tmp_path / "s.jsonl", spike_rate=0.1)), monitor.Config(), models.sentiment())
    assert r["alerts"] == []


def test_volume_anomaly(tmp_path, models):
    r = monitor.run(
        str(synthetic_stream(tmp_path / "s.jsonl", spike_rate=0.1, volume_spike=True)),
        monitor.Config(),
        models.sentiment(),
    )
    vol = [(a["scope"], a["time"][:10]) for a in r["alerts"] if a["metric"] == "volume"]
    assert ("brand:B", "2026-10-26") in vol
    assert {d for _, d in vol} == {"2026-10-26"}


def write_rows(path, rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def test_out_of_order_within_tolerance_is_accepted_beyond_it_rejected(tmp_path):
    rows = [{"ts": "2026-10-01T10:00:00", "text": "好"}, {"ts": "2026-10-01T09:30:00", "text": "好"}]
    items = list(stream.read(write_rows(tmp_path / "a.jsonl", rows), dt.timedelta(hours=1)))
    assert [i.line for i in items] == [1, 2]
    rows.append({"ts": "2026-10-01T08:00:00", "text": "差"})
    with pytest.raises(ImportFailed, match="a.jsonl line 3: timestamp .* is out of order"):
        list(stream.read(write_rows(tmp_path / "a.jsonl", rows), dt.timedelta(hours=1)))


def test_bad_timestamp_and_missing_ts_name_the_line(tmp_path):
    with pytest.raises(ImportFailed, match="line 2: bad timestamp 'yesterday'"):
        list(
            stream.read(
                write_rows(
                    tmp_path / "a.jsonl", [{"ts": "1700000000", "text": "好"}, {"ts": "yesterday", "text": "好"}]
                ),
                dt.timedelta(0),
            )
        )
    with pytest.raises(ImportFailed, match="line 1: no 'ts' column"):
        list(stream.read(write_rows(tmp_path / "b.jsonl", [{"text": "好"}]), dt.timedelta(0)))


def test_scopes_and_windows():
    assert stream.scopes_of({"brand": "北岭", "product_sku": "FZ-1002"}) == ("all", "brand:北岭", "product:FZ-1002")
    assert stream.scopes_of({"scope": "topic:跑绒"}) == ("all", "topic:跑绒")
    assert stream.parse_window("30m") == dt.timedelta(minutes=30)
    assert stream.parse_window("1w") == dt.timedelta(days=7)
    with pytest.raises(InvalidInput):
        stream.parse_window("soon")
    assert stream.parse_ts("2026-10-01T10:00:00Z", "x") == dt.datetime(2026, 10, 1, 10, tzinfo=dt.UTC)


class _Sink(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.headers["Content-Type"], json.loads(body)))
        self.send_response(204 if self.path == "/ok" else 500)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sink():
    _Sink.received = []
    server = HTTPServer(("127.0.0.1", 0), _Sink)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_webhook_posts_each_alert_as_json(sink):
    alerts = [{"scope": "brand:A", "time": "t1", "z": 5.0}, {"scope": "all", "time": "t1", "z": 4.0}]
    assert WebhookSink(f"{sink}/ok").send(alerts) == {"sent": 2, "failed": 0, "errors": []}
    assert _Sink.received == [("application/json", alerts[0]), ("application/json", alerts[1])]


def test_webhook_failures_are_reported(sink):
    r = SINKS.create("webhook", f"{sink}/broken").send([{"scope": "all", "time": "t1"}])
    assert r["sent"] == 0 and r["failed"] == 1 and "HTTPStatusError" in r["errors"][0]
    r = WebhookSink("http://127.0.0.1:9/nothing", timeout=1).send([{"scope": "all", "time": "t1"}])
    assert r["failed"] == 1 and "ConnectError" in r["errors"][0]


def test_studio_sink_appends_to_the_alert_log(tmp_path):
    alerts = [{"scope": "brand:A", "time": "t1"}]
    assert StudioSink(tmp_path).send(alerts)["sent"] == 1
    StudioSink(tmp_path).send(alerts)
    assert read_studio_log(tmp_path) == alerts * 2
    assert read_studio_log(tmp_path / "empty") == []


def test_unknown_sink_lists_the_valid_ones():
    from shopgen.core.errors import ConfigError

    with pytest.raises(ConfigError, match="valid: studio, webhook"):
        SINKS.create("pager")
