import json

import pytest

from shopgen.cli.main import run


@pytest.fixture
def shop_env(tmp_path, monkeypatch):
    """Point the CLI at a throwaway shop with the fake backends (by name)."""
    monkeypatch.setenv("SHOPGEN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SHOPGEN_LLM_BACKEND", "fake")
    monkeypatch.setenv("SHOPGEN_EMBED_BACKEND", "fake")
    return tmp_path


@pytest.fixture
def cli(shop_env, capsys):
    """Run the CLI in-process; returns (exit code, stdout, stderr)."""

    def _run(*args):
        code = run(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def as_json(out: str):
    return json.loads(out)
