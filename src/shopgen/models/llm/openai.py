"""Any OpenAI-compatible chat server: vLLM, SGLang, llama.cpp server, Ollama, hosted APIs.

Uses plain ``httpx`` (no SDK). Connection errors, 429 and 5xx are retried with exponential
backoff up to ``settings.openai_retries`` times; a stream is retried only before its first
token. Failures surface as BackendError naming the server.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx

from shopgen.core.errors import BackendError, InvalidInput
from shopgen.models.llm.base import ChatResult, check_messages, llm_backends

RETRY_STATUS = {429, 500, 502, 503, 504}


class OpenAIGenerator:
    name = "openai"
    remote = True  # text leaves this machine: create_llm masks personal data first

    def __init__(self, settings, client: httpx.Client | None = None) -> None:
        self._s = settings
        self.model = settings.openai_model
        headers = {"Authorization": f"Bearer {settings.openai_api_key}"} if settings.openai_api_key else {}
        self._client = client or httpx.Client(
            base_url=settings.openai_base_url.rstrip("/"), headers=headers, timeout=settings.openai_timeout
        )

    def _body(self, messages, max_tokens, temperature, stop, stream: bool, repeat_penalty=None) -> dict:
        body = {
            "model": self.model,
            "messages": check_messages(messages),
            "max_tokens": max_tokens or self._s.llm_max_tokens,
            "temperature": self._s.llm_temperature if temperature is None else temperature,
            "stream": stream,
        }
        if stop:
            body["stop"] = list(stop)
        if repeat_penalty is not None:
            # llama.cpp's multiplicative penalty (1.0 = none) as OpenAI's additive one (0.0 = none)
            body["frequency_penalty"] = max(-2.0, min(2.0, repeat_penalty - 1.0))
        return body

    def _fail(self, exc_or_resp) -> BackendError:
        where = self._s.openai_base_url
        if isinstance(exc_or_resp, httpx.Response):
            text = exc_or_resp.text[:300]
            if 400 <= exc_or_resp.status_code < 500 and exc_or_resp.status_code != 429:
                return InvalidInput(f"LLM server {where} refused the request ({exc_or_resp.status_code}): {text}")
            return BackendError(f"LLM server {where} answered {exc_or_resp.status_code}: {text}")
        return BackendError(f"LLM server {where} unreachable: {exc_or_resp}")

    def _with_retries(self, send):
        last = None
        for attempt in range(self._s.openai_retries + 1):
            if attempt:
                time.sleep(min(0.25 * 2**attempt, 4.0))
            try:
                resp = send()
            except httpx.TransportError as exc:
                last = self._fail(exc)
                continue
            if resp.status_code in RETRY_STATUS:
                resp.read()
                last = self._fail(resp)
                resp.close()
                continue
            if resp.status_code >= 400:
                resp.read()
                resp.close()
                raise self._fail(resp)
            return resp
        raise last

    def close(self) -> None:
        """Close the connection pool (the runtime keeps one client for the process)."""
        self._client.close()

    def chat(
        self, messages, *, max_tokens=None, temperature=None, stop=None, repeat_penalty=None, seed=None
    ) -> ChatResult:
        body = self._body(messages, max_tokens, temperature, stop, stream=False, repeat_penalty=repeat_penalty)
        if seed is not None:
            body["seed"] = seed
        start = time.perf_counter()
        resp = self._with_retries(lambda: self._client.post("/chat/completions", json=body))
        try:
            data = resp.json()
            choice = data["choices"][0]
        except (ValueError, KeyError, IndexError) as exc:
            raise BackendError(f"LLM server {self._s.openai_base_url} sent an unexpected reply: {exc}") from exc
        usage = data.get("usage") or {}
        return ChatResult(
            text=choice["message"].get("content") or "",
            model=data.get("model", self.model),
            prompt_tokens=usage.get("prompt_tokens", 0),
            completion_tokens=usage.get("completion_tokens", 0),
            seconds=time.perf_counter() - start,
            finish_reason=choice.get("finish_reason"),
        )

    def stream(self, messages, *, max_tokens=None, temperature=None, stop=None, repeat_penalty=None) -> Iterator[str]:
        body = self._body(messages, max_tokens, temperature, stop, stream=True, repeat_penalty=repeat_penalty)

        def send():
            req = self._client.build_request("POST", "/chat/completions", json=body)
            return self._client.send(req, stream=True)

        resp = self._with_retries(send)
        try:
            for line in resp.iter_lines():
                if not line.startswith("data:"):
                    continue
                payload = line[5:].strip()
                if payload == "[DONE]":
                    break
                try:
                    delta = json.loads(payload)["choices"][0].get("delta", {}).get("content")
                except (ValueError, KeyError, IndexError) as exc:
                    raise BackendError(f"LLM server sent a malformed stream event: {payload[:200]}") from exc
                if delta:
                    yield delta
        except httpx.TransportError as exc:
            raise self._fail(exc) from exc
        finally:
            resp.close()


@llm_backends.register("openai")
def _make(settings) -> OpenAIGenerator:
    return OpenAIGenerator(settings)
