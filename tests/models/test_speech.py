"""The virtual host voice: espeak-ng's Mandarin voice, WAV files, cached by text."""

import shutil
import wave

import pytest

from shopgen.core.errors import BackendError, InvalidInput
from shopgen.models.speech.espeak import EspeakSpeaker
from tests.conftest import need


@pytest.fixture
def speaker(tmp_path):
    need(
        "tts", shutil.which("espeak-ng") is not None, "espeak-ng is not installed (scripts/system-deps.sh installs it)"
    )
    return EspeakSpeaker(tmp_path)


def test_speaks_chinese_to_a_wav_faster_than_real_time(speaker):
    speech = speaker.say("满九十九元包邮，今天下单明天发货。")
    with wave.open(str(speech.path)) as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2 and w.getnframes() > 0
    assert 1.0 < speech.seconds < 15.0 and not speech.cached
    assert speech.rtf is not None and speech.rtf < 1.0


def test_same_text_comes_from_the_cache(speaker):
    first = speaker.say("欢迎来到直播间")
    again = speaker.say("欢迎来到直播间")
    assert again.cached and again.path == first.path and again.rtf is None


def test_bad_text_and_missing_binary(tmp_path, speaker):
    for bad in ("", "   ", None, "好" * 601):
        with pytest.raises(InvalidInput):
            speaker.say(bad)
    missing = EspeakSpeaker(tmp_path)
    missing.binary = None
    with pytest.raises(BackendError, match="espeak-ng"):
        missing.say("你好")


def test_same_text_from_two_threads_at_once(speaker):
    """The reply pre-render and the browser's /speak call may synthesise one text together."""
    from concurrent.futures import ThreadPoolExecutor

    text = "两个线程同时说这句话"
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: speaker.say(text), range(2)))
    assert results[0].path == results[1].path and results[0].path.is_file()
    assert wav_seconds_of(results[0].path) > 0
    assert not list(speaker.directory.glob("*.part"))


def wav_seconds_of(path):
    with wave.open(str(path)) as w:
        return w.getnframes()
