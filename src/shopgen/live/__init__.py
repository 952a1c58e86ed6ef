"""Live-stream copilot (场): comment ingest, real-time intent, dedupe and clustering, auto-replies,
host-panel snapshots, and a Redis Streams bus for N workers.

Public API (what ``api`` / ``web`` / ``cli`` use)::

    from shopgen.live import Classifier, Comment, Copilot, Rooms

- :class:`Comment` ``(room, user, text, ts, id="")`` — validated (InvalidInput on empty, > 200
  characters, binary/control characters); ``id`` derived from room+user+ts+text when not given.
- :class:`Classifier` ``(intent_model, sentiment_model)`` with ``classify(text) -> {"intent",
  "confidence", "sentiment": {"label", "score"}}`` and ``classify_many``; the models come from the
  runtime (``runtime.live_intent()``, ``runtime.sentiment("linear")``).
- :class:`Copilot` ``(room, answerer=None, on_event=None, adapter=None, settings=None, *, classifier)`` with
  ``ingest`` / ``ingest_many`` / ``set_on_stage`` / ``snapshot``; :class:`Rooms` registry.
- :mod:`shopgen.live.replay` reads recordings; :mod:`shopgen.live.bus` is the Redis Streams bus.
"""

from shopgen.live.classify import Classifier
from shopgen.live.intent import LABELS
from shopgen.live.normalize import Comment, normalize
from shopgen.live.pipeline import Adapter, Answerer, AssistantAnswerer, Copilot, CopilotSettings, InMemoryAdapter, Rooms

__all__ = [
    "LABELS",
    "Adapter",
    "Answerer",
    "AssistantAnswerer",
    "Classifier",
    "Comment",
    "Copilot",
    "CopilotSettings",
    "InMemoryAdapter",
    "Rooms",
    "normalize",
]
