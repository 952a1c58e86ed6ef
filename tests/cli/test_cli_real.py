"""The CLI as a user runs it: a subprocess with the embedded defaults."""

import json
import os
import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.llm


def _shopgen(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPGEN_")}
    env["SHOPGEN_DATA_DIR"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, "-m", "shopgen.cli", *args], capture_output=True, text=True, env=env, timeout=300
    )


def test_llm_chat_answers_in_chinese(real_runtime, tmp_path):
    p = _shopgen(tmp_path, "llm", "chat", "用一句话介绍这款纯棉T恤", "--max-tokens", "48", "--json")
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert re.search(r"[\u4e00-\u9fff]{4,}", data["text"]), data
    assert data["model"] == "qwen2.5-coder-1.5b" and data["completion_tokens"] > 0 and data["seconds"] > 0


def test_doctor_with_the_embedded_defaults(real_runtime, tmp_path):
    p = _shopgen(tmp_path, "doctor", "--json")
    assert p.returncode == 0, p.stdout + p.stderr
    checks = json.loads(p.stdout)["checks"]
    llm = checks["llm"]
    # speed is measured, never asserted: only that the figures are there and sane
    assert llm["backend"] == "llamacpp" and 1 <= llm["tokens"] <= 16 and llm["ttft_s"] > 0
    assert llm["tokens"] == 1 or llm["decode_tokens_per_s"] > 0
    assert checks["embedder"]["model"] == "multilingual-e5-small-q4" and checks["embedder"]["dim"] == 384
    assert checks["database"]["backend"] == "sqlite"
