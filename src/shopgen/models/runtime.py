"""Lazily built, shared model instances for one process (the app or one CLI call)."""

from __future__ import annotations

import threading

from shopgen.models.embed import Embedder, create_embedder
from shopgen.models.llm import TextGenerator, create_llm


class Runtime:
    """Holds one generator and one embedder per process; each is created once, on first use.

    Concurrent first calls never build a backend twice (a lock guards creation), and
    the backends themselves load their weights lazily under their own locks.
    """

    def __init__(self, settings, *, llm: TextGenerator | None = None, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self._llm = llm
        self._embedder = embedder
        self._speaker = None
        self._vision: dict[str, object] = {}
        self._lock = threading.Lock()

    def llm(self) -> TextGenerator:
        if self._llm is None:
            with self._lock:
                if self._llm is None:
                    self._llm = create_llm(self.settings)
        return self._llm

    def speaker(self):
        """The virtual host's voice (``shopgen.models.speech``), created on first use."""
        if self._speaker is None:
            from shopgen.models.speech import create_speaker

            with self._lock:
                if self._speaker is None:
                    self._speaker = create_speaker(self.settings)
        return self._speaker

    def vision(self, name: str | None = None):
        """A segmentation model (``shopgen.models.vision``) by name (default: the setting), created
        once on first use; its weights load on its first prediction."""
        from shopgen.models.vision import create_segmenter

        key = name or self.settings.vision_segmenter
        if key not in self._vision:
            with self._lock:
                if key not in self._vision:
                    self._vision[key] = create_segmenter(self.settings, key)
        return self._vision[key]

    def embedder(self) -> Embedder:
        if self._embedder is None:
            with self._lock:
                if self._embedder is None:
                    self._embedder = create_embedder(self.settings)
        return self._embedder
