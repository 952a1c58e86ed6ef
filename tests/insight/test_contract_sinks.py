"""The contract every alert sink passes: the same tests, run against each registered sink
(``studio``: the alert log in the data dir; ``webhook``: a real HTTP server on loopback)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from shopgen.insight.sinks import SINKS, read_studio_log

ALERTS = [
    {"scope": "brand:A", "time": "2026-10-20T00:00:00", "metric": "negative_rate", "value": 0.6},
    {"scope": "all", "time": "2026-10-20T00:00:00", "metric": "volume", "value": 120},
]


def test_every_registered_sink_has_a_contract_run():
    assert SINKS.names() == ["studio", "webhook"]


class SinkContract:
    """Subclasses provide ``sink`` (delivering), ``broken_sink`` (failing) and ``delivered()``."""

    def test_delivers_every_alert_and_reports_it(self, sink, delivered):
        r = sink.send(ALERTS)
        assert r["sent"] == 2 and r["failed"] == 0 and r["errors"] == []
        assert delivered() == ALERTS

    def test_nothing_to_send(self, sink, delivered):
        assert sink.send([])["sent"] == 0 and delivered() == []

    def test_a_failure_is_counted_and_named_never_raised(self, broken_sink):
        r = broken_sink.send(ALERTS)
        assert r["sent"] == 0 and r["failed"] == 2 and r["errors"] and all(isinstance(e, str) for e in r["errors"])


class TestStudio(SinkContract):
    @pytest.fixture
    def sink(self, tmp_path):
        return SINKS.create("studio", tmp_path)

    @pytest.fixture
    def delivered(self, tmp_path):
        return lambda: read_studio_log(tmp_path)

    @pytest.fixture
    def broken_sink(self, tmp_path):
        (tmp_path / "insight").write_text("a file where the log's folder should be")
        return SINKS.create("studio", tmp_path)


class _Hook(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the http.server API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.server.status == 200:
            self.server.received.append(body)
        self.send_response(self.server.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def hook_server():
    def start(status):
        srv = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
        srv.status, srv.received = status, []
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        return srv

    servers: list = []
    yield start
    for srv in servers:
        srv.shutdown()
        srv.server_close()


class TestWebhook(SinkContract):
    @pytest.fixture
    def server(self, hook_server):
        return hook_server(200)

    @pytest.fixture
    def sink(self, server):
        return SINKS.create("webhook", f"http://127.0.0.1:{server.server_port}/alerts")

    @pytest.fixture
    def delivered(self, server):
        return lambda: server.received

    @pytest.fixture
    def broken_sink(self, hook_server):
        return SINKS.create("webhook", f"http://127.0.0.1:{hook_server(500).server_port}/alerts", timeout=2.0)
