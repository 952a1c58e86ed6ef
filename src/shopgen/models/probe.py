"""Quick speed probes shared by ``shopgen doctor`` and ``benchmarks/llm_speed.py``."""

from __future__ import annotations

import time

PROBE_PROMPT = "用一句话介绍这款纯棉T恤：100%棉，圆领，白色，售价79元。"
PROBE_SENTENCES = [
    "夏天穿的透气T恤",
    "不锈钢保温杯，保温12小时",
    "敏感肌可以用这款面霜吗",
    "蓝牙耳机续航多久",
    "七天无理由退货怎么申请",
    "这件羽绒服有XL吗",
    "坚果礼盒保质期多久",
    "护眼台灯适合学生吗",
]


def measure_generation(llm, prompt: str = PROBE_PROMPT, max_tokens: int = 32) -> dict:
    """Stream one answer; report time to first token, decode tokens/s and the text.

    Each streamed chunk from llama.cpp is one token; for remote servers chunks are close
    to tokens, so ``decode_tokens_per_s`` is an estimate there.
    """
    messages = [{"role": "user", "content": prompt}]
    start = time.perf_counter()
    first = last = None
    pieces: list[str] = []
    for piece in llm.stream(messages, max_tokens=max_tokens, temperature=0.0):
        now = time.perf_counter()
        if first is None:
            first = now
        last = now
        pieces.append(piece)
    n = len(pieces)
    decode = (n - 1) / (last - first) if n > 1 and last > first else None
    return {
        "model": llm.model,
        "ttft_s": round(first - start, 3) if first else None,
        "tokens": n,
        "decode_tokens_per_s": round(decode, 2) if decode else None,
        "seconds": round(time.perf_counter() - start, 3),
        "text": "".join(pieces),
    }


def measure_embedding(embedder, sentences: list[str] | None = None, rounds: int = 3) -> dict:
    """Embed the probe sentences one at a time (the latency a query sees) and in a batch."""
    sentences = sentences or PROBE_SENTENCES
    embedder.embed_queries(["预热"])  # load outside the timing
    # every round's texts differ, so an embedder's query memo cannot flatter the figure
    start = time.perf_counter()
    for r in range(rounds):
        for s in sentences:
            embedder.embed_queries([f"{s}（{r}）"])
    single = rounds * len(sentences) / (time.perf_counter() - start)
    start = time.perf_counter()
    for _ in range(rounds):
        vecs = embedder.embed_passages(sentences)
    batch = rounds * len(sentences) / (time.perf_counter() - start)
    return {
        "model": embedder.model,
        "dim": int(vecs.shape[1]),
        "sentences_per_s_single": round(single, 1),
        "sentences_per_s_batch": round(batch, 1),
    }
