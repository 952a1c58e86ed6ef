"""What every voice backend is: a :class:`Speaker` that turns text into a WAV file (:class:`Speech`)."""

from __future__ import annotations

import wave
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from shopgen.core.errors import InvalidInput
from shopgen.core.registry import Registry

MAX_CHARS = 600


@dataclass
class Speech:
    path: Path
    seconds: float  # audio length
    synth_seconds: float  # wall time to make it (0 when it came from the cache)
    voice: str
    cached: bool

    @property
    def rtf(self) -> float | None:
        return round(self.synth_seconds / self.seconds, 4) if self.seconds and not self.cached else None

    def to_dict(self) -> dict:
        d = asdict(self)
        d["path"], d["file"], d["rtf"] = str(self.path), self.path.name, self.rtf
        return d


class Speaker(Protocol):
    name: str
    voice: str

    def say(self, text: str) -> Speech: ...


speakers: Registry[Speaker] = Registry("tts")


def check_text(text: object) -> str:
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("nothing to say: the text is empty")
    text = " ".join(text.split())
    if len(text) > MAX_CHARS:
        raise InvalidInput(f"text is too long to speak ({len(text)} characters, at most {MAX_CHARS})")
    return text


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / float(w.getframerate())
