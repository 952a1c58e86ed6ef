"""Where alerts go: a webhook (POST JSON) or the studio's alert log (JSON Lines in the data dir).

Each sink is an :class:`AlertSink`; ``SINKS`` maps a name to a factory. A failure is counted and
reported back, never silent; one bad delivery does not stop the others.

The studio sink appends to ``<data_dir>/insight/alerts.jsonl``: the studio's 评论洞察 dashboard
and ``GET /api/insight/alerts`` list alerts from there (:mod:`shopgen.insight.overview`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

import httpx

from shopgen.core.registry import Registry
from shopgen.insight.sources import alert_log


class AlertSink(Protocol):
    def send(self, alerts: list[dict]) -> dict:
        """Deliver alerts; returns ``{"sent", "failed", "errors"}``."""
        ...


SINKS: Registry[AlertSink] = Registry("alert sink")


@SINKS.register("webhook")
class WebhookSink:
    """POST each alert as JSON; a non-2xx answer or a network error counts as failed."""

    def __init__(self, url: str, timeout: float = 5.0) -> None:
        self.url, self.timeout = url, timeout

    def send(self, alerts: list[dict]) -> dict:
        sent, errors = 0, []
        with httpx.Client(timeout=self.timeout) as client:
            for alert in alerts:
                try:
                    client.post(self.url, json=alert).raise_for_status()
                    sent += 1
                except httpx.HTTPError as exc:
                    errors.append(f"{alert['scope']} {alert['time']}: {type(exc).__name__}: {exc}")
        return {"sent": sent, "failed": len(errors), "errors": errors[:5]}


@SINKS.register("studio")
class StudioSink:
    """Append alerts to the studio's alert log."""

    def __init__(self, data_dir: str | Path) -> None:
        self.path = alert_log(data_dir)

    def send(self, alerts: list[dict]) -> dict:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as fh:
                for alert in alerts:
                    fh.write(json.dumps(alert, ensure_ascii=False) + "\n")
        except OSError as exc:
            return {"sent": 0, "failed": len(alerts), "errors": [f"{self.path}: {exc.strerror}"]}
        return {"sent": len(alerts), "failed": 0, "errors": [], "path": str(self.path)}


def read_studio_log(data_dir: str | Path) -> list[dict]:
    path = alert_log(data_dir)
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
