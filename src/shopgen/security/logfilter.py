"""Masking personal data and secrets in log lines.

``install()`` wraps the process's log-record factory, so every record, from any logger and
for any handler (including the ones uvicorn configures after the app is built), has its
message masked before it is formatted. ``PiiLogFilter`` does the same for one handler.

Secrets go too: the value of a ``key``, ``api_key``, ``token``, ``password`` … query parameter
(uvicorn's access log prints the query string: ``GET /api/live/rooms/r/ws?key=sg_…``) and any
API key (``sg_<id>_<secret>``) wherever it appears.
"""

from __future__ import annotations

import logging
import re

from shopgen.security import pii

HIDDEN = "[hidden]"
_SECRET_PARAM = re.compile(
    r"(?i)([?&;](?:key|api_key|apikey|access_token|token|password|secret|csrf_token)=)[^&#\s\"']*"
)
_API_KEY = re.compile(r"\bsg_[a-z0-9]{8}_[A-Za-z0-9_-]+")


def redact(text: str) -> str:
    """``text`` with secret query values and API keys replaced by ``[hidden]``.

    >>> redact('"WebSocket /api/live/rooms/r/ws?key=sg_abcd1234_s3cr3t&x=1" [accepted]')
    '"WebSocket /api/live/rooms/r/ws?key=[hidden]&x=1" [accepted]'
    """
    if "=" in text:
        text = _SECRET_PARAM.sub(lambda m: m.group(1) + HIDDEN, text)
    if "sg_" in text:
        text = _API_KEY.sub(HIDDEN, text)
    return text


def _mask_record(record: logging.LogRecord, order_pattern: str) -> None:
    """Mask the message template and each argument separately: formatters such as uvicorn's
    access log unpack ``record.args``, so their shape must stay as it was."""

    def m(value):
        return pii.mask(redact(value), order_pattern=order_pattern) if isinstance(value, str) else value

    if isinstance(record.msg, str):
        record.msg = m(record.msg)
    if isinstance(record.args, tuple):
        record.args = tuple(m(a) for a in record.args)
    elif isinstance(record.args, dict):
        record.args = {k: m(v) for k, v in record.args.items()}


class PiiLogFilter(logging.Filter):
    def __init__(self, order_pattern: str = pii.DEFAULT_ORDER_PATTERN) -> None:
        super().__init__()
        self.order_pattern = order_pattern

    def filter(self, record: logging.LogRecord) -> bool:
        _mask_record(record, self.order_pattern)
        return True


def install(order_pattern: str = pii.DEFAULT_ORDER_PATTERN) -> None:
    """Mask every log record of this process from now on (safe to call more than once)."""
    current = logging.getLogRecordFactory()
    base = getattr(current, "_shopgen_base", current)

    def factory(*args, **kwargs):
        record = base(*args, **kwargs)
        _mask_record(record, order_pattern)
        return record

    factory._shopgen_base = base  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
