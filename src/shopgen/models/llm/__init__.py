"""Text generation backends: ``llamacpp`` (embedded default), ``openai`` (any
OpenAI-compatible server) and ``fake`` (unit tests, selected by name only)."""

from shopgen.models.llm.base import ChatResult, Message, TextGenerator, llm_backends

__all__ = ["ChatResult", "Message", "TextGenerator", "llm_backends", "create_llm"]


def create_llm(settings) -> TextGenerator:
    """Build the generator named by ``settings.llm_backend``. A remote backend is wrapped so
    personal data is masked before it leaves (``settings.pii_mask_remote``, on by default).

    Raises ConfigError for an unknown name (listing the valid ones).
    """
    # importing the modules registers their backends
    from shopgen.models.llm import fake, llamacpp, openai  # noqa: F401
    from shopgen.models.masking import maybe_mask

    return maybe_mask(llm_backends.create(settings.llm_backend, settings), settings)
