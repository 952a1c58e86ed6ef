"""LLM backends: the fake (by name only), and the OpenAI-compatible client against a scripted transport."""

import json

import httpx
import pytest

from shopgen.core.errors import BackendError, ConfigError, InvalidInput
from shopgen.core.settings import Settings
from shopgen.models.llm import create_llm
from shopgen.models.llm.fake import FakeGenerator
from shopgen.models.llm.openai import OpenAIGenerator

MSG = [{"role": "user", "content": "包邮吗？"}]


def test_backends_are_chosen_by_name(tmp_path):
    assert create_llm(Settings(data_dir=tmp_path, llm_backend="fake")).name == "fake"
    assert create_llm(Settings(data_dir=tmp_path, llm_backend="llamacpp")).name == "llamacpp"  # lazy: no load yet
    with pytest.raises(ConfigError, match="valid: fake, llamacpp, openai"):
        create_llm(Settings(data_dir=tmp_path, llm_backend="gpt"))


def test_fake_scripted_and_echo():
    g = FakeGenerator(["甲", "乙"])
    assert [g.chat(MSG).text for _ in range(3)] == ["甲", "乙", "甲"]
    assert "".join(FakeGenerator().stream(MSG)) == "回声：包邮吗？"


@pytest.mark.parametrize(
    "messages, match",
    [
        ([], "no messages"),
        ([{"role": "robot", "content": "x"}], "role"),
        ([{"role": "user", "content": " "}], "non-empty"),
        ([{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}], "last message"),
    ],
)
def test_messages_are_checked(messages, match):
    with pytest.raises(InvalidInput, match=match):
        FakeGenerator().chat(messages)


def _openai(handler, retries=2):
    s = Settings(openai_base_url="http://llm.test/v1", openai_retries=retries, openai_model="m", openai_api_key="k")
    client = httpx.Client(base_url="http://llm.test/v1", transport=httpx.MockTransport(handler))
    return OpenAIGenerator(s, client=client)


def _completion(text="好的"):
    return {
        "model": "m",
        "choices": [{"message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 5, "completion_tokens": 2},
    }


def test_openai_retries_transient_failures(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda s: None)
    calls = []

    def handler(req):
        calls.append(json.loads(req.content))
        return httpx.Response(503, text="busy") if len(calls) < 3 else httpx.Response(200, json=_completion())

    r = _openai(handler).chat(MSG, max_tokens=9, stop=["。"])
    assert r.text == "好的" and r.prompt_tokens == 5 and len(calls) == 3
    assert calls[0]["max_tokens"] == 9 and calls[0]["stop"] == ["。"] and calls[0]["model"] == "m"


def test_openai_gives_up_with_a_clear_error(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda s: None)

    def handler(req):
        raise httpx.ConnectError("refused")

    with pytest.raises(BackendError, match="http://llm.test/v1 unreachable"):
        _openai(handler, retries=1).chat(MSG)


def test_openai_client_errors_are_not_retried():
    calls = []

    def handler(req):
        calls.append(1)
        return httpx.Response(400, json={"error": {"message": "context too long"}})

    with pytest.raises(InvalidInput, match="refused the request \\(400\\)"):
        _openai(handler).chat(MSG)
    assert len(calls) == 1


def test_openai_stream_parses_sse():
    chunks = ["data: " + json.dumps({"choices": [{"delta": {"content": t}}]}) for t in ["七天", "无理由", "退货"]]
    body = (
        "\n\n".join([": keep-alive", 'data: {"choices":[{"delta":{"role":"assistant"}}]}', *chunks, "data: [DONE]"])
        + "\n\n"
    )

    def handler(req):
        assert json.loads(req.content)["stream"] is True
        return httpx.Response(200, text=body, headers={"content-type": "text/event-stream"})

    assert list(_openai(handler).stream(MSG)) == ["七天", "无理由", "退货"]


def test_extra_buffers_are_off_on_amx_cpus_unless_forced():
    from shopgen.models.llm.llamacpp import cpu_has_amx, use_extra_buffers

    amx = "processor\t: 0\nflags\t\t: fpu sse avx2 avx512f amx_bf16 amx_int8 amx_tile\n"
    epyc = "processor\t: 0\nflags\t\t: fpu sse avx2 avx512f\n"
    assert cpu_has_amx(amx) and not cpu_has_amx(epyc)
    assert use_extra_buffers("auto", amx) is False and use_extra_buffers("auto", epyc) is True
    assert use_extra_buffers("on", amx) is True and use_extra_buffers("off", epyc) is False
