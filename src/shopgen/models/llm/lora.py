"""LoRA adapters as llama.cpp reads them: GGUF files with ``general.type = adapter``.

An adapter trained here lives in ``<data_dir>/adapters/<name>/adapter.gguf`` beside its
``report.json``. ``SHOPGEN_LLM_LORA`` names one (or gives a path to any llama.cpp LoRA GGUF);
the llama.cpp backend loads it with the base model (``shopgen tune`` writes them). Before that, :func:`check` refuses an adapter
trained for another base model (ours record it as ``shopgen.base_model``) and one whose tensor
shapes do not fit the base, with a clear error (llama.cpp itself can crash the process on such a
file instead of refusing it).

Tensor layout (llama.cpp's ``convert_lora_to_gguf.py``): for each adapted weight
``blk.{i}.{attn_q|attn_k|attn_v|attn_output|ffn_gate|ffn_up|ffn_down}.weight`` two tensors,
``….lora_a`` of shape (rank, in) and ``….lora_b`` of shape (out, rank), as PEFT stores them, and the
scale ``adapter.lora.alpha`` (llama.cpp applies alpha / rank, as PEFT does). Qwen2's q and k
weights are not permuted by llama.cpp's converter, so none is permuted here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from shopgen.core.errors import ConfigError, InvalidInput
from shopgen.core.lazy import require

ADAPTER_FILE = "adapter.gguf"
REPORT_FILE = "report.json"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
# transformers' Qwen2 module names → llama.cpp's tensor names
HF_TO_GGUF = {
    "self_attn.q_proj": "attn_q",
    "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v",
    "self_attn.o_proj": "attn_output",
    "mlp.gate_proj": "ffn_gate",
    "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down",
}
_PEFT = re.compile(r"layers\.(\d+)\.(self_attn\.[qkvo]_proj|mlp\.(?:gate|up|down)_proj)\.lora_([AB])\.")


def check_name(name: str) -> str:
    if not NAME.match(name or ""):
        raise InvalidInput(f"adapter name {name!r}: use 1-64 letters, digits, '.', '_' or '-'")
    return name


def adapter_dir(data_dir: str | Path, name: str) -> Path:
    return Path(data_dir) / "adapters" / check_name(name)


def resolve(settings) -> Path | None:
    """The adapter file ``SHOPGEN_LLM_LORA`` names (a name under the data dir, or a path), or None."""
    value = getattr(settings, "llm_lora", None)
    if not value:
        return None
    path = Path(value).expanduser()
    if path.suffix != ".gguf":
        if not NAME.match(value):
            raise ConfigError(f"SHOPGEN_LLM_LORA={value!r} is neither an adapter name nor a .gguf file")
        path = adapter_dir(settings.data_dir, value) / ADAPTER_FILE
    if not path.is_file():
        raise ConfigError(f"SHOPGEN_LLM_LORA: no adapter at {path} (train one with `shopgen tune`)")
    return path


def gguf_name(peft_key: str) -> str | None:
    """``blk.3.attn_q.weight.lora_a`` for PEFT's ``…layers.3.self_attn.q_proj.lora_A.default.weight``."""
    m = _PEFT.search(peft_key)
    if not m:
        return None
    layer, module, ab = m.groups()
    return f"blk.{layer}.{HF_TO_GGUF[module]}.weight.lora_{ab.lower()}"


def write_gguf(
    path: str | Path, tensors: Mapping[str, object], *, alpha: float, base_model: str, arch: str = "qwen2"
) -> Path:
    """Write ``tensors`` (GGUF names → float arrays) as a llama.cpp LoRA adapter; returns the path.

    Written to a temporary file and renamed, so a killed export leaves no half-written adapter."""
    gguf = require("gguf", "llm")
    import numpy as np

    path = Path(path)
    names = sorted(tensors)
    pairs = {n[: -len(".lora_a")] for n in names if n.endswith(".lora_a")}
    if not names or {n[: -len(".lora_b")] for n in names if n.endswith(".lora_b")} != pairs:
        raise InvalidInput("an adapter needs a lora_a and a lora_b tensor for every adapted weight")
    tmp = path.with_suffix(".gguf.tmp")
    writer = gguf.GGUFWriter(str(tmp), arch)
    writer.add_string("general.type", "adapter")
    writer.add_string("adapter.type", "lora")
    writer.add_float32("adapter.lora.alpha", float(alpha))
    writer.add_string("shopgen.base_model", base_model)
    for name in names:
        writer.add_tensor(name, np.ascontiguousarray(np.asarray(tensors[name], dtype=np.float32)))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    tmp.replace(path)
    return path


def metadata(path: str | Path) -> dict:
    """The adapter's type, architecture, alpha, base model and tensor count."""
    gguf = require("gguf", "llm")
    try:
        reader = gguf.GGUFReader(str(path))
    except (ValueError, OSError) as exc:
        raise ConfigError(f"{path} is not a GGUF file: {exc}") from exc

    def value(key):
        f = reader.fields.get(key)
        if f is None:
            return None
        raw = f.parts[f.data[0]]
        return bytes(raw).decode("utf-8") if f.types and f.types[0] == gguf.GGUFValueType.STRING else raw[0].item()

    return {
        "type": value("general.type"),
        "arch": value("general.architecture"),
        "alpha": value("adapter.lora.alpha"),
        "base_model": value("shopgen.base_model"),
        "tensors": len(reader.tensors),
    }


def _shapes(reader) -> dict[str, tuple[int, ...]]:
    return {t.name: tuple(int(x) for x in t.shape) for t in reader.tensors}  # ggml order: ne[0] first


def check_fit(path: str | Path, base_path: str | Path) -> None:
    """Refuse an adapter whose tensors do not fit the base model's (llama.cpp may crash on them).

    For each adapted weight W (ne = [in, out]): lora_a is [in, r], lora_b is [r, out]."""
    gguf = require("gguf", "llm")
    adapter = _shapes(gguf.GGUFReader(str(path)))
    base = _shapes(gguf.GGUFReader(str(base_path)))
    for name in sorted(n for n in adapter if n.endswith(".lora_a")):
        weight = name[: -len(".lora_a")]
        a, b = adapter[name], adapter.get(weight + ".lora_b")
        w = base.get(weight)
        if w is None:
            raise ConfigError(f"adapter {path} adapts {weight}, which the base model does not have")
        if b is None or a[0] != w[0] or b[1] != w[1] or a[1] != b[0]:
            raise ConfigError(
                f"adapter {path} does not fit the base model: {weight} is {w[0]}×{w[1]}, "
                f"its lora_a {'×'.join(map(str, a))} and lora_b {'×'.join(map(str, b or ()))}"
            )


def check(path: str | Path, base_model: str, base_path: str | Path | None = None) -> dict:
    """Refuse a file that is not a LoRA adapter, one of ours trained for another base model, or (with
    ``base_path``) one whose tensor shapes do not fit that model."""
    meta = metadata(path)
    if meta["type"] != "adapter":
        raise ConfigError(f"{path} is not a LoRA adapter (general.type={meta['type']!r})")
    if meta["base_model"] and meta["base_model"] != base_model:
        raise ConfigError(
            f"adapter {path} was trained for {meta['base_model']}, not {base_model}; "
            f"set SHOPGEN_LLM_PRESET={meta['base_model']} or train one for {base_model}"
        )
    if base_path is not None:
        check_fit(path, base_path)
    return meta
