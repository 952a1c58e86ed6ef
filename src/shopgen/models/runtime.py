"""Lazily built, shared model instances for one process (the app or one CLI call).

:class:`Runtime` is the one owner of loaded models: the generator, the embedders, the voice, the
vision models (cut-outs), and
the small task models (sentiment, the assistant's and the live copilot's intent). Each is built
once, on first use, and shared; concurrent first calls never build one twice.

The task models belong to domain packages that this layer must not import, so their loaders are
handed in by the composition root (:func:`shopgen.server.model_loaders`): a loader takes the model's
name (None: the default) and the runtime (for what the model needs, such as an embedder) and
returns the loaded model. An unknown kind is a ConfigError naming the known ones.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

from shopgen.core.errors import ConfigError
from shopgen.models.embed import Embedder, create_embedder
from shopgen.models.llm import TextGenerator, create_llm

Loader = Callable[[str | None, "Runtime"], object]


class Runtime:
    """Holds each model once per process, created on first use.

    ``llm``, ``embedder`` and ``speaker`` may be given ready-made (tests pass fakes this way);
    ``loaders`` maps a task-model kind to its loader (see the module docstring).
    """

    def __init__(
        self,
        settings,
        *,
        llm: TextGenerator | None = None,
        embedder: Embedder | None = None,
        speaker=None,
        loaders: Mapping[str, Loader] | None = None,
    ) -> None:
        self.settings = settings
        self.loaders: dict[str, Loader] = dict(loaders or {})
        self._made: dict[tuple, object] = {}
        self._locks: dict[tuple, threading.Lock] = {}
        self._lock = threading.Lock()
        self._embedder_given = embedder is not None
        for key, given in ((("llm",), llm), (("embedder", None), embedder), (("speaker",), speaker)):
            if given is not None:
                self._made[key] = given

    def provide(self, loaders: Mapping[str, Loader]) -> None:
        """Add loaders for the kinds that have none yet (a runtime built by a test keeps its own)."""
        for kind, loader in loaders.items():
            self.loaders.setdefault(kind, loader)

    def _once(self, key: tuple, make: Callable[[], object]):
        try:
            return self._made[key]
        except KeyError:
            pass
        with self._lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:  # per model, so a model that loads another (the ensemble) does not deadlock
            if key not in self._made:
                self._made[key] = make()
            return self._made[key]

    # -- generation, embeddings, voice ---------------------------------------------------------

    def llm(self) -> TextGenerator:
        return self._once(("llm",), lambda: create_llm(self.settings))

    def embedder(self, backend: str | None = None) -> Embedder:
        """The embedder ``settings.embed_backend`` names, or the one named ``backend`` (a model
        trained on one embedder's vectors asks for it by name: the sentiment head wants ``e5``)."""
        if backend is None or (backend == self.settings.embed_backend and not self._embedder_given):
            return self._once(("embedder", None), lambda: create_embedder(self.settings))
        return self._once(("embedder", backend), lambda: create_embedder(self.settings, backend))

    def speaker(self):
        """The virtual host's voice (``shopgen.models.speech``), created on first use."""
        from shopgen.models.speech import create_speaker

        return self._once(("speaker",), lambda: create_speaker(self.settings))

    def vision(self, name: str | None = None):
        """A segmentation model (``shopgen.models.vision``) by name (default: the setting), created
        once on first use; its weights load on its first prediction."""
        from shopgen.models.vision import create_segmenter

        key = name or self.settings.vision_segmenter
        return self._once(("vision", key), lambda: create_segmenter(self.settings, key))

    # -- task models -----------------------------------------------------------------------------

    def model(self, kind: str, name: str | None = None):
        """The ``kind`` model called ``name`` (None: its default), loaded once."""
        try:
            loader = self.loaders[kind]
        except KeyError:
            known = ", ".join(sorted(self.loaders)) or "none"
            raise ConfigError(f"no loader for {kind} models in this runtime (known: {known})") from None
        return self._once((kind, None if name is None else str(name)), lambda: loader(name, self))

    def sentiment(self, name: str | None = None):
        """A sentiment model (``linear``, ``ensemble`` or a path); default ``settings.sentiment_model``."""
        return self.model("sentiment", name or self.settings.sentiment_model)

    def intent(self, name: str | None = None):
        """The assistant's shopper-turn intent model (the shipped one, or a path)."""
        return self.model("intent", name)

    def live_intent(self, name: str | None = None):
        """The live copilot's comment intent model (the shipped one, or a path)."""
        return self.model("live-intent", name)
