"""A silent voice for unit tests: selected by name (``fake``) only, never a fallback.

Writes a real WAV file (silence, 16 kHz mono, 0.1 s per character) under ``directory``, named like
espeak's by a hash of the text, so everything around a voice (caching, serving the audio, the
panel) can be tested without espeak-ng installed.
"""

from __future__ import annotations

import hashlib
import uuid
import wave
from pathlib import Path

from shopgen.models.speech.base import Speech, check_text, speakers, wav_seconds

RATE = 16_000


class FakeSpeaker:
    name = "fake"
    voice = "silence"

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def path_for(self, text: str) -> Path:
        digest = hashlib.sha1(f"{self.voice}|{check_text(text)}".encode()).hexdigest()[:20]
        return self.directory / f"{digest}.wav"

    def say(self, text: str) -> Speech:
        text = check_text(text)
        path = self.path_for(text)
        if path.is_file():
            return Speech(path, wav_seconds(path), 0.0, self.voice, True)
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{uuid.uuid4().hex}.part")
        with wave.open(str(tmp), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes(b"\x00\x00" * (RATE // 10) * len(text))
        tmp.replace(path)
        return Speech(path, wav_seconds(path), 0.0, self.voice, False)


@speakers.register("fake")
def _fake(settings) -> FakeSpeaker:
    return FakeSpeaker(Path(settings.data_dir) / "live-audio")
