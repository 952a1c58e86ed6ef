"""The contract every text generator passes: the same tests, run against each backend.

``fake`` by name, ``openai`` against a scripted OpenAI-compatible server (an httpx transport that
answers like one, so no socket is needed), ``llamacpp`` with the embedded model (marked ``llm``).
"""

import json

import httpx
import pytest

from shopgen.core.errors import InvalidInput
from shopgen.core.settings import Settings
from shopgen.models.llm import ChatResult, create_llm
from shopgen.models.llm.openai import OpenAIGenerator

MSG = [{"role": "system", "content": "用一句话回答。"}, {"role": "user", "content": "包邮吗？"}]
BAD = [
    ([], "no messages"),
    ([{"role": "robot", "content": "x"}], "role"),
    ([{"role": "user", "content": " "}], "non-empty"),
    ([{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}], "last message"),
]


class LLMContract:
    """Subclasses provide an ``llm`` fixture."""

    def test_names_itself_and_its_model(self, llm):
        assert isinstance(llm.name, str) and llm.name
        assert isinstance(llm.model, str) and llm.model

    def test_chat_returns_text_with_counts(self, llm):
        r = llm.chat(MSG, max_tokens=16, temperature=0.0)
        assert isinstance(r, ChatResult) and isinstance(r.text, str) and r.text.strip()
        assert r.prompt_tokens >= 0 and r.completion_tokens >= 0 and r.seconds >= 0
        assert json.loads(json.dumps(r.to_dict()))["text"] == r.text

    def test_a_seeded_call_answers(self, llm):
        assert llm.chat(MSG, max_tokens=8, temperature=0.8, seed=7).text.strip()

    def test_stream_yields_pieces_of_text(self, llm):
        pieces = list(llm.stream(MSG, max_tokens=16, temperature=0.0))
        assert pieces and all(isinstance(p, str) for p in pieces) and "".join(pieces).strip()

    @pytest.mark.parametrize("messages, match", BAD)
    def test_bad_messages_are_refused_before_generating(self, llm, messages, match):
        with pytest.raises(InvalidInput, match=match):
            llm.chat(messages)
        with pytest.raises(InvalidInput, match=match):
            list(llm.stream(messages))


class TestFake(LLMContract):
    @pytest.fixture
    def llm(self, tmp_path):
        return create_llm(Settings(data_dir=tmp_path, llm_backend="fake"))


def openai_server(req: httpx.Request) -> httpx.Response:
    """Answers /chat/completions like an OpenAI-compatible server: the last user message, echoed."""
    body = json.loads(req.content)
    text = "回声：" + body["messages"][-1]["content"]
    if body.get("stream"):
        events = [{"choices": [{"delta": {"content": ch}}]} for ch in text]
        sse = "".join(f"data: {json.dumps(e, ensure_ascii=False)}\n\n" for e in events) + "data: [DONE]\n\n"
        return httpx.Response(200, text=sse, headers={"content-type": "text/event-stream"})
    return httpx.Response(
        200,
        json={
            "model": body["model"],
            "choices": [{"message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 7, "completion_tokens": len(text)},
        },
    )


class TestOpenAI(LLMContract):
    @pytest.fixture
    def llm(self, tmp_path):
        s = Settings(data_dir=tmp_path, openai_base_url="http://llm.test/v1", openai_model="served")
        client = httpx.Client(base_url="http://llm.test/v1", transport=httpx.MockTransport(openai_server))
        return OpenAIGenerator(s, client=client)

    def test_the_seed_is_sent_as_openais_seed_field(self, tmp_path):
        sent = []

        def server(req):
            sent.append(json.loads(req.content))
            return openai_server(req)

        s = Settings(data_dir=tmp_path, openai_base_url="http://llm.test/v1", openai_model="served")
        llm = OpenAIGenerator(
            s, client=httpx.Client(base_url="http://llm.test/v1", transport=httpx.MockTransport(server))
        )
        llm.chat(MSG, seed=11)
        llm.chat(MSG)
        assert sent[0]["seed"] == 11 and "seed" not in sent[1]


@pytest.mark.llm
class TestLlamaCpp(LLMContract):
    @pytest.fixture
    def llm(self, real_runtime):
        return real_runtime.llm()

    def test_a_seed_fixes_the_sampling(self, llm):
        ask = [{"role": "user", "content": "给一件纯棉T恤写一句广告语。"}]
        first = llm.chat(ask, max_tokens=16, temperature=1.0, seed=3).text
        assert llm.chat(ask, max_tokens=16, temperature=1.0, seed=3).text == first
        others = {llm.chat(ask, max_tokens=16, temperature=1.0, seed=k).text for k in (4, 5, 6)}
        assert others - {first}  # other seeds draw other words
