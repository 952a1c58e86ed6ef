"""The contract every voice passes: the same tests, run against each backend (``fake`` by name,
``espeak`` with Debian's espeak-ng, required in CI as ``tts``)."""

import shutil
import wave

import pytest

from shopgen.core.errors import InvalidInput
from shopgen.core.settings import Settings
from shopgen.models.speech import MAX_CHARS, create_speaker, speakers
from tests.conftest import need


class SpeakerContract:
    """Subclasses provide a ``speaker`` fixture (writing under ``tmp_path``)."""

    def test_names_itself_and_its_voice(self, speaker):
        assert speaker.name in speakers.names() and isinstance(speaker.voice, str) and speaker.voice

    def test_say_writes_a_wav_in_its_directory(self, speaker):
        s = speaker.say("欢迎来到直播间，这款T恤是纯棉的")
        assert s.path.is_file() and s.path.suffix == ".wav" and s.path.parent == speaker.directory
        assert s.seconds > 0 and not s.cached and s.voice == speaker.voice
        with wave.open(str(s.path)) as w:
            assert w.getnframes() / w.getframerate() == pytest.approx(s.seconds)
        d = s.to_dict()
        assert d["file"] == s.path.name and d["path"] == str(s.path)

    def test_the_same_text_comes_from_the_cache(self, speaker):
        first = speaker.say("包邮的，今天下单明天发货")
        again = speaker.say("  包邮的，今天下单明天发货 ")  # the same once whitespace is collapsed
        assert again.cached and again.path == first.path and again.synth_seconds == 0.0 and again.rtf is None

    @pytest.mark.parametrize("text, match", [("   ", "empty"), ("好" * (MAX_CHARS + 1), "too long")])
    def test_bad_text_is_refused(self, speaker, text, match):
        with pytest.raises(InvalidInput, match=match):
            speaker.say(text)


class TestFake(SpeakerContract):
    @pytest.fixture
    def speaker(self, tmp_path):
        return create_speaker(Settings(data_dir=tmp_path, voice_backend="fake"))


class TestEspeak(SpeakerContract):
    @pytest.fixture
    def speaker(self, tmp_path):
        need("tts", shutil.which("espeak-ng") is not None, "espeak-ng is not installed (scripts/system-deps.sh)")
        return create_speaker(Settings(data_dir=tmp_path, voice_backend="espeak"))
