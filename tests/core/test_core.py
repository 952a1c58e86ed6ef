from pathlib import Path

import pytest

from shopgen.core.errors import ConfigError, InvalidInput, MissingExtra, NotFound, ShopgenError
from shopgen.core.lazy import require
from shopgen.core.registry import Registry
from shopgen.core.settings import Settings


def test_registry_unknown_name_lists_valid_ones():
    r: Registry[str] = Registry("widget")
    r.register("b")(lambda: "B")
    r.register("a")(lambda: "A")
    assert r.create("a") == "A"
    with pytest.raises(ConfigError) as exc:
        r.create("nope")
    assert exc.value.message == "unknown widget backend 'nope'; valid: a, b"
    assert exc.value.detail == {"name": "nope", "valid": ["a", "b"]}


def test_errors_share_one_base_and_shape():
    for cls, status in ((InvalidInput, 422), (NotFound, 404), (ConfigError, 500)):
        err = cls("bad thing", {"x": 1})
        assert isinstance(err, ShopgenError)
        assert err.http_status == status
        assert err.to_dict() == {"type": cls.kind, "message": "bad thing", "detail": {"x": 1}}


def test_require_names_the_extra():
    with pytest.raises(MissingExtra) as exc:
        require("surely_not_a_module_xyz", "llm")
    assert "pip install 'shopgen[llm]'" in exc.value.message
    assert require("json", "none").dumps([1]) == "[1]"


def test_settings_read_prefixed_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SHOPGEN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SHOPGEN_LLM_BACKEND", "openai")
    monkeypatch.setenv("SHOPGEN_PORT", "9123")
    s = Settings()
    assert s.data_dir == Path(tmp_path)
    assert s.llm_backend == "openai"
    assert s.port == 9123
    assert s.resolved_database_url() == f"sqlite:///{tmp_path}/shopgen.db"


def test_settings_explicit_database_url_wins(tmp_path):
    s = Settings(data_dir=tmp_path, database_url="postgresql://u@h/db")
    assert s.resolved_database_url() == "postgresql://u@h/db"
