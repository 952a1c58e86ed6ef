"""Voice backends (text to speech): ``espeak`` (Debian's espeak-ng, the offline default) and
``fake`` (unit tests, selected by name only). A new voice registers a factory in ``speakers``."""

from shopgen.models.speech.base import MAX_CHARS, Speaker, Speech, check_text, speakers

__all__ = ["MAX_CHARS", "Speaker", "Speech", "check_text", "create_speaker", "speakers"]


def create_speaker(settings, name: str | None = None) -> Speaker:
    """The voice named by ``name`` or ``settings.voice_backend``; an unknown name lists the valid ones."""
    from shopgen.models.speech import espeak, fake  # noqa: F401  (registers)

    return speakers.create(name or settings.voice_backend, settings)
