"""The embedded default: a GGUF model run in-process by llama.cpp (``llama-cpp-python``).

The model loads on first use, once per process; a lock serialises generations because a
``Llama`` object holds one KV cache and is not safe to share between threads.

On CPUs with AMX (Intel Sapphire Rapids and later) a native build of llama.cpp repacks the
weights into AMX buffers, and the first matrix product there crashes the process (llama.cpp
issue 20824; seen on this project's CI machines). ``llm_extra_buffers="auto"`` therefore loads
without extra buffer types on such CPUs; ``on``/``off`` force the choice.

``SHOPGEN_LLM_LORA`` adds a LoRA adapter (:mod:`shopgen.models.llm.lora`), applied by llama.cpp at
run time over the quantised base, so generation stays about as fast as without.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from shopgen.core.errors import BackendError, InvalidInput
from shopgen.core.lazy import require
from shopgen.models import sources
from shopgen.models.llm import lora
from shopgen.models.llm.base import ChatResult, check_messages, llm_backends


def cpu_has_amx(cpuinfo: str | None = None) -> bool:
    if cpuinfo is None:
        try:
            with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
                cpuinfo = fh.read(65536)
        except OSError:
            return False
    return any(line.startswith("flags") and " amx_int8" in line for line in cpuinfo.splitlines())


def use_extra_buffers(setting: str, cpuinfo: str | None = None) -> bool:
    if setting == "auto":
        return not cpu_has_amx(cpuinfo)
    return setting == "on"


@contextmanager
def _model_defaults(llama_cpp, extra_buffers: bool):
    """Patch llama.cpp's default model parameters while ``Llama`` is built (its constructor
    takes no argument for ``use_extra_bufts``). Callers hold the load lock."""
    low = llama_cpp.llama_cpp
    original = low.llama_model_default_params
    if extra_buffers or not hasattr(original(), "use_extra_bufts"):
        yield
        return

    def defaults():
        params = original()
        params.use_extra_bufts = False
        return params

    low.llama_model_default_params = defaults
    try:
        yield
    finally:
        low.llama_model_default_params = original


class LlamaCppGenerator:
    name = "llamacpp"

    def __init__(self, settings) -> None:
        self._settings = settings
        self.model = sources.model_name(settings)
        self.lora = lora.resolve(settings)  # fails at once on a missing adapter, not at the first request
        if self.lora is not None:
            self.model = f"{self.model}+{settings.llm_lora}"
        self._llama = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()
        self.load_seconds: float | None = None

    def _get(self):
        if self._llama is None:
            with self._load_lock:
                if self._llama is None:
                    llama_cpp = require("llama_cpp", "llm")
                    path = sources.resolve_model(self._settings)
                    extra_args = {}
                    if self.lora is not None:
                        lora.check(self.lora, sources.model_name(self._settings), path)
                        extra_args["lora_path"] = str(self.lora)
                    start = time.perf_counter()
                    extra = use_extra_buffers(self._settings.llm_extra_buffers)
                    try:
                        with _model_defaults(llama_cpp, extra):
                            self._llama = llama_cpp.Llama(
                                model_path=str(path),
                                n_ctx=self._settings.llm_n_ctx,
                                n_threads=self._settings.llm_threads,
                                verbose=False,
                                **extra_args,
                            )
                    except (ValueError, RuntimeError) as exc:
                        raise BackendError(f"llama.cpp could not load {path}: {exc}") from exc
                    self.load_seconds = time.perf_counter() - start
        return self._llama

    def _params(self, max_tokens, temperature, stop, repeat_penalty=None, seed=None) -> dict:
        s = self._settings
        params = {
            "max_tokens": max_tokens or s.llm_max_tokens,
            "temperature": s.llm_temperature if temperature is None else temperature,
            "stop": list(stop) if stop else None,
        }
        if repeat_penalty is not None:
            params["repeat_penalty"] = repeat_penalty
        if seed is not None:
            params["seed"] = seed
        return params

    def chat(
        self, messages, *, max_tokens=None, temperature=None, stop=None, repeat_penalty=None, seed=None
    ) -> ChatResult:
        msgs = check_messages(messages)
        llama = self._get()
        start = time.perf_counter()
        with self._run_lock:
            if seed is not None:
                # a seeded call evaluates its whole prompt: reusing the cached prefix of the last
                # call computes the last logits in another batch shape, which moves them a little
                # and, sampled, changes the words; so the same seed gives the same reply
                llama.reset()
            try:
                out = llama.create_chat_completion(
                    messages=msgs, **self._params(max_tokens, temperature, stop, repeat_penalty, seed)
                )
            except ValueError as exc:  # e.g. prompt longer than the context window
                raise InvalidInput(str(exc)) from exc
        choice = out["choices"][0]
        usage = out.get("usage") or {}
        return ChatResult(
            text=choice["message"]["content"] or "",
            model=self.model,
            prompt_tokens=usage.get("prompt_tokens", 0),
            completion_tokens=usage.get("completion_tokens", 0),
            seconds=time.perf_counter() - start,
            finish_reason=choice.get("finish_reason"),
        )

    def stream(self, messages, *, max_tokens=None, temperature=None, stop=None, repeat_penalty=None) -> Iterator[str]:
        msgs = check_messages(messages)
        llama = self._get()
        with self._run_lock:
            try:
                chunks = llama.create_chat_completion(
                    messages=msgs, stream=True, **self._params(max_tokens, temperature, stop, repeat_penalty)
                )
                for chunk in chunks:
                    delta = chunk["choices"][0].get("delta", {}).get("content")
                    if delta:
                        yield delta
            except ValueError as exc:
                raise InvalidInput(str(exc)) from exc


@llm_backends.register("llamacpp")
def _make(settings) -> LlamaCppGenerator:
    return LlamaCppGenerator(settings)
