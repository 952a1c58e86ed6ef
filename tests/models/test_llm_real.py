"""The embedded LLM for real: llama.cpp in-process, and the OpenAI client against
llama-cpp-python's own OpenAI-compatible server running the same model on loopback."""

import re
import socket
import subprocess
import sys
import time

import httpx
import pytest

from shopgen.core.errors import BackendError
from shopgen.models import sources
from shopgen.models.llm.openai import OpenAIGenerator

pytestmark = pytest.mark.llm

HAN = re.compile(r"[\u4e00-\u9fff]")
FACTS = [
    {"role": "system", "content": "你是网店客服。只根据给出的商品信息回答，用中文，一句话。"},
    {
        "role": "user",
        "content": "商品信息：纯棉圆领T恤，材质100%棉，售价79元，颜色白色和黑色。\n问题：这件T恤是什么材质的？",
    },
]


def test_llamacpp_answers_in_chinese_from_the_facts(real_runtime):
    llm = real_runtime.llm()
    r = llm.chat(FACTS, max_tokens=40, temperature=0.0)
    assert HAN.search(r.text), r.text
    assert "棉" in r.text
    assert r.prompt_tokens > 20 and 0 < r.completion_tokens <= 40
    assert r.model == "qwen2.5-coder-1.5b"


def test_llamacpp_streams_tokens_and_honours_max_tokens(real_runtime):
    pieces = list(real_runtime.llm().stream(FACTS, max_tokens=8, temperature=0.0))
    assert 1 <= len(pieces) <= 8
    assert HAN.search("".join(pieces))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def llama_server(real_runtime, tmp_path_factory):
    path = sources.resolve_model(real_runtime.settings)
    port = _free_port()
    # llama.cpp logs ~200 kB while loading: send it to a file, a pipe would fill and block the server
    log = open(tmp_path_factory.mktemp("llama-server") / "server.log", "w+b")
    # the same llama.cpp parameters as the embedded backend (no AMX buffers where they crash)
    launch = (
        "import runpy, sys, llama_cpp\n"
        "from shopgen.models.llm.llamacpp import _model_defaults, use_extra_buffers\n"
        f"with _model_defaults(llama_cpp, use_extra_buffers({real_runtime.settings.llm_extra_buffers!r})):\n"
        "    sys.argv[0] = 'llama_cpp.server'\n"
        "    runpy.run_module('llama_cpp.server', run_name='__main__')\n"
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            launch,
            "--model",
            str(path),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "1024",
            "--n_threads",
            "2",
            "--model_alias",
            "shop-llm",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}/v1"
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            pytest.fail(f"llama_cpp.server exited: {log.read().decode(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{base}/models", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.5)
    else:
        proc.kill()
        proc.wait()
        log.close()
        pytest.fail("llama_cpp.server did not start within 120 s")
    yield base
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


def test_openai_backend_against_a_real_server(llama_server, real_settings):
    s = real_settings.model_copy(update={"openai_base_url": llama_server, "openai_model": "shop-llm"})
    g = OpenAIGenerator(s)
    r = g.chat(FACTS, max_tokens=40, temperature=0.0)
    assert "棉" in r.text and r.completion_tokens > 0
    streamed = "".join(g.stream(FACTS, max_tokens=40, temperature=0.0))
    assert HAN.search(streamed)
    assert streamed.strip() == r.text.strip()  # temperature 0: the same answer either way
    g.close()


def test_openai_backend_reports_a_dead_server(real_settings):
    s = real_settings.model_copy(update={"openai_base_url": f"http://127.0.0.1:{_free_port()}/v1", "openai_retries": 1})
    g = OpenAIGenerator(s)
    with pytest.raises(BackendError, match="unreachable"):
        g.chat(FACTS)
    g.close()
